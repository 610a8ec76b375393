"""Two inspectors deciding the same request at the same moment: exactly one decision stands."""

import datetime
import threading

import pytest
from django.db import connection

from config.errors import ConflictError
from deployment import cover, services
from deployment.models import FlexRequest, FlexStatus, FlexTransition
from tests.deployment.factories import raise_flex


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_decisions_record_exactly_one(
    sergeant_a, inspector_a, chief_inspector_a, ward_a_east, dwos_a, dwos_a_east
):
    flex = raise_flex(
        sergeant_a,
        ward_a_east,
        dwos_a[:1],
        start=datetime.date.today() + datetime.timedelta(days=7),
        end=datetime.date.today() + datetime.timedelta(days=14),
    )
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(name, action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[name] = "decided"
        except ConflictError as exc:
            outcomes[name] = exc.code
        finally:
            connection.close()  # each thread has its own connection: a real transaction each

    approve = threading.Thread(
        target=decide,
        args=(
            "approve",
            lambda: services.flex_approve(flex=FlexRequest.objects.get(pk=flex.pk), by=inspector_a),
        ),
    )
    reject = threading.Thread(
        target=decide,
        args=(
            "reject",
            lambda: services.flex_reject(
                flex=FlexRequest.objects.get(pk=flex.pk), by=chief_inspector_a, reason="Not needed"
            ),
        ),
    )
    approve.start()
    reject.start()
    approve.join(30)
    reject.join(30)

    assert sorted(outcomes.values()) == ["already_decided", "decided"]
    flex.refresh_from_db()
    assert flex.status in (FlexStatus.APPROVED, FlexStatus.REJECTED)
    decisions = FlexTransition.objects.filter(
        flex_request=flex, to_status__in=[FlexStatus.APPROVED, FlexStatus.REJECTED]
    )
    assert decisions.count() == 1
    assert decisions.get().to_status == flex.status


@pytest.mark.django_db(transaction=True)
def test_two_approvals_that_together_breach_cover_cannot_both_pass(
    sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, monkeypatch
):
    """ward_a has one PC to spare: each request alone keeps it at its minimum, both would not.
    Approvals in a borough are taken one at a time, so the second sees the first."""
    # Hold each approval just after its cover check, until the other has made its own check (or
    # two seconds have passed): without one-at-a-time, both checks see the ward still staffed.
    checked = threading.Barrier(2)
    cover_gaps = cover.flex_cover_gaps

    def cover_gaps_then_wait(flex):
        gaps = cover_gaps(flex)
        try:
            checked.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        return gaps

    monkeypatch.setattr(cover, "flex_cover_gaps", cover_gaps_then_wait)
    start = datetime.date.today() + datetime.timedelta(days=7)
    end = start + datetime.timedelta(days=7)
    first = raise_flex(sergeant_a, ward_a_east, dwos_a[0:1], start=start, end=end)
    second = raise_flex(sergeant_a, ward_a_east, dwos_a[1:2], start=start, end=end)
    barrier = threading.Barrier(2)
    outcomes = {}

    def approve(flex, by):
        try:
            barrier.wait(timeout=10)
            services.flex_approve(flex=FlexRequest.objects.get(pk=flex.pk), by=by)
            outcomes[flex.pk] = "decided"
        except ConflictError as exc:
            outcomes[flex.pk] = exc.code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(first, inspector_a)),
        threading.Thread(target=approve, args=(second, inspector_a)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes.values()) == ["below_minimum_cover", "decided"]
    assert FlexRequest.objects.filter(status=FlexStatus.APPROVED).count() == 1
