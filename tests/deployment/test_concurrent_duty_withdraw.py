"""A flex withdrawn while a duty is being recorded against it: the duty's check holds the flex
row, so the withdrawal waits, then sees the duty and is refused. A withdrawn flex never has
duties counted against it as authorised."""

import datetime
import threading
import time

import pytest
from django.db import connection

from config.errors import ConflictError, DomainError
from deployment import duties, services
from deployment.models import Duty, FlexRequest, FlexStatus
from tests.deployment.factories import raise_flex, record_flexed_duty

D = datetime.date


@pytest.mark.django_db
def test_a_flex_with_recorded_duties_cannot_be_withdrawn(
    sergeant_a, inspector_a, staff_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 9), end=D(2026, 3, 15))
    services.flex_approve(flex=flex, by=inspector_a)
    record_flexed_duty(dwos_a[0], ward_a_east, flex, staff_a)

    with pytest.raises(ConflictError, match="cannot be withdrawn") as refused:
        services.flex_withdraw(flex=flex, by=inspector_a, reason="No longer needed")

    assert refused.value.code == "flex_has_duties"
    flex.refresh_from_db()
    assert flex.status == FlexStatus.APPROVED
    assert flex.commitments.count() == 1  # the officers stay committed


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_during_a_duty_recording_waits_and_is_refused(
    sergeant_a, inspector_a, staff_a, ward_a_east, dwos_a, dwos_a_east, frozen_today, monkeypatch
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 9), end=D(2026, 3, 15))
    services.flex_approve(flex=flex, by=inspector_a)
    checked = threading.Event()
    real_check = duties._flex_covering

    def check_then_pause(*args, **kwargs):
        real_check(*args, **kwargs)
        checked.set()
        time.sleep(1.5)  # the withdrawal is attempted now, before the duty is saved

    monkeypatch.setattr(duties, "_flex_covering", check_then_pause)
    outcomes = {}

    def record():
        try:
            record_flexed_duty(dwos_a[0], ward_a_east, flex, staff_a)
            outcomes["record"] = "recorded"
        except (ConflictError, DomainError) as exc:
            outcomes["record"] = str(exc)
        finally:
            connection.close()

    def withdraw():
        try:
            assert checked.wait(10)
            services.flex_withdraw(
                flex=FlexRequest.objects.get(pk=flex.pk), by=inspector_a, reason="Not needed"
            )
            outcomes["withdraw"] = "withdrawn"
        except ConflictError as exc:
            outcomes["withdraw"] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=record), threading.Thread(target=withdraw)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert outcomes == {"record": "recorded", "withdraw": "flex_has_duties"}
    flex.refresh_from_db()
    assert flex.status == FlexStatus.APPROVED
    assert Duty.objects.filter(flex_request=flex).count() == 1


@pytest.mark.django_db
def test_a_flex_cannot_end_before_the_duties_recorded_under_it(
    sergeant_a, inspector_a, staff_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 2), end=D(2026, 3, 15))
    services.flex_approve(flex=flex, by=inspector_a)  # starts today: active at once
    record_flexed_duty(dwos_a[0], ward_a_east, flex, staff_a)  # 10 March

    with pytest.raises(DomainError, match="until 10 March 2026") as refused:
        services.flex_end(flex=flex, by=inspector_a, reason="Series detected", on=D(2026, 3, 5))
    assert refused.value.field == "on"
    flex.refresh_from_db()
    assert flex.status == FlexStatus.ACTIVE

    services.flex_end(flex=flex, by=inspector_a, reason="Series detected", on=D(2026, 3, 10))
    flex.refresh_from_db()
    assert (flex.status, flex.ended_on) == (FlexStatus.ENDED, D(2026, 3, 10))


@pytest.mark.django_db
def test_an_approved_flex_whose_day_has_come_can_be_ended_before_the_daily_job_starts_it(
    sergeant_a, inspector_a, staff_a, ward_a_east, dwos_a, dwos_a_east, frozen_today,
    time_machine,
):
    def available_actions(flex, user):
        return [a.name for a in services.next_actions(flex, user) if a.allowed]

    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 9), end=D(2026, 3, 15))
    services.flex_approve(flex=flex, by=inspector_a)
    assert "end" not in available_actions(flex, inspector_a)  # not started yet
    time_machine.move_to(datetime.datetime(2026, 3, 10, 9, 0), tick=False)  # no daily job ran
    record_flexed_duty(dwos_a[0], ward_a_east, flex, staff_a)
    flex.refresh_from_db()
    assert flex.status == FlexStatus.APPROVED
    assert "end" in available_actions(flex, inspector_a)
    assert "review" not in available_actions(flex, inspector_a)  # due on 23 March, not before

    services.flex_end(flex=flex, by=inspector_a, reason="Series detected")

    flex.refresh_from_db()
    assert (flex.status, flex.ended_on) == (FlexStatus.ENDED, D(2026, 3, 10))
    steps = list(flex.transitions.values_list("from_status", "to_status"))
    assert steps[-2:] == [(FlexStatus.APPROVED, FlexStatus.ACTIVE),
                          (FlexStatus.ACTIVE, FlexStatus.ENDED)]
