"""The cast every test can call on: two boroughs in two BCUs, and a user for each role.

- borough_a (in bcu_a) is "our" borough: staff, sergeant, inspector, chief inspector and
  commander users belong to it.
- borough_b (in bcu_b) is "another" borough: an inspector and staff member there are outsiders
  to borough_a.
- hq and admin see every borough.
"""

import contextlib
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from django.db import OperationalError, connection, connections
from rest_framework.test import APIClient

from config.access import Role
from config.celery import app
from config.tokens import issue_token
from tests import factories as f
from tests.endpoints import sample  # noqa: F401  (a fixture: one record of every kind)

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (login throttles, cached pages)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _sql_of_cancelled_statements(execute, sql, params, many, context):
    """A statement PostgreSQL cancelled (the test settings' statement_timeout) fails with its SQL,
    so a runaway query plan shows what it was."""
    try:
        return execute(sql, params, many, context)
    except OperationalError as exc:
        if "statement timeout" not in str(exc):
            raise
        raise OperationalError(f"{exc}SQL: {sql}\nparams: {params!r}") from exc


@pytest.fixture(autouse=True)
def _show_sql_of_runaway_queries():
    with connection.execute_wrapper(_sql_of_cancelled_statements):
        yield


@pytest.fixture
def bcu_a(db):
    return f.BCUFactory(code="CN", name="Central North")


@pytest.fixture
def bcu_b(db):
    return f.BCUFactory(code="AW", name="Central West")


@pytest.fixture
def borough_a(bcu_a):
    return f.BoroughFactory(code="E09000007", name="Camden", bcu=bcu_a)


@pytest.fixture
def borough_a2(bcu_a):
    """A second borough in bcu_a: the commander sees it, borough_a's staff do not."""
    return f.BoroughFactory(code="E09000019", name="Islington", bcu=bcu_a)


@pytest.fixture
def borough_b(bcu_b):
    return f.BoroughFactory(code="E09000033", name="Westminster", bcu=bcu_b)


@pytest.fixture
def ward_a(borough_a):
    return f.WardFactory(code="E05013660", name="Haverstock", borough=borough_a)


@pytest.fixture
def ward_b(borough_b):
    return f.WardFactory(code="E05013806", name="Soho", borough=borough_b)


@pytest.fixture
def team_a(ward_a):
    return f.TeamFactory(ward=ward_a)


@pytest.fixture
def team_b(ward_b):
    return f.TeamFactory(ward=ward_b)


# The cast's names: pages show people by name (and rank, for officers), never by username.
CAST_NAMES = {
    "staff_a": ("Sam", "Stafford"),
    "sergeant_a": ("Jo", "Bloggs"),
    "inspector_a": ("Ivy", "Inman"),
    "chief_inspector_a": ("Chris", "Chadwick"),
    "commander_a": ("Cora", "Compton"),
    "hq": ("Hal", "Quincey"),
    "admin_user": ("Ada", "Adler"),
    "inspector_b": ("Ian", "Bell"),
    "staff_b": ("Bea", "Stone"),
    "constable_a": ("Con", "Stable"),
}


def _user(username, role, boroughs, **extra):
    first, last = CAST_NAMES[username]
    return f.UserFactory(
        username=username, role=role, boroughs=boroughs, first_name=first, last_name=last,
        **extra,
    )


@pytest.fixture
def staff_a(borough_a):
    return _user("staff_a", Role.STAFF, [borough_a])


@pytest.fixture
def sergeant_a(borough_a):
    return _user("sergeant_a", Role.SERGEANT, [borough_a])


@pytest.fixture
def inspector_a(borough_a):
    return _user("inspector_a", Role.INSPECTOR, [borough_a])


@pytest.fixture
def chief_inspector_a(borough_a):
    return _user("chief_inspector_a", Role.CHIEF_INSPECTOR, [borough_a])


@pytest.fixture
def commander_a(borough_a, borough_a2):
    return _user("commander_a", Role.COMMANDER, [borough_a, borough_a2])


@pytest.fixture
def hq(db):
    return _user("hq", Role.HQ, [])


@pytest.fixture
def admin_user(db):
    return _user("admin_user", Role.ADMIN, [])


@pytest.fixture
def inspector_b(borough_b):
    return _user("inspector_b", Role.INSPECTOR, [borough_b])


@pytest.fixture
def staff_b(borough_b):
    return _user("staff_b", Role.STAFF, [borough_b])


@pytest.fixture
def constable_a(borough_a, team_a):
    """PC Con Stable, a dedicated ward officer of ward_a's team, signing in as a constable. Not
    one of ROLE_FIXTURES: a constable sees only their own work (tests/test_role_matrix.py)."""
    first, last = CAST_NAMES["constable_a"]
    officer = f.OfficerFactory(borough=borough_a, first_name=first, last_name=last)
    f.PostingFactory(officer=officer, team=team_a)
    return _user("constable_a", Role.CONSTABLE, [borough_a], officer=officer)


ROLE_FIXTURES = [
    "staff_a",
    "sergeant_a",
    "inspector_a",
    "chief_inspector_a",
    "commander_a",
    "hq",
    "admin_user",
    "inspector_b",
]
# Who may change borough_a's teams, officers, postings and places.
EDITORS_OF_A = {"staff_a", "sergeant_a", "inspector_a", "chief_inspector_a", "admin_user"}
# Who may read borough_a's records.
READERS_OF_A = EDITORS_OF_A | {"commander_a", "hq"}


@pytest.fixture
def cast(request):
    """Look a cast member up by fixture name: cast("staff_a")."""
    return lambda name: request.getfixturevalue(name)


@pytest.fixture
def api():
    return APIClient()


def api_client_for(user) -> APIClient:
    client = APIClient()
    token, _ = issue_token(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def assert_fixed_queries(django_assert_num_queries):
    """`check(fetch, add_rows, queries=N)`: `fetch()` runs exactly N queries, and still N once
    `add_rows()` has added more rows. Returns both results so the test can also check that the
    new rows showed up (an empty list runs few queries too)."""

    def check(fetch, add_rows, *, queries):
        with django_assert_num_queries(queries):
            before = fetch()
        add_rows()
        with django_assert_num_queries(queries):
            after = fetch()
        return before, after

    return check


# Roles that read borough_a's records but may not change them.
READ_ONLY_OF_A = READERS_OF_A - EDITORS_OF_A


def write_status(who: str, ok: int) -> int:
    """What a write to one of borough_a's objects answers for cast member `who`: `ok` for its
    editors, 403 for roles that only read, 404 for outsiders (they cannot know it exists)."""
    if who in EDITORS_OF_A:
        return ok
    return 403 if who in READ_ONLY_OF_A else 404


@pytest.fixture
def client_of(cast):
    """An API client signed in with a token as a cast member: client_of("staff_a")."""
    return lambda who: api_client_for(cast(who))


def results(response) -> list[dict]:
    """The rows of a paginated API list, after checking it answered 200."""
    assert response.status_code == 200, response.content
    return response.json()["results"]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright (slow)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright cannot download its own browsers here."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data that migrations seed. A transactional test empties every table when it
    ends, so put it back for the tests that use the database."""
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in uses_db else "db")
    from deployment.models import AbstractionType
    from deployment.reference import seed_abstraction_types
    from victims.models import CrimeCategory
    from victims.reference import seed_crime_categories

    if AbstractionType.objects.count() == 0:
        seed_abstraction_types(AbstractionType)
    if not CrimeCategory.objects.exists():
        seed_crime_categories(CrimeCategory)
    _demand_reference_data()
    _performance_bands()


def _performance_bands():
    """The rating bands migration reports/0003 seeds (reports.performance.bands.DEFAULT_BANDS)."""
    from reports.models import RatingBand
    from reports.performance.bands import DEFAULT_BANDS

    if not RatingBand.objects.exists():
        RatingBand.objects.bulk_create(
            RatingBand(measure=measure, green_limit=green, amber_limit=amber)
            for measure, (green, amber) in DEFAULT_BANDS.items()
        )
        # As for demand's: no deferred check left pending (a test that TRUNCATEs cannot while
        # one is).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _demand_reference_data():
    from demand.models import Category, ReductionTarget, Theme
    from demand.reference import seed_categories, seed_target, seed_themes

    if not Category.objects.exists():
        seed_categories(Category)
        seed_themes(Theme, Category)
        seed_target(ReductionTarget, Category)
        # Check the new rows' foreign keys now, so no deferred check is left pending (a test
        # that TRUNCATEs cannot while one is).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# -- a real Celery worker (moved from tests/config/test_celery.py to share with tests/reports) --

@pytest.fixture
def real_worker(transactional_db):
    """A Celery worker process on the test database and the real Redis broker."""
    with start_worker() as worker:
        yield worker


@contextlib.contextmanager
def start_worker(*, pool: str = "solo", env: dict | None = None):
    """A real `celery worker` process (pool "solo", or "prefork" with one child) consuming this
    test run's queue, with the test database and extra environment `env`."""
    full_env = dict(os.environ)
    full_env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        CELERY_TASK_ALWAYS_EAGER="false",
        DATABASE_URL=_test_database_url(),
        **(env or {}),
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            _worker_name(),
        ],
        cwd=Path(__file__).resolve().parents[1],
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False
    try:
        _wait_for_worker(_worker_name())
        yield worker
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        worker.wait(timeout=30)


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _worker_name() -> str:
    import socket

    return f"test-{os.getpid()}@{socket.gethostname()}"


def _wait_for_worker(name, timeout=90):
    """Wait until this test's own worker answers (not any worker on the broker)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.inspect(destination=[name], timeout=1).ping():
            return
        time.sleep(0.5)
    raise AssertionError("The Celery worker did not start.")


def pytest_itemcollected(item):
    """Under pytest-xdist (`make test`, --dist loadgroup) a file's tests run on one worker, in
    order, so its module fixtures are made once; the browser tests run in groups of their own,
    which are handed out last (they are last in the order below), so a worker runs them after
    everything else it runs. Before pytest-xdist names the groups (in its own
    pytest_collection_modifyitems)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    file = item.nodeid.split("::", 1)[0]
    if "page" in getattr(item, "fixturenames", ()):
        workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
        group = f"browser-{zlib.crc32(file.encode()) % workers}"
    else:
        group = file
    item.add_marker(pytest.mark.xdist_group(group))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last (after pytest-django's own ordering), so nothing but them runs once
    Playwright has started: see _database_closed_before_playwright."""
    items.sort(key=lambda item: "page" in getattr(item, "fixturenames", ()))


@pytest.fixture
def page(page):
    """Every browser test also checks that the page kept to its Content-Security-Policy: the
    browser reports each refused script, style or handler on the console, and each one fails the
    test that loaded it."""
    refused = []

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", on_console)
    yield page
    assert not refused, "\n".join(refused)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test database; the threads that run a report's reads beside it
    (config.beside) keep their connections open: closed before the database is dropped."""
    from config import beside

    yield
    beside.close()


@pytest.fixture(scope="session")
def _database_closed_before_playwright():
    """Close the database connection before Playwright starts. Once Playwright runs, test code
    runs in another context, and Django keeps connections per context: the connection opened
    before would never be closed again, and pytest-django could not drop the test database at
    the end of the run. (Browser tests are transactional: Django closes their own connections
    after each one.)"""
    connections.close_all()


@pytest.fixture(scope="session")
def playwright(_database_closed_before_playwright, playwright):
    return playwright
