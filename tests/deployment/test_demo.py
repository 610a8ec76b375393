"""The deployment demo: a realistic month and a bit of duties, abstractions and flex requests in
every state for every borough, consistent with the protocol, and seeded once."""

import datetime
import importlib
import io
from collections import defaultdict

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from config.access import Role
from config.timeutils import LONDON, day_bounds
from deployment import calendar, cover, flex_daily, selectors, services
from deployment.demo import seed_deployment_demo
from deployment.models import (
    Abstraction,
    AbstractionType,
    Commitment,
    Duty,
    FlexOfficer,
    FlexRequest,
    FlexStatus,
    FlexTransition,
    RestDay,
)
from deployment.rest_days import with_worked
from teams.demo import seed_demo
from teams.models import Posting, User
from wards.london import load_london
from wards.models import Borough

pytestmark = pytest.mark.django_db

# Camden, Westminster and Lambeth have demo logins; Islington has none.
SEEDED = ["Camden", "Westminster", "Lambeth", "Islington"]
DEPLOYMENT_MODELS = (
    Duty, Abstraction, Commitment, FlexRequest, FlexOfficer, FlexTransition, RestDay, User,
)  # fmt: skip


def restore_abstraction_types():
    """`flush` empties every table, the abstraction types a migration seeded too: put them back
    (for this module if one before it flushed, and for the modules that run after it)."""
    importlib.import_module("deployment.migrations.0002_seed_abstraction_types").seed(apps, None)


@pytest.fixture(scope="module", autouse=True)
def demo_london(django_db_setup, django_db_blocker):
    """London and its teams seeded once, then the deployment demo for four boroughs; each test
    runs in a transaction on top of it, and the module empties the database when it is done."""
    try:
        with django_db_blocker.unblock():
            restore_abstraction_types()
            load_london()
            seed_demo()
            seed_deployment_demo(boroughs=SEEDED)
        yield
    finally:  # even when seeding failed, so London does not leak into the next module
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            restore_abstraction_types()


@pytest.fixture
def boroughs():
    return list(Borough.objects.filter(name__in=SEEDED).order_by("name"))


def table_counts():
    return {model.__name__: model.objects.count() for model in DEPLOYMENT_MODELS}


def london_date(moment):
    return moment.astimezone(LONDON).date()


def test_every_flex_state_appears_in_every_seeded_borough(boroughs):
    for borough in boroughs:
        states = set(FlexRequest.objects.filter(borough=borough).values_list("status", flat=True))
        assert states == set(FlexStatus.values), borough


def test_only_the_seeded_boroughs_have_deployment_data():
    seeded = set(FlexRequest.objects.values_list("borough__name", flat=True))
    assert seeded == set(SEEDED)
    assert set(Duty.objects.values_list("officer__borough__name", flat=True)) == set(SEEDED)


def test_duties_run_from_the_first_of_last_month_to_today():
    today = timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    days = {london_date(d) for d in Duty.objects.values_list("starts_at", flat=True)}
    assert min(days) == first
    assert max(days) == today


def test_dedicated_officers_and_sergeants_work_four_or_five_shifts_a_week(boroughs):
    officers = Posting.objects.filter(
        team__borough__in=boroughs, is_primary=True,
        role__in=[Posting.Role.DEDICATED, Posting.Role.SUPERVISOR],
    ).exclude(officer__rank="special").values_list("officer_id", flat=True)
    duties = Duty.objects.filter(officer__in=officers)
    today = timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    weeks = ((today - first).days + 1) / 7

    per_week = duties.count() / len(set(officers)) / weeks
    assert 3.8 <= per_week <= 4.8
    assert duties.values("officer").distinct().count() == len(set(officers))
    assert not Duty.objects.filter(officer__is_detective=True).exists()


def seeded_period():
    today = timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1), today


def test_regular_officers_have_their_rotas_rest_days_recorded(boroughs):
    """The rota has 10 rest days in 28 (2.5 a week): each one is recorded while the officer is
    posted. A Special's days off are not rostered rest days."""
    officers = set(Posting.objects.filter(
        team__borough__in=boroughs, is_primary=True,
        role__in=[Posting.Role.DEDICATED, Posting.Role.SUPERVISOR],
    ).exclude(officer__rank="special").values_list("officer_id", flat=True))  # fmt: skip
    first, today = seeded_period()
    weeks = ((today - first).days + 1) / 7
    rest_days = RestDay.objects.filter(officer__in=officers)

    assert 2.2 <= rest_days.count() / len(officers) / weeks <= 2.6
    assert rest_days.values("officer").distinct().count() == len(officers)
    assert not RestDay.objects.filter(officer__rank="special").exists()


def test_no_demo_rest_day_falls_on_a_day_with_a_duty():
    """deployment.rest_days' rule in SQL, and again here by hand: a duty's day is the London
    date it starts on."""
    duty_days = {
        (officer_id, london_date(starts_at))
        for officer_id, starts_at in Duty.objects.values_list("officer_id", "starts_at")
    }
    rest_days = set(RestDay.objects.values_list("officer_id", "day"))

    assert rest_days and not rest_days & duty_days
    assert not with_worked(RestDay.objects.all()).filter(worked=True).exists()


def test_demo_rest_days_lie_in_the_seeded_period_in_the_officers_borough():
    first, today = seeded_period()
    days = RestDay.objects.values_list("day", flat=True)

    assert first <= min(days) and max(days) <= today
    assert not RestDay.objects.exclude(borough=F("officer__borough")).exists()
    assert not RestDay.objects.exclude(recorded_by__boroughs=F("borough")).exists()


def test_the_calendar_and_the_officers_month_show_the_demo_rest_days(client):
    rest_day = (
        RestDay.objects.filter(borough__name="Camden", officer__rank="pc")
        .select_related("officer").order_by("day", "officer__shoulder_number").first()
    )  # fmt: skip
    officer, day = rest_day.officer, rest_day.day
    home = Posting.objects.get(officer=officer, is_primary=True).team.ward
    first = day.replace(day=1)
    month = calendar.ward_month(home, first, first + datetime.timedelta(days=27))
    column = [row.officer.pk for row in month.officers].index(officer.pk)
    [cells] = [cells for d, cells, _cover in month.rows if d == day]
    assert cells[column].state == calendar.REST_DAY

    client.force_login(User.objects.get(username="staff.camden"))
    page = client.get(reverse(
        "deployment:officer_month", args=[officer.shoulder_number, day.year, day.month]
    ))  # fmt: skip
    assert page.status_code == 200
    assert day in [line.day for line in page.context["rest_days"]]
    assert "Rest day" in page.content.decode()


def test_the_rest_days_are_analyzed_after_the_bulk_load():
    """The planner's row count (pg_class.reltuples, which only ANALYZE sets here) matches."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = %s", [RestDay._meta.db_table]
        )
        [planner_rows] = cursor.fetchone()
    assert planner_rows == RestDay.objects.count() > 0


def test_shifts_are_earlies_lates_and_nights_that_cross_midnight():
    home = Duty.objects.filter(kind=Duty.Kind.HOME)
    hours = {
        (s.astimezone(LONDON).time(), e.astimezone(LONDON).time())
        for s, e in home.values_list("starts_at", "ends_at")
    }
    assert hours == {
        (datetime.time(7), datetime.time(15)),
        (datetime.time(14), datetime.time(22)),
        (datetime.time(22), datetime.time(7)),
    }
    nights = [
        (s, e)
        for s, e in home.values_list("starts_at", "ends_at")
        if london_date(s) != london_date(e)
    ]
    assert len(nights) > 100
    assert all(london_date(e) == london_date(s) + datetime.timedelta(days=1) for s, e in nights)


def test_no_officer_has_overlapping_shifts():
    shifts = defaultdict(list)
    for officer_id, starts_at, ends_at in Duty.objects.values_list(
        "officer_id", "starts_at", "ends_at"
    ):
        shifts[officer_id].append((starts_at, ends_at))
    for officer_shifts in shifts.values():
        officer_shifts.sort()
        for (_, ended), (started, _) in zip(officer_shifts, officer_shifts[1:], strict=False):
            assert started >= ended


def test_most_shifts_are_in_the_home_ward():
    total = Duty.objects.count()
    home = Duty.objects.filter(kind=Duty.Kind.HOME).count()
    abstracted = Duty.objects.filter(kind=Duty.Kind.ABSTRACTED).count()

    assert 0.8 <= home / total <= 0.95
    assert 0.03 <= abstracted / total <= 0.15


def test_every_abstraction_type_appears_in_every_seeded_borough(boroughs):
    all_types = set(AbstractionType.objects.values_list("code", flat=True))
    for borough in boroughs:
        types = set(
            Abstraction.objects.filter(officer__borough=borough).values_list(
                "abstraction_type__code", flat=True
            )
        )
        assert types == all_types, borough


def test_abstractions_name_their_event_and_who_authorised_them_and_hold_the_officer():
    abstractions = Abstraction.objects.select_related("commitment").prefetch_related("duties")

    for abstraction in abstractions:
        assert abstraction.significant_event and abstraction.authorised_by_name
        commitment = abstraction.commitment
        assert (commitment.officer_id, commitment.starts_at, commitment.ends_at) == (
            abstraction.officer_id, abstraction.starts_at, abstraction.ends_at,
        )
        for duty in abstraction.duties.all():
            assert duty.kind == Duty.Kind.ABSTRACTED and duty.officer_id == abstraction.officer_id
            assert abstraction.starts_at <= duty.starts_at < duty.ends_at <= abstraction.ends_at
        if abstraction.starts_at < timezone.now():
            assert abstraction.duties.all(), abstraction
    events = set(Abstraction.objects.values_list("significant_event", flat=True))
    assert any(e.startswith("Crown Court trial") for e in events)
    assert Abstraction.objects.filter(abstraction_type__code="central-aid").values(
        "starts_at__date"
    ).distinct().count() >= 2


def test_no_officer_is_both_flexed_and_abstracted_at_once():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM deployment_commitment a JOIN deployment_commitment b
            ON a.officer_id = b.officer_id AND a.id < b.id
            AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
            """
        )
        assert cursor.fetchone()[0] == 0
    for commitment in Commitment.objects.filter(flex_request__isnull=False):
        assert not Duty.objects.filter(
            officer=commitment.officer, kind=Duty.Kind.ABSTRACTED,
            starts_at__lt=commitment.ends_at, ends_at__gt=commitment.starts_at,
        ).exists()


def test_flexed_shifts_of_active_and_ended_flexes_point_at_their_request():
    flexed = Duty.objects.filter(flex_request__isnull=False).select_related("flex_request")

    assert flexed.exists()
    for duty in flexed:
        flex = duty.flex_request
        assert flex.status in (FlexStatus.ACTIVE, FlexStatus.ENDED)
        assert duty.kind == Duty.Kind.FLEXED and duty.worked_ward_id == flex.to_ward_id
        assert flex.members.filter(officer=duty.officer, from_ward=duty.home_ward).exists()
        assert flex.start_date <= london_date(duty.starts_at) <= (flex.ended_on or flex.end_date)
        assert duty.starts_at.astimezone(LONDON).time() == flex.daily_start
    for flex in FlexRequest.objects.filter(status__in=[FlexStatus.ACTIVE, FlexStatus.ENDED]):
        assert flex.duties.exists(), flex


def test_some_shifts_were_flexed_without_a_request_in_every_seeded_borough(boroughs):
    for borough in boroughs:
        unauthorised = Duty.objects.filter(
            officer__borough=borough, kind=Duty.Kind.FLEXED, flex_request__isnull=True
        )
        assert unauthorised.count() >= 3
        assert not unauthorised.filter(worked_ward=F("home_ward")).exists()


def test_each_timeline_ends_in_the_request_state_and_lies_in_the_past():
    now = timezone.now()
    for flex in FlexRequest.objects.prefetch_related("transitions"):
        steps = list(flex.transitions.all())
        assert (steps[0].from_status, steps[0].to_status) == ("", FlexStatus.DRAFT)
        assert steps[0].at == flex.created_at
        assert steps[-1].to_status == flex.status, flex
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_status == before.to_status
            assert before.at < after.at
        assert steps[-1].at < now


def test_decisions_are_made_by_an_inspector_who_did_not_ask():
    decided = FlexRequest.objects.exclude(
        status__in=[FlexStatus.DRAFT, FlexStatus.SUBMITTED, FlexStatus.WITHDRAWN]
    ).select_related("decided_by", "requested_by")

    for flex in decided:
        assert flex.decided_by.role in (Role.INSPECTOR, Role.CHIEF_INSPECTOR)
        assert flex.decided_by != flex.requested_by
        assert flex.requested_by.role in (Role.SERGEANT, Role.STAFF)
        assert flex.borough in flex.decided_by.boroughs.all()
    assert not decided.filter(status=FlexStatus.REJECTED, decision_reason="").exists()
    override = decided.exclude(cover_override_reason="").get(borough__name="Camden")
    assert override.decided_by.role == Role.CHIEF_INSPECTOR


def test_approved_and_active_flexes_hold_their_officers_and_ended_ones_release_them():
    for flex in FlexRequest.objects.prefetch_related("members", "commitments"):
        commitments = list(flex.commitments.all())
        if flex.status not in (FlexStatus.APPROVED, FlexStatus.ACTIVE, FlexStatus.ENDED):
            assert commitments == [], flex
            continue
        assert {c.officer_id for c in commitments} == {m.officer_id for m in flex.members.all()}
        expected = day_bounds(flex.start_date, flex.ended_on or flex.end_date)
        assert all((c.starts_at, c.ends_at) == expected for c in commitments)
    ended_early = FlexRequest.objects.filter(status=FlexStatus.ENDED, ended_on__lt=F("end_date"))
    assert ended_early.exists()


def test_approved_flexes_start_in_the_future_and_active_ones_are_due_or_overdue_review(boroughs):
    today = timezone.localdate()
    assert not FlexRequest.objects.filter(status=FlexStatus.APPROVED, start_date__lte=today)
    for borough in boroughs:
        active = FlexRequest.objects.filter(borough=borough, status=FlexStatus.ACTIVE)
        assert active.filter(review_due__lt=today, last_reviewed_at__isnull=True).exists()
        soon = today + datetime.timedelta(days=7)
        assert active.filter(review_due__gte=today, review_due__lte=soon).exists()
        assert active.filter(last_reviewed_at__isnull=False).exists()


def test_the_daily_housekeeping_finds_the_demo_already_up_to_date():
    outcome = flex_daily.flex_daily_housekeeping()

    assert (outcome["started"], outcome["ended"]) == (0, 0)
    overdue = FlexRequest.objects.filter(
        status=FlexStatus.ACTIVE, review_due__lt=timezone.localdate(), last_reviewed_at=None
    )
    assert len(overdue) == len(SEEDED)
    assert set(outcome["reviews_due"]) == {flex.pk for flex in overdue}


def test_the_queue_shows_conflicts_and_cover_warnings_before_deciding(boroughs):
    for borough in boroughs:
        submitted = FlexRequest.objects.filter(borough=borough, status=FlexStatus.SUBMITTED)
        conflicts = [bool(selectors.flex_conflicts(f)) for f in submitted]
        gaps = [bool(cover.flex_cover_gaps(f)) for f in submitted]
        assert any(conflicts) and any(gaps), borough
        assert any(not c and not g for c, g in zip(conflicts, gaps, strict=True)), borough


def test_camdens_demo_inspector_can_work_a_queue_raised_by_others():
    inspector = User.objects.get(username="inspector.camden")
    queue = FlexRequest.objects.for_user(inspector).filter(status=FlexStatus.SUBMITTED)

    assert queue.count() >= 3
    assert not queue.filter(requested_by=inspector).exists()
    assert set(queue.values_list("borough__name", flat=True)) == {"Camden"}
    clean = next(
        f for f in queue if not selectors.flex_conflicts(f) and not cover.flex_cover_gaps(f)
    )
    approved = services.flex_approve(flex=clean, by=inspector, reason="Supported")
    assert approved.status == FlexStatus.APPROVED


def test_a_borough_without_logins_gets_a_sergeant_and_an_inspector_who_cannot_sign_in():
    islington = Borough.objects.get(name="Islington")
    users = User.objects.filter(
        boroughs=islington, role__in=[Role.STAFF, Role.SERGEANT, Role.INSPECTOR]
    ).order_by("username")

    assert [(u.username, u.role) for u in users] == [
        ("inspector.islington", Role.INSPECTOR),
        ("sergeant.islington", Role.SERGEANT),
    ]
    assert not any(u.has_usable_password() for u in users)
    assert users[1].officer.borough == islington and users[1].get_full_name()


def test_a_second_run_creates_nothing_new():
    before = table_counts()

    report = seed_deployment_demo(boroughs=SEEDED)
    call_command("seed_deployment_demo", "--borough", "Camden", stdout=io.StringIO())

    assert sum(report.created.values()) == 0 and report.seeded == []
    assert sorted(report.skipped) == sorted(SEEDED)
    assert table_counts() == before


def test_seeding_a_borough_again_from_scratch_gives_the_same_demo():
    def camden():
        return sorted(
            Duty.objects.filter(officer__borough__name="Camden").values_list(
                "officer__shoulder_number", "starts_at", "ends_at", "kind", "worked_ward__code",
                "abstraction__significant_event", "flex_request__problem",
            )
        )

    def camden_rest_days():
        return sorted(
            RestDay.objects.filter(borough__name="Camden").values_list(
                "officer__shoulder_number", "day"
            )
        )

    before, rest_days_before = camden(), camden_rest_days()
    RestDay.objects.filter(borough__name="Camden").delete()
    Duty.objects.filter(officer__borough__name="Camden").delete()
    Commitment.objects.filter(officer__borough__name="Camden").delete()
    Abstraction.objects.filter(officer__borough__name="Camden").delete()
    FlexRequest.objects.filter(borough__name="Camden").delete()

    report = seed_deployment_demo(boroughs=["E09000007"])

    assert report.seeded == ["Camden"]
    assert camden() == before
    assert camden_rest_days() == rest_days_before


def test_seed_demo_seeds_the_deployment_demo_unless_told_not_to(monkeypatch):
    calls = []

    def fake_seed(**kwargs):
        calls.append(kwargs)
        return seed_deployment_demo(boroughs=["Camden"])

    monkeypatch.setattr("deployment.management.commands.seed_demo.seed_deployment_demo", fake_seed)
    out = io.StringIO()

    call_command("seed_demo", "--without-deployment", stdout=out)
    assert calls == []
    call_command("seed_demo", stdout=out)
    assert len(calls) == 1
    assert "Left alone" in out.getvalue() and "Demo data ready." in out.getvalue()


def test_it_needs_the_abstraction_types_the_migration_seeds():
    AbstractionType.objects.filter(code="cad-room").update(code="control-room")

    with pytest.raises(CommandError, match="cad-room are missing"):
        call_command("seed_deployment_demo", stdout=io.StringIO())
