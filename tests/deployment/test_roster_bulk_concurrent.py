"""A large roster through a real Celery worker, and the same roster imported twice at once:
the officers' row locks (deployment.locks' order) make the second wait for the first, then
find every shift taken, so nothing is written twice and nothing deadlocks."""

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from config.models import BulkImport
from deployment.models import Duty
from deployment.roster import roster_import
from tests.conftest import api_client_for
from tests.deployment.factories import staff_ward
from tests.deployment.test_roster_bulk import big_roster

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officers(team_a):
    return staff_ward(team_a, pcs=3, pcsos=1)


@pytest.mark.parametrize("valid_only", [False, True])
def test_the_same_roster_twice_at_once_writes_each_shift_once(staff_a, officers, valid_only):
    text = big_roster(officers, days=5)
    outcomes = []

    def run():
        try:
            outcomes.append(roster_import(text=text, by=staff_a, valid_only=valid_only))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(outcomes) == 2
    first, second = sorted(outcomes, key=lambda result: -result.imported)
    assert first.imported == 20 and not first.rejected
    assert second.imported == 0 and len(second.rejected) == 20
    assert all("already has a shift overlapping" in m for _line, m in second.rejected)
    assert Duty.objects.count() == 20


def test_a_large_roster_runs_through_a_real_worker(real_worker, staff_a, officers, settings):
    settings.IMPORT_IN_REQUEST_MAX_ROWS = 3
    answer = api_client_for(staff_a).post(
        reverse("api:duty-import"), big_roster(officers, days=3), content_type="text/csv"
    )
    assert answer.status_code == 202, answer.content
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = BulkImport.objects.get(pk=answer.json()["id"])
        if job.finished:
            break
        time.sleep(0.5)
    assert job.status == BulkImport.Status.DONE, job.failure
    assert (job.rows_created, job.rows_done, job.error_count) == (12, 12, 0)
    assert Duty.objects.count() == 12
