"""A promise given to an officer as they transfer out, on real PostgreSQL in real transactions
(one connection per thread, both released at once: tests.deployment.test_races.race).

A transfer is refused while the officer owns a running promise of the old borough (promises.
transfer_checks). Made at the same moment, the promise either lands first (and the transfer is
refused) or is refused after it (the officer moved, 409): never a promise of the old borough
owned by an officer of the new one, whom nobody there can reach."""

import datetime

import pytest
from django.utils import timezone

from config.errors import ConflictError, DomainError
from promises import services
from promises.models import Promise
from teams.services import officer_transfer
from tests import factories as f
from tests.deployment.test_races import race

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 8


def test_a_promise_given_to_an_officer_as_they_transfer_out(
    staff_a, sergeant_a, ward_a, team_a, borough_b
):
    today = timezone.localdate()
    for number in range(ROUNDS):
        officer = f.OfficerFactory(borough=ward_a.borough)  # read before the race, as a form does
        f.PostingFactory(officer=officer, team=team_a, start_date=today - datetime.timedelta(400))
        outcomes = race(
            lambda officer=officer: officer_transfer(
                officer=officer,
                to_borough=borough_b,
                effective_on=today,
                reason="Promoted into Westminster's town centre team",
                by=staff_a,
            ),
            lambda officer=officer: services.promise_create(
                by=sergeant_a,
                owner_officer=officer,
                ward=ward_a,
                title="Weekly street briefing",
                kind="custom",
                target=4,
                agreed_on=today,
                start=today,
            ),
        )
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        transferred, promised = outcomes
        if transferred == "ok":
            assert isinstance(promised, ConflictError) and promised.code == "officer_moved"
        else:
            assert isinstance(transferred, DomainError) and "owns the promise" in str(transferred)
        officer.refresh_from_db()
        for promise in Promise.objects.filter(owner_officer=officer):
            assert promise.borough_id == officer.borough_id, "owned across a transfer"
