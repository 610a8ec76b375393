"""`make backup` and `make restore FILE=…` (scripts/backup.sh, scripts/restore.sh): an encrypted
pg_dump restored into a fresh database holds every row of every table again; no backup is kept
past the victims' retention period; and Redis can be empty afterwards, because it holds nothing
of record."""

import datetime
import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.conftest import api_client_for

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
    tmp_path, age_key, fresh_database, sample, inspector_a
):
    api_client_for(inspector_a)  # an API token too
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


def _spare_redis() -> str:
    """A Redis database no test uses, for the restore to empty."""
    from django.conf import settings

    return settings.REDIS_URL.rsplit("/", 1)[0] + "/9"


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
