"""`make backup` and `make restore FILE=…` (scripts/backup.sh, scripts/restore.sh): an encrypted
pg_dump restored into a fresh database holds every row of every table again; no backup is kept
past the victims' retention period; and Redis can be empty afterwards, because it holds nothing
of record."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone
from redis import Redis

from tests.conftest import PASSWORD, api_client_for

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def database_url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


@pytest.fixture
def age_key(tmp_path) -> dict:
    key = tmp_path / "key.txt"
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run(
        ["age-keygen", "-y", str(key)], check=True, capture_output=True, text=True
    ).stdout.strip()
    return {"BACKUP_AGE_RECIPIENT": public, "BACKUP_AGE_IDENTITY": key.read_text()}


def script(name: str, *args, env: dict) -> str:
    full = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    full.update(env)
    result = subprocess.run(
        ["bash", f"scripts/{name}", *args], cwd=ROOT, env=full, capture_output=True, text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def fingerprints(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a checksum of all its rows (in a fixed order)."""
    with psycopg.connect(url) as conn:
        tables = [
            row[0] for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: conn.execute(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                f' FROM "{table}" t'
            ).fetchone()
            for table in tables
        }


def drop_database(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_database():
    name = connection.settings_dict["NAME"] + "_restored"
    drop_database(name)
    yield name
    drop_database(name)


def test_a_backup_restored_into_a_fresh_database_has_every_row(
    tmp_path, age_key, fresh_database, sample, inspector_a, commander_a
):
    api_client_for(inspector_a)  # an API token too
    work_left_in_redis(sample["borough"], commander_a)
    redis = Redis.from_url(_spare_redis())
    redis.set("left-over", "from before the restore")
    source = fingerprints(database_url(connection.settings_dict["NAME"]))
    env = {**age_key, "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
           "BACKUP_DIR": str(tmp_path / "backups"), "REDIS_URL": _spare_redis()}

    backup = Path(script("backup.sh", env=env).splitlines()[-1])

    assert backup.parent == tmp_path / "backups" and backup.name.endswith(".dump.age")
    content = backup.read_bytes()
    assert content.startswith(b"age-encryption.org/v1") and b"Sam Victim" not in content
    assert oct(backup.stat().st_mode & 0o777) == "0o600"

    script("restore.sh", str(backup), env={**env, "DATABASE_URL": database_url(fresh_database)})

    restored = fingerprints(database_url(fresh_database))
    assert restored == source
    filled = [table for table, (count, _) in source.items() if count]
    assert len(filled) >= 30, filled  # the sample reaches every app's tables

    # Redis was emptied, and the restored system recovers all the same: people sign in, and
    # beat's jobs do the work whose tasks were in Redis.
    assert redis.dbsize() == 0
    outcome = run_restored(database_url(fresh_database), _spare_redis())
    # The lost email goes by the sweep; the resumed report's own email on its publishing.
    assert outcome == {
        "home": 200, "token": 200, "wards": 200, "reports_resumed": 1, "report": "ready",
        "emails_resent": 1, "sent": ["A change was made", "SNT abstraction report: Camden, "
                                     "January 2026"],
    }


def work_left_in_redis(borough, commander):
    """Work whose tasks were queued in Redis an hour before the backup and never ran: a report
    asked for, and an email owed."""
    from config.mail import email_once
    from config.models import OutboundEmail
    from reports import services as reports
    from reports.models import MonthlyReport

    commander.email = "commander@met.police.example"
    commander.save()
    email_once(key="lost", subject="A change was made", body="…", recipients=["a@example.org"])
    OutboundEmail.objects.update(sent_at=None)  # (its send ran eagerly here: undo it)
    reports.report_request(borough=borough, month=datetime.date(2026, 1, 1))
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    OutboundEmail.objects.update(created_at=hour_ago)
    MonthlyReport.objects.filter(status="pending").update(created_at=hour_ago)


RESTORED_CHECK = """
import json
import django
django.setup()
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient
from config.mail import resend_unsent_emails
from reports.models import MonthlyReport
from reports.tasks import reports_resume
from teams.models import User

client = Client()
client.force_login(User.objects.get(username="staff_a"))
home = client.get("/").status_code
api = APIClient()
token = api.post("/api/v1/auth/token/", {"username": "staff_a", "password": "%s"}, format="json")
api.credentials(HTTP_AUTHORIZATION="Token " + token.json()["token"])
resumed = reports_resume.delay().get()
emails = resend_unsent_emails.delay().get()
print(json.dumps({
    "home": home, "token": token.status_code, "wards": api.get("/api/v1/wards/").status_code,
    "reports_resumed": len(resumed["reports"]),
    "report": MonthlyReport.objects.get(month="2026-01-01").status,
    "emails_resent": emails, "sent": sorted(m.subject for m in mail.outbox),
}))
"""


def run_restored(db_url: str, redis_url: str) -> dict:
    """The restored database with the emptied Redis, in a process of its own (eager tasks)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": db_url, "REDIS_URL": redis_url}
    result = subprocess.run(
        [sys.executable, "-c", RESTORED_CHECK % PASSWORD], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _spare_redis() -> str:
    """A Redis database no test uses (this test worker's own), for the restore to empty."""
    from django.conf import settings

    return f"{settings.REDIS_URL.rsplit('/', 1)[0]}/{settings.TEST_SPARE_REDIS_DB}"


def test_backups_older_than_the_victims_retention_are_deleted(tmp_path, age_key, settings):
    backups = tmp_path / "backups"
    backups.mkdir()
    now = datetime.datetime.now(datetime.UTC)
    days = settings.VICTIM_DATA_RETENTION_DAYS

    def made(days_ago, hours=0):
        when = now - datetime.timedelta(days=days_ago, hours=hours)
        path = backups / f"neighbourhood-ops-{when:%Y%m%dT%H%M%SZ}.dump.age"
        path.write_bytes(b"age-encryption.org/v1")
        return path

    old, older, recent, edge = made(days, 1), made(days + 400), made(3), made(days - 1)
    env = {**age_key, "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
           "BACKUP_DIR": str(backups)}

    new = Path(script("backup.sh", env=env).splitlines()[-1])

    assert sorted(backups.iterdir()) == sorted([recent, edge, new])
    assert not old.exists() and not older.exists()


def test_a_restore_needs_the_private_key(tmp_path, age_key, fresh_database):
    env = {**age_key, "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
           "BACKUP_DIR": str(tmp_path)}
    backup = script("backup.sh", env=env).splitlines()[-1]
    other = tmp_path / "other.txt"
    subprocess.run(["age-keygen", "-o", str(other)], check=True, capture_output=True)
    result = subprocess.run(
        ["bash", "scripts/restore.sh", backup], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "BACKUP_AGE_IDENTITY": other.read_text(),
             "DATABASE_URL": database_url(fresh_database)},
    )
    assert result.returncode != 0
    with psycopg.connect(database_url("postgres")) as conn:
        assert not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [fresh_database]
        ).fetchone()
