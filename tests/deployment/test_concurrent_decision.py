"""Two inspectors deciding the same request at the same moment: exactly one decision stands."""

import datetime
import threading

import pytest
from django.db import connection

from config.errors import ConflictError
from deployment import services
from deployment.models import FlexRequest, FlexStatus, FlexTransition
from tests.deployment.test_flex_protocol import raise_flex


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
