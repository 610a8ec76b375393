"""The 14-day review is a real review (deployment.flex_review):
- it is held from its due day (start + 14 days), not before;
- it records the tasking meeting's decision: continue, change or end;
- a change re-runs the approval rules over what it adds, and whoever proposed it cannot decide
  it;
- a review not held by its due day is escalated every morning to the borough's Chief
  Inspectors until it is held (beat's `flex-reviews-overdue`, once a day per flex)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from config.celery import app
from config.errors import ConflictError, DomainError
from config.models import OutboundEmail
from config.schedule import CELERY_BEAT_SCHEDULE
from config.timeutils import day_bounds
from deployment import flex_daily, services
from deployment.models import Commitment, FlexChange, FlexRequest, FlexStatus
from tests import factories as f
from tests.conftest import api_client_for
from tests.deployment.factories import abstract, raise_flex, record_flexed_duty
from tests.pages import page_of, post_as

pytestmark = pytest.mark.django_db
D = datetime.date
URL = "/api/v1/flex-requests/"


def on(time_machine, day):
    time_machine.move_to(datetime.datetime(day.year, day.month, day.day, 9, 0), tick=False)


@pytest.fixture
def running(sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today):
    """dwos_a[0] flexed to ward_a_east from 2 to 22 March: its review is due on 16 March."""
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 2), end=D(2026, 3, 22))
    return services.flex_approve(flex=flex, by=inspector_a)


def allowed(flex, user, today):
    flex = FlexRequest.objects.get(pk=flex.pk)
    return {a.name: a for a in services.next_actions(flex, user, today)}


def test_the_review_is_held_from_its_due_day_not_before(inspector_a, running, time_machine):
    assert running.review_due == D(2026, 3, 16)
    for day in (D(2026, 3, 2), D(2026, 3, 15)):
        on(time_machine, day)
        with pytest.raises(ConflictError, match="due on 16 March 2026") as refused:
            services.flex_review(flex=running, by=inspector_a, decision="continue")
        assert refused.value.code == "review_not_due"
        review = allowed(running, inspector_a, day)["review"]
        assert not review.allowed and "16 March 2026" in review.why_not
        assert allowed(running, inspector_a, day)["end"].allowed  # ending early still can
    on(time_machine, D(2026, 3, 16))
    assert allowed(running, inspector_a, D(2026, 3, 16))["review"].allowed
    flex = services.flex_review(flex=running, by=inspector_a, decision="continue",
                                reason="Snatches down by half")
    last = flex.transitions.last()
    assert (last.step, last.by, last.reason) == ("review_continue", inspector_a,
                                                "Snatches down by half")
    assert FlexRequest.objects.reviews_due(D(2026, 3, 16)).count() == 0


def test_the_meeting_may_end_it_at_the_review(inspector_a, running, time_machine):
    on(time_machine, D(2026, 3, 17))
    flex = services.flex_review(flex=running, by=inspector_a, decision="end", reason="Done")
    assert (flex.status, flex.ended_on) == (FlexStatus.ENDED, D(2026, 3, 17))
    assert flex.transitions.last().step == "review_end"


@pytest.fixture
def at_review(running, time_machine):
    on(time_machine, D(2026, 3, 16))
    return running


def propose(flex, by, **change):
    return services.flex_review(flex=flex, by=by, decision="change",
                                reason="Snatches moved to the market", change=change)


def test_whoever_proposed_a_change_cannot_decide_it(inspector_a, chief_inspector_a, at_review):
    propose(at_review, inspector_a, end_date=D(2026, 3, 29))
    change = FlexChange.objects.get()
    assert change.status == FlexChange.Status.PROPOSED
    assert at_review.transitions.last().step == "review_change"
    for decide in (
        lambda: services.flex_change_approve(flex=at_review, by=inspector_a),
        lambda: services.flex_change_reject(flex=at_review, by=inspector_a, reason="No"),
    ):
        with pytest.raises(PermissionDenied, match="You proposed this change"):
            decide()
    actions = allowed(at_review, inspector_a, D(2026, 3, 16))
    assert not actions["approve_change"].allowed
    assert "You proposed this change" in actions["approve_change"].why_not
    assert allowed(at_review, chief_inspector_a, D(2026, 3, 16))["approve_change"].allowed

    services.flex_change_approve(flex=at_review, by=chief_inspector_a, reason="Agreed")
    at_review.refresh_from_db()
    assert at_review.end_date == D(2026, 3, 29)
    commitment = Commitment.objects.get(flex_request=at_review)
    assert commitment.ends_at == day_bounds(D(2026, 3, 29), D(2026, 3, 29))[1]
    assert at_review.transitions.last().step == "change_approve"
    assert "last day 22 Mar → 29 Mar 2026" in at_review.transitions.last().reason


def test_a_change_adding_and_releasing_officers_applies_from_tomorrow(
    inspector_a, chief_inspector_a, staff_a, at_review, dwos_a, ward_a_east
):
    record_flexed_duty(dwos_a[0], ward_a_east, at_review, staff_a)  # 10 March: history stays
    propose(at_review, inspector_a, officers=[dwos_a[1]])
    services.flex_change_approve(flex=at_review, by=chief_inspector_a)
    members = {m.officer: (m.first_day, m.last_day) for m in at_review.members.all()}
    assert members == {dwos_a[0]: (None, D(2026, 3, 16)), dwos_a[1]: (D(2026, 3, 17), None)}
    held = {c.officer: (c.starts_at, c.ends_at) for c in at_review.commitments.all()}
    assert held[dwos_a[0]] == day_bounds(D(2026, 3, 2), D(2026, 3, 16))
    assert held[dwos_a[1]] == day_bounds(D(2026, 3, 17), D(2026, 3, 22))


def test_a_change_runs_the_cover_rule_again_over_what_it_adds(
    inspector_a, chief_inspector_a, borough_a, at_review, dwos_a
):
    """ward_a has 3 PCs: flexing a second one (beside dwos_a[0]) leaves it one short. Only a
    Chief Inspector accepts that, recording why, and the why is on the timeline."""
    other = f.UserFactory(username="inspector_a2", role="inspector", boroughs=[borough_a])
    propose(at_review, inspector_a, officers=[dwos_a[0], dwos_a[1]])
    with pytest.raises(ConflictError, match="Only a Chief Inspector") as refused:
        services.flex_change_approve(flex=at_review, by=other)
    assert refused.value.code == "below_minimum_cover"
    with pytest.raises(DomainError, match="Record why"):
        services.flex_change_approve(flex=at_review, by=chief_inspector_a)
    services.flex_change_approve(flex=at_review, by=chief_inspector_a,
                                 cover_override_reason="Market robberies outweigh it")
    why = at_review.transitions.last().reason
    assert "Below minimum cover accepted: Market robberies outweigh it" in why
    assert FlexChange.objects.get().cover_override_reason == "Market robberies outweigh it"


def test_shortening_keeps_cover_and_needs_no_chief_inspector(
    inspector_a, borough_a, at_review
):
    other = f.UserFactory(role="inspector", boroughs=[borough_a])
    propose(at_review, inspector_a, end_date=D(2026, 3, 18))
    services.flex_change_approve(flex=at_review, by=other)
    at_review.refresh_from_db()
    assert at_review.end_date == D(2026, 3, 18)


def test_a_change_adding_an_officer_held_elsewhere_is_a_conflict(
    inspector_a, chief_inspector_a, staff_a, borough_a, at_review, dwos_a
):
    elsewhere = f.OfficerFactory(borough=borough_a)  # of no ward: cover is not in question
    abstract(elsewhere, staff_a, 20)
    propose(at_review, inspector_a, officers=[dwos_a[0], elsewhere])
    with pytest.raises(ConflictError, match="already committed") as refused:
        services.flex_change_approve(flex=at_review, by=chief_inspector_a)
    assert refused.value.code == "officer_committed"
    assert FlexChange.objects.get().status == FlexChange.Status.PROPOSED


def test_a_change_keeps_the_28_days_and_changes_something(inspector_a, at_review):
    with pytest.raises(DomainError, match="at most 28 days"):
        propose(at_review, inspector_a, end_date=D(2026, 3, 30))
    with pytest.raises(DomainError, match="changes nothing"):
        propose(at_review, inspector_a, end_date=at_review.end_date)
    with pytest.raises(DomainError, match="why"):
        services.flex_review(flex=at_review, by=inspector_a, decision="change", reason=" ",
                             change={"end_date": D(2026, 3, 25)})


def test_a_refused_change_leaves_the_flex_as_it_was(inspector_a, chief_inspector_a, at_review):
    propose(at_review, inspector_a, end_date=D(2026, 3, 29))
    with pytest.raises(DomainError, match="reason"):
        services.flex_change_reject(flex=at_review, by=chief_inspector_a, reason="")
    services.flex_change_reject(flex=at_review, by=chief_inspector_a, reason="Not needed")
    at_review.refresh_from_db()
    assert at_review.end_date == D(2026, 3, 22)
    assert FlexChange.objects.get().status == FlexChange.Status.REJECTED
    assert at_review.transitions.last().step == "change_reject"


def test_a_flex_ending_lets_its_pending_change_lapse(inspector_a, at_review):
    propose(at_review, inspector_a, end_date=D(2026, 3, 29))
    services.flex_end(flex=at_review, by=inspector_a, reason="Arrests made")
    assert FlexChange.objects.get().status == FlexChange.Status.LAPSED


def test_the_api_reviews_with_a_change_and_another_inspector_decides_it(
    inspector_a, chief_inspector_a, at_review, dwos_a
):
    proposer, decider = api_client_for(inspector_a), api_client_for(chief_inspector_a)
    response = proposer.post(f"{URL}{at_review.pk}/review/", {
        "decision": "change", "reason": "Moved to the market", "end_date": "2026-03-25",
    }, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["changes"][0]["status"] == "proposed"
    assert proposer.post(f"{URL}{at_review.pk}/approve-change/", {}, format="json"
                         ).status_code == 403
    response = decider.post(f"{URL}{at_review.pk}/approve-change/", {}, format="json")
    assert response.status_code == 200
    assert (response.json()["end_date"], response.json()["changes"][0]["status"]) == (
        "2026-03-25", "approved"
    )
    response = decider.post(f"{URL}{at_review.pk}/reject-change/", {"reason": "x"},
                            format="json")
    assert (response.status_code, response.json()["code"]) == (409, "no_change")


def test_the_api_refuses_change_fields_for_another_decision(inspector_a, at_review):
    response = api_client_for(inspector_a).post(f"{URL}{at_review.pk}/review/", {
        "decision": "continue", "end_date": "2026-03-25",
    }, format="json")
    assert response.status_code == 400
    assert "decision" in response.json()


def test_the_pages_propose_and_decide_a_change(
    client, inspector_a, chief_inspector_a, at_review, dwos_a
):
    url = at_review.get_absolute_url()
    response = post_as(client, inspector_a, url, {
        "action": "review", "decision": "change", "reason": "Moved to the market",
        "end_date": "2026-03-25",
    })
    assert response.status_code == 302
    queue = page_of(client, chief_inspector_a, reverse("deployment:flex_queue"))
    assert f'id="change-{at_review.pk}"' in queue
    response = post_as(client, chief_inspector_a, reverse("deployment:flex_queue"), {
        "action": "change", "flex": at_review.pk, f"change-{at_review.pk}-decision": "approve",
    })
    assert response.status_code == 302
    at_review.refresh_from_db()
    assert at_review.end_date == D(2026, 3, 25)


# Escalation of a review not held


@pytest.fixture
def overdue(running, chief_inspector_a, inspector_a):
    chief_inspector_a.email = "ci.camden@met.police.example"
    chief_inspector_a.save()
    inspector_a.email = "insp.camden@met.police.example"
    inspector_a.save()
    return running


def override_today(day):
    import time_machine

    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 7), tick=False)


def escalations():
    return sorted(OutboundEmail.objects.filter(key__startswith="flex-review-overdue:")
                  .values_list("key", flat=True))


def test_an_unreviewed_flex_is_escalated_daily_to_the_chief_inspector_until_reviewed(
    inspector_a, overdue, time_machine
):
    assert flex_daily.escalate_overdue_reviews(D(2026, 3, 16)) == []  # due today: a reminder
    assert flex_daily.escalate_overdue_reviews(D(2026, 3, 17)) == [overdue.pk]
    assert flex_daily.escalate_overdue_reviews(D(2026, 3, 17)) == []  # once a day
    assert flex_daily.escalate_overdue_reviews(D(2026, 3, 18)) == [overdue.pk]
    assert escalations() == [f"flex-review-overdue:{overdue.pk}:2026-03-17",
                             f"flex-review-overdue:{overdue.pk}:2026-03-18"]
    email = OutboundEmail.objects.get(key=f"flex-review-overdue:{overdue.pk}:2026-03-18")
    assert email.recipients == ["ci.camden@met.police.example"]
    assert "overdue by 2 day(s)" in email.subject
    on(time_machine, D(2026, 3, 18))
    services.flex_review(flex=overdue, by=inspector_a, decision="continue")
    assert flex_daily.escalate_overdue_reviews(D(2026, 3, 19)) == []


def test_the_escalation_is_declared_in_the_beat_schedule_and_runs_as_a_task(overdue):
    app.loader.import_default_modules()
    entry = CELERY_BEAT_SCHEDULE["flex-reviews-overdue"]
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {0})
    with override_today(D(2026, 3, 17)):
        assert app.tasks[entry["task"]].apply().get() == [overdue.pk]


def test_a_flex_ending_before_its_review_day_is_never_escalated(
    sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 2), end=D(2026, 3, 10))
    services.flex_approve(flex=flex, by=inspector_a)
    assert flex_daily.escalate_overdue_reviews(D(2026, 3, 20)) == []


def test_the_queue_marks_an_overdue_review(client, inspector_a, overdue, time_machine):
    on(time_machine, D(2026, 3, 18))
    content = page_of(client, inspector_a, reverse("deployment:flex_queue"))
    assert "2 days overdue" in content
