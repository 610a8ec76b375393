"""Racing calls on the last stop's writes, each in its own thread and connection with real
transactions: two API calls recording the same officer's rest day, two roster uploads with the
same rest row, a rest day and a duty for the same officer and date. Whatever the interleaving,
one rest day per officer and date, the loser is a 409 or a rejected row (never a 500), and a
duty on a rest day is kept (a rest day worked)."""

import datetime

import pytest
from django.utils import timezone

from deployment.models import Duty, RestDay
from deployment.roster import ROSTER_COLUMNS, roster_import
from tests.conftest import api_client_for
from tests.deployment.factories import staff_ward
from tests.deployment.test_races import race

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 4


def _day(round_) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=10 + round_)


def test_two_api_calls_for_the_same_rest_day(staff_a, sergeant_a, team_a):
    officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
    apis = [api_client_for(staff_a), api_client_for(sergeant_a)]
    for api in apis:
        api.raise_request_exception = False
    for round_ in range(ROUNDS):
        body = {"officer": officer.shoulder_number, "date": _day(round_).isoformat()}
        statuses = []
        race(*(lambda api=api, body=body, statuses=statuses: statuses.append(
            api.post("/api/v1/rest-days/", body, format="json").status_code)
            for api in apis))
        assert sorted(statuses) == [201, 409], statuses
    assert RestDay.objects.filter(officer=officer).count() == ROUNDS


def test_two_roster_uploads_with_the_same_rest_row(staff_a, sergeant_a, team_a):
    officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
    for round_ in range(ROUNDS):
        text = ",".join(ROSTER_COLUMNS) + (
            f"\r\n{officer.shoulder_number},{_day(round_).isoformat()},,,rest,,,,,,\r\n"
        )
        results = []
        outcomes = race(*(lambda by=by, text=text, results=results: results.append(
            roster_import(text=text, by=by)) for by in (staff_a, sergeant_a)))
        assert outcomes == ["ok", "ok"], outcomes
        assert sorted(r.imported for r in results) == [0, 1], results
        refused = [r for r in results if r.rejected]
        assert "already has a rest day" in refused[0].rejected[0][1]
    assert RestDay.objects.filter(officer=officer).count() == ROUNDS


def test_a_rest_day_and_a_duty_at_once_are_both_kept(staff_a, sergeant_a, team_a):
    officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
    rest_api, duty_api = api_client_for(staff_a), api_client_for(sergeant_a)
    for round_ in range(ROUNDS):
        day = _day(round_).isoformat()
        statuses = []
        race(
            lambda day=day, statuses=statuses: statuses.append(rest_api.post(
                "/api/v1/rest-days/", {"officer": officer.shoulder_number, "date": day},
                format="json").status_code),
            lambda day=day, statuses=statuses: statuses.append(duty_api.post(
                "/api/v1/duties/", {"officer": officer.shoulder_number, "date": day,
                                    "start": "08:00", "end": "16:00"},
                format="json").status_code),
        )  # fmt: skip
        assert statuses == [201, 201], statuses
    assert RestDay.objects.filter(officer=officer).count() == ROUNDS
    assert Duty.objects.filter(officer=officer).count() == ROUNDS
    listed = api_client_for(staff_a).get("/api/v1/rest-days/", {"officer": officer.shoulder_number})
    assert all(row["worked"] for row in listed.json()["results"])
