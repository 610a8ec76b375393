"""Transferring an officer to another borough: their postings in the old borough end the day
before, the transfer is recorded with who, when and why, and the new borough takes them on.
Refused, with nothing written, while they are still committed to the old borough."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from config.errors import DomainError
from config.timeutils import LONDON
from deployment.duties import abstraction_record
from deployment.models import AbstractionType, Duty, FlexOfficer, FlexRequest, FlexStatus
from teams import services
from teams.models import Officer, OfficerTransfer, Posting
from tests import factories as f
from tests.conftest import (
    EDITORS_OF_A,
    READERS_OF_A,
    ROLE_FIXTURES,
    api_client_for,
    write_status,
)
from tests.victims.conftest import offer_of, record_crime
from victims.models import OfferStatus

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 1, 1)
ON = datetime.date(2026, 12, 1)  # today in these tests: a transfer is recorded on its day


@pytest.fixture(autouse=True)
def _today_is_on(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON), tick=False)


@pytest.fixture
def officer_a(borough_a, team_a, staff_a):
    officer = f.OfficerFactory(
        shoulder_number="7016EA", first_name="Priya", last_name="Shah", borough=borough_a
    )
    f.PostingFactory(officer=officer, team=team_a, start_date=START, created_by=staff_a)
    return officer


def transfer(officer, by, **changes):
    args = {"to_borough": changes.pop("to_borough", None), "effective_on": ON,
            "reason": "Promoted into Westminster's town centre team"}
    args.update(changes)
    return services.officer_transfer(officer=officer, by=by, **args)


def unchanged(officer, borough):
    officer.refresh_from_db()
    assert officer.borough == borough
    assert not OfficerTransfer.objects.exists()
    assert Posting.objects.get(officer=officer).end_date is None


# -- the service ---------------------------------------------------------------------------

def test_a_transfer_ends_the_postings_the_day_before_and_moves_the_officer(
    officer_a, staff_a, borough_a, borough_b, team_b
):
    second = f.PostingFactory(officer=officer_a, team=f.TeamFactory(ward=f.WardFactory(
        borough=officer_a.borough)), is_primary=False, start_date=START)

    record = transfer(officer_a, staff_a, to_borough=borough_b)

    officer_a.refresh_from_db()
    assert officer_a.borough == borough_b
    for posting in Posting.objects.filter(officer=officer_a):
        assert posting.end_date == ON - datetime.timedelta(days=1)
        assert posting.end_reason == f"Transferred to {borough_b}"
        assert posting.ended_by == staff_a
    second.refresh_from_db()
    assert second.end_date == ON - datetime.timedelta(days=1)  # every running posting ends
    assert (record.from_borough, record.to_borough, record.effective_on, record.transferred_by) == (
        borough_a, borough_b, ON, staff_a
    )
    assert record.reason == "Promoted into Westminster's town centre team"
    assert abs(record.transferred_at - timezone.now()) < datetime.timedelta(minutes=1)
    # The new borough posts them.
    posting = services.posting_create(officer=officer_a, team=team_b, role="dedicated",
                                      start_date=ON, by=staff_a)
    assert posting.team.borough == borough_b


def test_postings_already_ended_before_the_transfer_are_left_as_they_were(
    officer_a, staff_a, borough_b
):
    old = f.PostingFactory(officer=officer_a, team=f.TeamFactory(ward=f.WardFactory(
        borough=officer_a.borough)), is_primary=False, start_date=START,
        end_date=datetime.date(2025, 6, 30), end_reason="Ward merged")
    transfer(officer_a, staff_a, to_borough=borough_b)
    old.refresh_from_db()
    assert (old.end_date, old.end_reason) == (datetime.date(2025, 6, 30), "Ward merged")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"reason": "  "}, "Enter why the officer is transferring"),
        ({"reason": "x" * 301}, "300 characters or fewer"),
    ],
)
def test_a_reason_is_required(officer_a, staff_a, borough_a, borough_b, changes, message):
    with pytest.raises(DomainError, match=message):
        transfer(officer_a, staff_a, to_borough=borough_b, **changes)
    unchanged(officer_a, borough_a)


def test_a_transfer_to_the_officers_own_borough_is_refused(officer_a, staff_a, borough_a):
    with pytest.raises(DomainError, match="already belongs to") as refused:
        transfer(officer_a, staff_a, to_borough=borough_a)
    assert refused.value.field == "borough"
    unchanged(officer_a, borough_a)


def test_a_posting_starting_on_or_after_the_transfer_must_be_ended_first(
    officer_a, staff_a, borough_a, borough_b
):
    Posting.objects.filter(officer=officer_a).update(end_date=ON - datetime.timedelta(days=10))
    f.PostingFactory(officer=officer_a, team=f.TeamFactory(ward=f.WardFactory(
        borough=borough_a)), start_date=ON + datetime.timedelta(days=3))
    with pytest.raises(DomainError, match="starts on 04 December 2026"):
        transfer(officer_a, staff_a, to_borough=borough_b)
    officer_a.refresh_from_db()
    assert officer_a.borough == borough_a
    assert not OfficerTransfer.objects.exists()


def test_an_abstraction_after_the_transfer_must_be_ended_first(
    officer_a, staff_a, borough_a, borough_b
):
    starts = datetime.datetime.combine(ON, datetime.time(9), tzinfo=LONDON)
    abstraction_record(
        officer=officer_a, abstraction_type=AbstractionType.objects.get(code="court"),
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=6),
        significant_event="Crown Court", authorised_by_name="Supt Example", by=staff_a,
    )
    with pytest.raises(DomainError, match=r"committed to an abstraction \(Court\)") as refused:
        transfer(officer_a, staff_a, to_borough=borough_b)
    assert refused.value.field == "effective_on"
    unchanged(officer_a, borough_a)


def test_a_flex_request_waiting_for_a_decision_must_be_settled_first(
    officer_a, staff_a, sergeant_a, borough_a, borough_b, ward_a
):
    flex = FlexRequest.objects.create(
        borough=borough_a, to_ward=ward_a, start_date=ON, end_date=ON + datetime.timedelta(days=5),
        daily_start=datetime.time(8), daily_end=datetime.time(16), problem="Burglary",
        expected_benefit="Fewer burglaries", status=FlexStatus.SUBMITTED, requested_by=sergeant_a,
    )
    FlexOfficer.objects.create(flex_request=flex, officer=officer_a, from_ward=ward_a)
    with pytest.raises(DomainError, match=f"flex request #{flex.pk}, still waiting"):
        transfer(officer_a, staff_a, to_borough=borough_b)
    unchanged(officer_a, borough_a)


def test_duties_recorded_after_the_transfer_must_not_exist(
    officer_a, staff_a, borough_a, borough_b, ward_a
):
    starts = datetime.datetime.combine(ON, datetime.time(7), tzinfo=LONDON)
    Duty.objects.create(officer=officer_a, home_ward=ward_a, worked_ward=ward_a, starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=8), recorded_by=staff_a)
    with pytest.raises(DomainError, match="Duties are recorded for Priya Shah on or after"):
        transfer(officer_a, staff_a, to_borough=borough_b)
    unchanged(officer_a, borough_a)


def test_victim_visits_scheduled_with_the_officer_must_be_reassigned_first(
    officer_a, staff_a, borough_a, borough_b, ward_a
):
    offer = offer_of(record_crime(staff_a, ward=ward_a))
    starts = datetime.datetime.combine(ON, datetime.time(10), tzinfo=LONDON)
    type(offer).objects.filter(pk=offer.pk).update(
        status=OfferStatus.SCHEDULED, officer=officer_a, window_start=starts,
        window_end=starts + datetime.timedelta(hours=2),
    )
    with pytest.raises(DomainError, match="victim visits scheduled"):
        transfer(officer_a, staff_a, to_borough=borough_b)
    unchanged(officer_a, borough_a)


@pytest.mark.parametrize("who", ["commander_a", "hq", "staff_b", "inspector_b"])
def test_only_an_editor_of_the_officers_borough_may_transfer(
    officer_a, borough_a, borough_b, cast, who
):
    with pytest.raises(PermissionDenied):
        transfer(officer_a, cast(who), to_borough=borough_b)
    unchanged(officer_a, borough_a)


# -- the API -------------------------------------------------------------------------------

def url_of(officer):
    return f"/api/v1/officers/{officer.shoulder_number}/transfer/"


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_the_api_transfers_for_the_officers_editors_only(
    officer_a, borough_b, client_of, cast, who
):
    response = client_of(who).post(
        url_of(officer_a),
        {"borough": borough_b.code, "effective_on": "2026-12-01", "reason": "Promotion"},
        format="json",
    )
    assert response.status_code == write_status(who, 200), response.content
    officer_a.refresh_from_db()
    assert (officer_a.borough == borough_b) == (who in EDITORS_OF_A)
    if response.status_code == 200:
        assert response.json() | {"id": 0, "transferred_at": "", "done_at": ""} == {
            "id": 0, "officer": "7016EA", "status": "done", "from_borough": "E09000007",
            "to_borough": borough_b.code, "effective_on": "2026-12-01", "reason": "Promotion",
            "transferred_by": cast(who).username, "transferred_at": "", "done_at": "",
            "blocked_reason": "", "cancelled_by": None, "cancelled_at": None, "cancel_reason": "",
        }


def test_the_api_answers_bad_input_with_field_errors(officer_a, client_of, borough_a):
    response = client_of("staff_a").post(
        url_of(officer_a), {"borough": "E09999999", "effective_on": "soon"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"borough", "effective_on", "reason"}, body
    unchanged(officer_a, borough_a)


def test_the_api_answers_a_refusal_with_its_field(officer_a, client_of, borough_a):
    response = client_of("staff_a").post(
        url_of(officer_a),
        {"borough": borough_a.code, "effective_on": "2026-12-01", "reason": "Promotion"},
        format="json",
    )
    assert response.status_code == 400
    assert "already belongs to" in str(response.json())
    unchanged(officer_a, borough_a)


def test_editing_an_officers_borough_is_refused_in_favour_of_a_transfer(
    officer_a, staff_a, borough_a, borough_a2
):
    staff_a.boroughs.add(borough_a2)  # could otherwise pick either of their boroughs
    answer = api_client_for(staff_a).patch(
        f"/api/v1/officers/{officer_a.shoulder_number}/", {"borough": borough_a2.code},
        format="json",
    )
    assert answer.status_code == 400
    assert "transfer" in str(answer.json()["borough"])
    unchanged(officer_a, borough_a)


# -- the pages -----------------------------------------------------------------------------

def page_of(officer):
    return reverse("teams:officer_transfer", args=[officer.shoulder_number])


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_the_transfer_page_is_for_the_officers_editors(client, cast, officer_a, who):
    client.force_login(cast(who))
    response = client.get(page_of(officer_a))
    assert response.status_code == write_status(who, 200)
    if response.status_code == 200:
        assert "Transfer to another borough" in response.content.decode()


@pytest.mark.parametrize("who", sorted(READERS_OF_A))
def test_the_officer_page_offers_a_transfer_to_editors_only(client, cast, officer_a, who):
    client.force_login(cast(who))
    page = client.get(reverse("teams:officer", args=[officer_a.shoulder_number]))
    assert page.status_code == 200
    assert (page_of(officer_a) in page.content.decode()) == (who in EDITORS_OF_A)


def test_an_empty_form_comes_back_with_a_govuk_error_summary(client, staff_a, officer_a, borough_a):
    client.force_login(staff_a)
    response = client.post(page_of(officer_a), {})
    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    for message in ("Choose the borough the officer is joining",
                    "Enter the first day in the new borough",
                    "Enter why the officer is transferring"):
        assert message in content
    unchanged(officer_a, borough_a)


def test_a_refusal_from_the_service_lands_on_its_field(client, staff_a, officer_a, borough_a,
                                                      borough_b, ward_a):
    starts = datetime.datetime.combine(ON, datetime.time(7), tzinfo=LONDON)
    Duty.objects.create(officer=officer_a, home_ward=ward_a, worked_ward=ward_a, starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=8), recorded_by=staff_a)
    client.force_login(staff_a)
    response = client.post(page_of(officer_a), {
        "borough": borough_b.code, "effective_on": "2026-12-01", "reason": "Promotion"})
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert 'id="id_effective_on-error"' in content
    assert "Duties are recorded" in content
    unchanged(officer_a, borough_a)


def test_after_a_transfer_the_old_borough_loses_the_officer_and_the_new_one_has_them(
    client, staff_a, staff_b, officer_a, borough_b
):
    client.force_login(staff_a)
    response = client.post(page_of(officer_a), {
        "borough": borough_b.code, "effective_on": "2026-12-01", "reason": "Promotion"})
    assert response.status_code == 302
    assert response.url == reverse("teams:officer_list")
    officer_url = reverse("teams:officer", args=[officer_a.shoulder_number])
    assert client.get(officer_url).status_code == 404

    client.force_login(staff_b)
    page = client.get(officer_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'id="transfers"' in content
    assert "Camden to Westminster. Promotion" in content
    assert Officer.objects.for_user(staff_b).filter(pk=officer_a.pk).exists()
    assert OfficerTransfer.objects.for_user(staff_a).count() == 1  # both sides keep the record
    assert OfficerTransfer.objects.for_user(staff_b).count() == 1


# -- dates, promises, logins, history ------------------------------------------------------

@pytest.mark.parametrize(
    "effective_on, message",
    [
        (ON + datetime.timedelta(days=366), "planned up to a year ahead"),
        (ON - datetime.timedelta(days=91), "back-dated by 90 days at most"),
        (datetime.date(1, 1, 1), "back-dated by 90 days at most"),
    ],
)
def test_the_date_is_at_most_90_days_back_or_a_year_ahead(
    officer_a, staff_a, borough_a, borough_b, effective_on, message
):
    with pytest.raises(DomainError, match=message) as refused:
        transfer(officer_a, staff_a, to_borough=borough_b, effective_on=effective_on)
    assert refused.value.field == "effective_on"
    unchanged(officer_a, borough_a)


def test_a_back_dated_transfer_ends_the_postings_the_day_before_it(
    officer_a, staff_a, borough_b
):
    back = ON - datetime.timedelta(days=90)
    transfer(officer_a, staff_a, to_borough=borough_b, effective_on=back)
    assert Posting.objects.get(officer=officer_a).end_date == ON - datetime.timedelta(days=91)


def test_the_api_answers_the_first_day_of_year_one_with_a_400(officer_a, client_of, borough_b):
    response = client_of("staff_a").post(
        url_of(officer_a),
        {"borough": borough_b.code, "effective_on": "0001-01-01", "reason": "Promotion"},
        format="json",
    )
    assert response.status_code == 400
    assert "between 1 January 2000 and 31 December 2099" in str(response.json())


def test_promises_the_officer_owns_must_be_handed_over_first(
    officer_a, staff_a, borough_a, borough_b, ward_a
):
    from tests.promises.factories import PromiseFactory

    PromiseFactory(ward=ward_a, owner_officer=officer_a, owner_user=None, title="Patrol the park")
    with pytest.raises(DomainError, match="owns the promise 'Patrol the park'"):
        transfer(officer_a, staff_a, to_borough=borough_b)
    unchanged(officer_a, borough_a)


def test_the_officers_own_login_follows_them(officer_a, staff_a, borough_a, borough_b):
    login = f.UserFactory(username="priya.shah", role="staff", officer=officer_a)
    login.boroughs.add(borough_a)
    transfer(officer_a, staff_a, to_borough=borough_b)
    assert list(login.boroughs.all()) == [borough_b]


def test_past_duties_and_abstractions_stay_with_the_old_borough(
    officer_a, staff_a, staff_b, borough_b, ward_a, client_of
):
    from deployment.models import Abstraction

    day = datetime.datetime(2026, 11, 20, 7, 0, tzinfo=LONDON)
    duty = Duty.objects.create(officer=officer_a, home_ward=ward_a, worked_ward=ward_a,
                               starts_at=day, ends_at=day + datetime.timedelta(hours=8),
                               recorded_by=staff_a)
    abstraction = abstraction_record(
        officer=officer_a, abstraction_type=AbstractionType.objects.get(code="court"),
        starts_at=day - datetime.timedelta(days=5),
        ends_at=day - datetime.timedelta(days=5, hours=-6),
        significant_event="Crown Court", authorised_by_name="Supt Example", by=staff_a,
    )
    transfer(officer_a, staff_a, to_borough=borough_b)

    assert list(Duty.objects.for_user(staff_a)) == [duty]
    assert not Duty.objects.for_user(staff_b).exists()
    assert list(Abstraction.objects.for_user(staff_a)) == [abstraction]
    assert not Abstraction.objects.for_user(staff_b).exists()
    api_a = client_of("staff_a").get("/api/v1/duties/").json()["results"]
    api_b = client_of("staff_b").get("/api/v1/duties/").json()["results"]
    assert [d["id"] for d in api_a] == [duty.pk] and api_b == []


@pytest.mark.django_db(transaction=True)
def test_a_transfer_during_a_duty_recording_waits_and_is_refused(
    officer_a, staff_a, borough_a, borough_b, ward_a, monkeypatch
):
    """The duty's recording holds the officer row: the transfer waits for it, then sees the
    duty and is refused. Without the lock both would pass, leaving a duty in Camden's ward for
    an officer of Westminster."""
    import threading
    import time

    from django.db import connection

    from deployment import duties

    looked_up = threading.Event()
    real_home_wards = duties.selectors.home_wards

    def home_wards_then_pause(*args, **kwargs):
        found = real_home_wards(*args, **kwargs)
        looked_up.set()
        time.sleep(1.5)  # the transfer is attempted now, before the duty is saved
        return found

    monkeypatch.setattr(duties.selectors, "home_wards", home_wards_then_pause)
    starts = datetime.datetime.combine(ON, datetime.time(7), tzinfo=LONDON)
    outcomes = {}

    def record():
        try:
            duties.duty_record(officer=officer_a, starts_at=starts,
                               ends_at=starts + datetime.timedelta(hours=8), by=staff_a)
            outcomes["duty"] = "recorded"
        except DomainError as exc:
            outcomes["duty"] = exc.message
        finally:
            connection.close()

    def move():
        try:
            assert looked_up.wait(10)
            transfer(Officer.objects.get(pk=officer_a.pk), staff_a, to_borough=borough_b)
            outcomes["transfer"] = "transferred"
        except DomainError as exc:
            outcomes["transfer"] = exc.message
        finally:
            connection.close()

    threads = [threading.Thread(target=record), threading.Thread(target=move)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert outcomes["duty"] == "recorded"
    assert outcomes["transfer"].startswith("Duties are recorded for Priya Shah")
    officer_a.refresh_from_db()
    assert officer_a.borough == borough_a


# -- planned ahead -------------------------------------------------------------------------

LATER = ON + datetime.timedelta(days=14)


def test_a_transfer_dated_ahead_is_planned_and_changes_nothing_yet(
    officer_a, staff_a, borough_a, borough_b
):
    planned = transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)

    assert planned.status == OfficerTransfer.Status.PLANNED and planned.done_at is None
    officer_a.refresh_from_db()
    assert officer_a.borough == borough_a
    assert Posting.objects.get(officer=officer_a).end_date is None


def test_the_daily_job_does_a_planned_transfer_on_its_day(
    officer_a, staff_a, borough_b, time_machine
):
    from teams.tasks import transfers_due

    planned = transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)
    nothing = {"done": [], "blocked": [], "cancelled": []}
    assert transfers_due.delay().get() == nothing  # not its day yet

    time_machine.move_to(datetime.datetime.combine(LATER, datetime.time(0, 10), tzinfo=LONDON))
    assert transfers_due.delay().get() == nothing | {"done": [planned.pk]}

    planned.refresh_from_db()
    officer_a.refresh_from_db()
    assert planned.status == OfficerTransfer.Status.DONE and planned.done_at is not None
    assert officer_a.borough == borough_b
    posting = Posting.objects.get(officer=officer_a)
    assert (posting.end_date, posting.ended_by) == (LATER - datetime.timedelta(days=1), staff_a)
    assert posting.end_reason == "Transferred to Westminster (by the daily job)"


def test_a_planned_transfer_that_cannot_be_done_records_why_and_waits(
    officer_a, staff_a, borough_a, borough_b, ward_a
):
    planned = transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)
    starts = datetime.datetime.combine(LATER, datetime.time(7), tzinfo=LONDON)
    Duty.objects.create(officer=officer_a, home_ward=ward_a, worked_ward=ward_a, starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=8), recorded_by=staff_a)

    assert services.transfers_due(today=LATER)["blocked"] == [planned.pk]

    planned.refresh_from_db()
    assert planned.status == OfficerTransfer.Status.PLANNED
    assert planned.blocked_reason.startswith("Duties are recorded for Priya Shah")
    officer_a.refresh_from_db()
    assert officer_a.borough == borough_a
    assert Posting.objects.get(officer=officer_a).end_date is None


def test_one_planned_transfer_at_a_time(officer_a, staff_a, borough_a, borough_b, borough_a2):
    from config.errors import ConflictError

    transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)
    with pytest.raises(ConflictError, match="already has a transfer to Westminster planned"):
        transfer(officer_a, staff_a, to_borough=borough_a2, effective_on=LATER)
    assert OfficerTransfer.objects.count() == 1


def test_a_planned_transfer_is_cancelled_with_a_reason(officer_a, staff_a, borough_b):
    from config.errors import ConflictError

    planned = transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)
    with pytest.raises(DomainError, match="Enter why the transfer is cancelled"):
        services.officer_transfer_cancel(transfer=planned, reason=" ", by=staff_a)
    cancelled = services.officer_transfer_cancel(transfer=planned, reason="Stays", by=staff_a)
    assert (cancelled.status, cancelled.cancelled_by, cancelled.cancel_reason) == (
        OfficerTransfer.Status.CANCELLED, staff_a, "Stays"
    )
    assert services.transfers_due(today=LATER) == {"done": [], "blocked": [], "cancelled": []}
    with pytest.raises(ConflictError, match="only a planned one"):
        services.officer_transfer_cancel(transfer=planned, reason="Again", by=staff_a)


@pytest.mark.parametrize("who", ["commander_a", "hq", "staff_b"])
def test_only_the_old_boroughs_editors_cancel(officer_a, staff_a, borough_b, cast, who):
    planned = transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)
    with pytest.raises(PermissionDenied):
        services.officer_transfer_cancel(transfer=planned, reason="Stays", by=cast(who))
    planned.refresh_from_db()
    assert planned.status == OfficerTransfer.Status.PLANNED


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_the_api_cancels_for_the_officers_editors_only(
    officer_a, staff_a, borough_b, client_of, who
):
    planned = transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)
    response = client_of(who).post(
        f"{url_of(officer_a)}cancel/", {"reason": "Stays here"}, format="json"
    )
    assert response.status_code == write_status(who, 200), response.content
    planned.refresh_from_db()
    assert (planned.status == OfficerTransfer.Status.CANCELLED) == (who in EDITORS_OF_A)
    if response.status_code == 200:
        assert response.json()["status"] == "cancelled"


def test_the_api_plans_a_transfer_dated_ahead(officer_a, client_of, borough_a, borough_b):
    response = client_of("staff_a").post(
        url_of(officer_a),
        {"borough": borough_b.code, "effective_on": f"{LATER}", "reason": "Promotion"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "planned"
    officer_a.refresh_from_db()
    assert officer_a.borough == borough_a
    nothing = client_of("staff_a").post(f"{url_of(officer_a)}cancel/", {}, format="json")
    assert nothing.status_code == 400 and "reason" in nothing.json()


def test_the_officer_page_shows_a_planned_transfer_and_why_it_waits(
    client, staff_a, commander_a, officer_a, borough_b
):
    planned = transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)
    OfficerTransfer.objects.filter(pk=planned.pk).update(blocked_reason="Duties are recorded")
    cancel = reverse("teams:transfer_cancel", args=[officer_a.shoulder_number])
    for user, can_cancel in ((staff_a, True), (commander_a, False)):
        client.force_login(user)
        content = client.get(reverse("teams:officer", args=[officer_a.shoulder_number])).content
        content = content.decode()
        assert "Planned" in content and "Not done yet: Duties are recorded" in content
        assert (cancel in content) == can_cancel


def test_the_cancel_page_needs_a_reason_then_cancels(client, staff_a, officer_a, borough_b):
    planned = transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)
    cancel = reverse("teams:transfer_cancel", args=[officer_a.shoulder_number])
    client.force_login(staff_a)
    response = client.post(cancel, {})
    assert "govuk-error-summary" in response.content.decode()
    assert "Enter why the transfer is cancelled" in response.content.decode()
    response = client.post(cancel, {"reason": "Stays here"})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == OfficerTransfer.Status.CANCELLED


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_the_cancel_page_is_for_the_officers_editors(client, cast, officer_a, staff_a, borough_b,
                                                    who):
    transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)
    client.force_login(cast(who))
    response = client.get(reverse("teams:transfer_cancel", args=[officer_a.shoulder_number]))
    assert response.status_code == write_status(who, 200)


def test_the_planned_page_flow_keeps_the_user_on_the_officer(client, staff_a, officer_a,
                                                            borough_b):
    client.force_login(staff_a)
    response = client.post(page_of(officer_a), {
        "borough": borough_b.code, "effective_on": f"{LATER}", "reason": "Promotion"})
    assert response.status_code == 302
    assert response.url == reverse("teams:officer", args=[officer_a.shoulder_number])
    planned = OfficerTransfer.objects.get(officer=officer_a)
    assert (planned.status, planned.effective_on) == (OfficerTransfer.Status.PLANNED, LATER)


def test_the_daily_job_does_not_move_an_officer_deactivated_since(
    officer_a, staff_a, borough_a, borough_b
):
    planned = transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)
    Officer.objects.filter(pk=officer_a.pk).update(active=False)

    assert services.transfers_due(today=LATER)["blocked"] == [planned.pk]

    planned.refresh_from_db()
    assert planned.blocked_reason == "Priya Shah is not an active officer."
    officer_a.refresh_from_db()
    assert officer_a.borough == borough_a


def test_a_transfer_still_held_up_90_days_after_its_date_is_cancelled(
    officer_a, staff_a, borough_a, borough_b
):
    planned = transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)
    OfficerTransfer.objects.filter(pk=planned.pk).update(blocked_reason="Duties are recorded")

    late = LATER + datetime.timedelta(days=91)
    assert services.transfers_due(today=late) == {
        "done": [], "blocked": [], "cancelled": [planned.pk]
    }

    planned.refresh_from_db()
    assert planned.status == OfficerTransfer.Status.CANCELLED
    assert planned.cancel_reason == "Not done within 90 days of its date (Duties are recorded)"
    officer_a.refresh_from_db()
    assert officer_a.borough == borough_a
    assert Posting.objects.get(officer=officer_a).end_date is None


def test_one_transfer_failing_unexpectedly_does_not_stop_the_others(
    officer_a, staff_a, borough_a, borough_b, team_a, monkeypatch
):
    second = f.OfficerFactory(borough=borough_a)
    f.PostingFactory(officer=second, team=team_a, start_date=START)
    first_plan = transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)
    second_plan = transfer(second, staff_a, to_borough=borough_b, effective_on=LATER)
    real = services._do_transfer

    def broken_for_the_first(transfer_, officer, **kwargs):
        if transfer_.pk == first_plan.pk:
            raise KeyError("surprise")
        return real(transfer_, officer, **kwargs)

    monkeypatch.setattr(services, "_do_transfer", broken_for_the_first)
    outcome = services.transfers_due(today=LATER)

    assert outcome == {"done": [second_plan.pk], "blocked": [first_plan.pk], "cancelled": []}
    first_plan.refresh_from_db()
    assert first_plan.status == OfficerTransfer.Status.PLANNED
    assert first_plan.blocked_reason == "Could not be done (KeyError): see the job's log."
    second.refresh_from_db()
    assert second.borough == borough_b


def test_the_officer_lists_of_both_boroughs_show_a_held_up_transfer(
    client, staff_a, staff_b, officer_a, borough_a2, borough_b
):
    staff_a2 = f.UserFactory(username="staff.islington", role="staff")
    staff_a2.boroughs.add(borough_a2)
    planned = transfer(officer_a, staff_a, to_borough=borough_b, effective_on=LATER)
    OfficerTransfer.objects.filter(pk=planned.pk).update(blocked_reason="Duties are recorded")
    for user, sees in ((staff_a, True), (staff_b, True), (staff_a2, False)):
        client.force_login(user)
        content = client.get(reverse("teams:officer_list")).content.decode()
        assert ('id="planned-transfers"' in content) == sees, user
        if sees:
            assert "Priya Shah (7016EA)" in content and "Duties are recorded" in content


# -- after review --------------------------------------------------------------------------

def test_a_transfer_cannot_reach_back_past_the_last_one(
    officer_a, staff_a, staff_b, borough_a, borough_a2, borough_b
):
    """Westminster cannot back-date a transfer to before the officer joined it: that would end
    Camden's postings again, on Westminster's say."""
    transfer(officer_a, staff_a, to_borough=borough_b)  # Camden → Westminster from today
    camden_posting = Posting.objects.get(officer=officer_a)
    with pytest.raises(DomainError, match="joined Westminster on 01 December 2026") as refused:
        transfer(officer_a, staff_b, to_borough=borough_a2,
                 effective_on=ON - datetime.timedelta(days=30))
    assert refused.value.field == "effective_on"
    camden_posting.refresh_from_db()
    assert camden_posting.end_date == ON - datetime.timedelta(days=1)
    assert OfficerTransfer.objects.count() == 1


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("post", "/api/v1/officers/7016EA/transfer/",
         {"borough": "E09\x00", "effective_on": "2026-12-01", "reason": "x"}),
        ("patch", "/api/v1/officers/7016EA/", {"borough": "E09\x00"}),
        ("post", "/api/v1/postings/",
         {"officer": "70\x00", "team": 1, "role": "dedicated", "start_date": "2026-12-01"}),
    ],
)
def test_a_nul_in_a_code_is_a_400_not_a_500(officer_a, client_of, method, path, body):
    response = getattr(client_of("staff_a"), method)(path, body, format="json")
    assert response.status_code == 400, response.content


def test_cancelling_when_nothing_is_planned_is_a_404(officer_a, client_of):
    response = client_of("staff_a").post(f"{url_of(officer_a)}cancel/", {"reason": "x"},
                                         format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_the_menu_offers_reports_only_to_those_who_may_read_them(client, cast, who):
    from config.access import has_role
    from reports.access import REPORT_READER_ROLES

    user = cast(who)
    client.force_login(user)
    page = client.get(reverse("teams:officer_list")).content.decode()
    assert ('href="/reports/"' in page) == has_role(user, REPORT_READER_ROLES)
    assert (client.get("/reports/").status_code == 200) == has_role(user, REPORT_READER_ROLES)


# -- what holds an officer, asked of each app ----------------------------------------------


def test_each_app_answers_for_itself_whether_the_officer_is_still_held(
    officer_a, staff_a, borough_a, borough_b
):
    """teams imports none of the apps above it: deployment, promises and victims answer the
    officer_leaving_borough signal, in the order they are installed, and an app added later
    is asked the same way."""
    from teams.signals import officer_leaving_borough

    receivers = [r.__module__ for r in officer_leaving_borough._live_receivers(Officer)[0]]
    assert receivers == [
        "deployment.transfer_checks", "promises.transfer_checks", "victims.transfer_checks"
    ]

    def held_by_a_new_app(sender, *, officer, effective_on, **kwargs):
        return f"{officer.full_name} is on the new app's rota on {effective_on:%d %B %Y}."

    officer_leaving_borough.connect(held_by_a_new_app, dispatch_uid="new-app")
    try:
        with pytest.raises(DomainError, match="on the new app's rota") as refused:
            transfer(officer_a, staff_a, to_borough=borough_b)
        assert refused.value.field == "effective_on"
    finally:
        officer_leaving_borough.disconnect(dispatch_uid="new-app")
    unchanged(officer_a, borough_a)
    assert transfer(officer_a, staff_a, to_borough=borough_b).status == "done"
