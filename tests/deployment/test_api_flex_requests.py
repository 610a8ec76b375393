"""The flex request API: /api/v1/flex-requests/ and its actions.

The same rules as the pages, through the same services: a borough's readers see its requests
(outsiders get 404 and never see them in a list); editors raise and edit drafts; only an
Inspector or above of the borough who did not raise a request decides it. Refusals answer 400
(bad input), 403 (role) or 409 (state or conflict) with `detail` saying which rule and `code`."""

import datetime

import pytest

from deployment import services
from deployment.duties import abstraction_record
from deployment.models import AbstractionType, FlexRequest, FlexStatus
from teams.models import Rank
from tests import factories as f
from tests.conftest import READERS_OF_A, ROLE_FIXTURES, api_client_for, results, write_status
from tests.deployment.factories import raise_flex, record_flexed_duty, staff_ward

pytestmark = pytest.mark.django_db
D = datetime.date
SEES_B = {"hq", "admin_user", "inspector_b"}
DECIDERS_OF_A = {"inspector_a", "chief_inspector_a"}
URL = "/api/v1/flex-requests/"


def decision_status(who: str, ok: int = 200) -> int:
    """What a decision on borough_a's request raised by sergeant_a answers for cast member `who`:
    `ok` for its Inspectors, 403 for every other role that sees it, 404 for outsiders."""
    if who in DECIDERS_OF_A:
        return ok
    return 403 if who in READERS_OF_A else 404


@pytest.fixture
def submitted(sergeant_a, ward_a_east, dwos_a, dwos_a_east, frozen_today):
    """Sergeant_a's request to flex one of ward_a's three PCs to ward_a_east, 9 to 22 March."""
    return raise_flex(sergeant_a, ward_a_east, dwos_a[:1])


@pytest.fixture
def draft(sergeant_a, ward_a_east, dwos_a, frozen_today):
    return raise_flex(sergeant_a, ward_a_east, dwos_a[:1], submit=False)


@pytest.fixture
def active(submitted, inspector_a, frozen_today):
    """A flex approved on its first day (2 March): active at once."""
    flex = raise_flex(
        submitted.requested_by,
        submitted.to_ward,
        [m.officer for m in submitted.members.all()],
        start=D(2026, 3, 2),
        end=D(2026, 3, 6),
    )
    return services.flex_approve(flex=flex, by=inspector_a)


@pytest.fixture
def flex_b(staff_b, team_b, borough_b, frozen_today):
    """A request of borough_b: the outsiders' own."""
    officers = staff_ward(team_b, pcs=3, pcsos=1)
    return raise_flex(staff_b, f.WardFactory(borough=borough_b), officers[:1])


def new_flex(officers, to_ward, **extra) -> dict:
    return {
        "to_ward": to_ward.code,
        "officers": [o.shoulder_number for o in officers],
        "start_date": "2026-03-09",
        "end_date": "2026-03-22",
        "daily_start": "18:00",
        "daily_end": "02:00",
        "problem": "Moped-enabled phone snatches around the station",
        "expected_benefit": "Fewer snatches; arrests of the riders",
        **extra,
    }


def post(who_client, url, body=None):
    return who_client.post(url, body or {}, format="json")


# Anonymous


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", ""),
        ("post", ""),
        ("get", "{pk}/"),
        ("patch", "{pk}/"),
        ("put", "{pk}/"),
        ("post", "{pk}/submit/"),
        ("post", "{pk}/approve/"),
        ("post", "{pk}/reject/"),
        ("post", "{pk}/withdraw/"),
        ("post", "{pk}/review/"),
    ],
)
def test_anonymous_users_are_refused(api, submitted, method, path):
    response = getattr(api, method)(URL + path.format(pk=submitted.pk), {}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    submitted.refresh_from_db()
    assert submitted.status == FlexStatus.SUBMITTED


# Reading


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_the_list_shows_only_the_users_boroughs(client_of, who, submitted, flex_b):
    ids = {row["id"] for row in results(client_of(who).get(URL))}
    assert (submitted.pk in ids) == (who in READERS_OF_A)
    assert (flex_b.pk in ids) == (who in SEES_B)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_a_request_is_404_for_outsiders(client_of, who, submitted):
    response = client_of(who).get(f"{URL}{submitted.pk}/")
    assert response.status_code == (200 if who in READERS_OF_A else 404)


def test_the_detail_shows_members_timeline_and_warnings_while_pending(client_of, submitted, dwos_a):
    body = client_of("inspector_a").get(f"{URL}{submitted.pk}/").json()
    assert body["members"] == [
        {
            "officer": dwos_a[0].shoulder_number,
            "officer_name": dwos_a[0].full_name,
            "rank_title": "PC",
            "from_ward": "E05013660",
            "from_ward_name": "Haverstock",
            "first_day": None,  # the whole flex: no change added or released them
            "last_day": None,
        }
    ]
    assert [(t["from_status"], t["to_status"], t["by"]) for t in body["transitions"]] == [
        ("", "draft", "sergeant_a"),
        ("draft", "submitted", "sergeant_a"),
    ]
    assert (body["borough"], body["to_ward"], body["days"]) == ("E09000007", "E05013661", 14)
    assert (body["conflicts"], body["cover_gaps"]) == ([], [])


def test_the_detail_warns_of_conflicts_and_cover_gaps_before_deciding(
    client_of, sergeant_a, chief_inspector_a, team_a, ward_a_east, dwos_a_east, frozen_today
):
    home = staff_ward(team_a, pcs=2, pcsos=1)  # exactly the minimum: nobody to spare
    abstraction_record(  # planned and leaving the ward short: a Chief Inspector accepted it
        officer=home[0],
        abstraction_type=AbstractionType.objects.get(code="court"),
        starts_at=datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 3, 10, 17, tzinfo=datetime.UTC),
        by=chief_inspector_a,
        significant_event="Trial at the Old Bailey",
        authorised_by_name="Supt Khan",
        cover_override_reason="The trial cannot wait",
    )
    flex = raise_flex(sergeant_a, ward_a_east, home[:1])
    body = client_of("inspector_a").get(f"{URL}{flex.pk}/").json()
    assert [c["officer"] for c in body["conflicts"]] == [home[0].shoulder_number]
    assert "already committed to an abstraction (Court)" in body["conflicts"][0]["message"]
    assert {g["ward"] for g in body["cover_gaps"]} == {"E05013660"}
    # Every day of the flex but 10 March: the abstraction already takes that officer then, so
    # the flex takes no one more (the ward is short that day with it or without it).
    assert [g["day"] for g in body["cover_gaps"]] == [
        f"2026-03-{day:02}" for day in range(9, 23) if day != 10
    ]
    assert body["cover_gaps"][0]["pcs"] == 1


def test_a_decided_request_shows_no_warnings(client_of, submitted, inspector_a):
    services.flex_approve(flex=submitted, by=inspector_a)
    body = client_of("inspector_a").get(f"{URL}{submitted.pk}/").json()
    assert (body["status"], body["conflicts"], body["cover_gaps"]) == ("approved", None, None)


# Raising and editing


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_raise_requests_in_their_borough(client_of, who, ward_a_east, dwos_a, frozen_today):
    response = post(client_of(who), URL, new_flex(dwos_a[:2], ward_a_east))
    # An outsider who may edit their own borough is told the ward "does not exist" (400).
    expected = 400 if who == "inspector_b" else write_status(who, 201)
    assert response.status_code == expected, response.content
    assert FlexRequest.objects.exists() == (expected == 201)
    if expected == 201:
        body = response.json()
        assert (body["status"], body["borough"], body["requested_by"]) == (
            "draft",
            "E09000007",
            who,
        )
        assert {m["officer"] for m in body["members"]} == {o.shoulder_number for o in dwos_a[:2]}


def test_a_request_over_28_days_is_refused_naming_the_rule(
    client_of, ward_a_east, dwos_a, frozen_today
):
    body = new_flex(dwos_a[:1], ward_a_east, start_date="2026-03-09", end_date="2026-04-06")
    response = post(client_of("sergeant_a"), URL, body)
    assert response.status_code == 400
    assert "at most 28 days" in response.json()["detail"]
    assert "end_date" in response.json()
    assert not FlexRequest.objects.exists()


def test_a_ward_of_another_borough_does_not_exist_for_the_requester(
    client_of, ward_b, dwos_a, frozen_today
):
    response = post(client_of("sergeant_a"), URL, new_flex(dwos_a[:1], ward_b))
    assert response.status_code == 400
    assert "does not exist" in response.json()["to_ward"][0]
    assert not FlexRequest.objects.exists()


def test_officers_of_another_borough_are_refused_even_to_a_user_who_sees_them(
    client_of, ward_a_east, borough_b, frozen_today
):
    outsider = f.OfficerFactory(borough=borough_b)
    response = post(client_of("admin_user"), URL, new_flex([outsider], ward_a_east))
    assert response.status_code == 400
    assert "within the borough only" in response.json()["detail"]
    assert "officers" in response.json()
    assert not FlexRequest.objects.exists()


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"officers": []}, "officers"),
        ({"officers": ["NOPE1"]}, "officers"),
        ({"start_date": "9 March"}, "start_date"),
        ({"daily_start": "25:00"}, "daily_start"),
        ({"problem": ""}, "problem"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    client_of, ward_a_east, dwos_a, frozen_today, extra, field
):
    response = post(client_of("sergeant_a"), URL, {**new_flex(dwos_a[:1], ward_a_east), **extra})
    assert response.status_code == 400
    assert field in response.json()
    assert not FlexRequest.objects.exists()


def test_an_officer_named_twice_is_a_400(client_of, ward_a_east, dwos_a, frozen_today):
    response = post(client_of("sergeant_a"), URL, new_flex([dwos_a[0], dwos_a[0]], ward_a_east))
    assert response.status_code == 400
    assert response.json()["officers"] == ["Name each officer once."]


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_change_a_draft(client_of, who, draft, dwos_a):
    response = client_of(who).patch(
        f"{URL}{draft.pk}/",
        {"problem": "Burglary series", "officers": [o.shoulder_number for o in dwos_a[:2]]},
        format="json",
    )
    assert response.status_code == write_status(who, 200)
    draft.refresh_from_db()
    changed = (draft.problem, draft.members.count()) == ("Burglary series", 2)
    assert changed == (response.status_code == 200)


def test_a_draft_is_replaced_whole_with_put(client_of, draft, dwos_a, ward_a_east):
    body = new_flex(dwos_a[1:3], ward_a_east, end_date="2026-03-15")
    response = client_of("sergeant_a").put(f"{URL}{draft.pk}/", body, format="json")
    assert response.status_code == 200
    assert response.json()["days"] == 7
    assert {m["officer"] for m in response.json()["members"]} == {
        o.shoulder_number for o in dwos_a[1:3]
    }


def test_a_submitted_request_is_no_longer_edited(client_of, submitted):
    response = client_of("sergeant_a").patch(
        f"{URL}{submitted.pk}/", {"problem": "Something else"}, format="json"
    )
    assert response.status_code == 409
    assert "Only a draft can be edited" in response.json()["detail"]
    assert response.json()["code"] == "conflict"
    submitted.refresh_from_db()
    assert submitted.problem.startswith("Moped")


def test_a_draft_cannot_be_stretched_past_28_days(client_of, draft):
    response = client_of("sergeant_a").patch(
        f"{URL}{draft.pk}/", {"end_date": "2026-04-30"}, format="json"
    )
    assert response.status_code == 400
    assert "at most 28 days" in response.json()["detail"]


# Submitting


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_submit_a_draft(client_of, who, draft):
    response = post(client_of(who), f"{URL}{draft.pk}/submit/")
    assert response.status_code == write_status(who, 200)
    draft.refresh_from_db()
    assert (draft.status == FlexStatus.SUBMITTED) == (response.status_code == 200)


def test_a_request_is_submitted_once(client_of, submitted):
    response = post(client_of("sergeant_a"), f"{URL}{submitted.pk}/submit/")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


# Deciding


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_only_an_inspector_of_the_borough_approves(client_of, who, submitted):
    response = post(client_of(who), f"{URL}{submitted.pk}/approve/", {"reason": "Go ahead"})
    assert response.status_code == decision_status(who), response.content
    submitted.refresh_from_db()
    approved = submitted.status == FlexStatus.APPROVED
    assert approved == (response.status_code == 200)


def test_an_inspector_approves_and_the_answer_is_the_decided_request(client_of, submitted):
    response = post(client_of("inspector_a"), f"{URL}{submitted.pk}/approve/", {"reason": "Go"})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["decided_by"], body["decision_reason"]) == (
        "approved",
        "inspector_a",
        "Go",
    )
    assert body["review_due"] == "2026-03-23"
    assert body["transitions"][-1]["to_status"] == "approved"


def test_the_requester_never_approves_their_own_request(
    client_of, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    flex = raise_flex(inspector_a, ward_a_east, dwos_a[:1])
    response = post(client_of("inspector_a"), f"{URL}{flex.pk}/approve/")
    assert response.status_code == 403
    assert "another Inspector must decide" in response.json()["detail"]
    assert response.json()["code"] == "permission_denied"
    flex.refresh_from_db()
    assert flex.status == FlexStatus.SUBMITTED


def test_a_sergeant_cannot_approve(client_of, submitted):
    response = post(client_of("sergeant_a"), f"{URL}{submitted.pk}/approve/")
    assert response.status_code == 403
    assert "Only an Inspector or above" in response.json()["detail"]


def test_a_second_decision_is_told_already_decided(client_of, submitted, inspector_a):
    services.flex_approve(flex=submitted, by=inspector_a)
    response = post(
        client_of("chief_inspector_a"), f"{URL}{submitted.pk}/reject/", {"reason": "No"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "already_decided"
    assert "already been decided" in response.json()["detail"]
    submitted.refresh_from_db()
    assert submitted.status == FlexStatus.APPROVED


def test_an_officer_already_committed_is_a_409(client_of, submitted, staff_a, dwos_a):
    abstraction_record(
        officer=dwos_a[0],
        abstraction_type=AbstractionType.objects.get(code="training"),
        starts_at=datetime.datetime(2026, 3, 12, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 3, 12, 17, tzinfo=datetime.UTC),
        by=staff_a,
        significant_event="Public order refresher",
        authorised_by_name="Supt Khan",
    )
    response = post(client_of("inspector_a"), f"{URL}{submitted.pk}/approve/")
    assert response.status_code == 409
    assert response.json()["code"] == "officer_committed"
    submitted.refresh_from_db()
    assert submitted.status == FlexStatus.SUBMITTED


@pytest.fixture
def leaves_a_gap(sergeant_a, team_a, ward_a_east, dwos_a_east, frozen_today):
    """A request taking one of ward_a's two PCs: ward_a would fall below minimum cover."""
    home = staff_ward(team_a, pcs=2, pcsos=1)
    return raise_flex(sergeant_a, ward_a_east, home[:1])


def test_leaving_a_ward_below_minimum_is_refused_to_an_inspector(client_of, leaves_a_gap):
    response = post(client_of("inspector_a"), f"{URL}{leaves_a_gap.pk}/approve/")
    assert response.status_code == 409
    assert response.json()["code"] == "below_minimum_cover"
    assert "Only a Chief Inspector can accept that" in response.json()["detail"]
    leaves_a_gap.refresh_from_db()
    assert leaves_a_gap.status == FlexStatus.SUBMITTED


def test_a_chief_inspector_accepts_a_cover_gap_only_recording_why(client_of, leaves_a_gap):
    client, url = client_of("chief_inspector_a"), f"{URL}{leaves_a_gap.pk}/approve/"
    response = post(client, url)
    assert response.status_code == 400
    assert response.json()["code"] == "below_minimum_cover"
    assert "cover_override_reason" in response.json()
    leaves_a_gap.refresh_from_db()
    assert leaves_a_gap.status == FlexStatus.SUBMITTED

    response = post(client, url, {"cover_override_reason": "Knife crime spike outweighs it"})
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert response.json()["cover_override_reason"] == "Knife crime spike outweighs it"


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_only_an_inspector_of_the_borough_rejects(client_of, who, submitted):
    response = post(client_of(who), f"{URL}{submitted.pk}/reject/", {"reason": "Not justified"})
    assert response.status_code == decision_status(who)
    submitted.refresh_from_db()
    assert (submitted.status == FlexStatus.REJECTED) == (response.status_code == 200)


@pytest.mark.parametrize("body", [{"reason": "  "}, {"reason": ""}, {}])
def test_a_rejection_needs_a_reason(client_of, submitted, body):
    response = post(client_of("inspector_a"), f"{URL}{submitted.pk}/reject/", body)
    assert response.status_code == 400
    assert "reason" in response.json()
    submitted.refresh_from_db()
    assert submitted.status == FlexStatus.SUBMITTED


def test_a_rejection_is_recorded_with_its_reason(client_of, submitted):
    response = post(
        client_of("inspector_a"), f"{URL}{submitted.pk}/reject/", {"reason": "No intel"}
    )
    assert response.status_code == 200
    last = response.json()["transitions"][-1]
    assert (last["from_status"], last["to_status"], last["by"], last["reason"]) == (
        "submitted",
        "rejected",
        "inspector_a",
        "No intel",
    )


# Withdrawing and reviewing


# The requester (sergeant_a) or an Inspector of the borough withdraws.
WITHDRAWERS_OF_A = {"sergeant_a", "inspector_a", "chief_inspector_a"}


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_the_requester_or_an_inspector_withdraws(client_of, who, submitted):
    response = post(client_of(who), f"{URL}{submitted.pk}/withdraw/", {"reason": "Solved"})
    expected = 200 if who in WITHDRAWERS_OF_A else (403 if who in READERS_OF_A else 404)
    assert response.status_code == expected
    submitted.refresh_from_db()
    assert (submitted.status == FlexStatus.WITHDRAWN) == (expected == 200)


def test_a_rejected_request_cannot_be_withdrawn(client_of, submitted, inspector_a):
    services.flex_reject(flex=submitted, by=inspector_a, reason="No")
    response = post(client_of("sergeant_a"), f"{URL}{submitted.pk}/withdraw/")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_an_approved_request_with_duties_recorded_cannot_be_withdrawn(
    client_of, submitted, inspector_a, staff_a, ward_a_east
):
    services.flex_approve(flex=submitted, by=inspector_a)
    record_flexed_duty(submitted.members.get().officer, ward_a_east, submitted, staff_a)
    response = post(client_of("inspector_a"), f"{URL}{submitted.pk}/withdraw/", {"reason": "x"})
    assert response.status_code == 409
    assert response.json()["code"] == "flex_has_duties"
    submitted.refresh_from_db()
    assert submitted.status == FlexStatus.APPROVED


@pytest.fixture
def at_review(submitted, inspector_a, frozen_today, time_machine):
    """A four-week flex that started on 2 March, on its review day (16 March)."""
    flex = raise_flex(
        submitted.requested_by, submitted.to_ward, [m.officer for m in submitted.members.all()],
        start=D(2026, 3, 2), end=D(2026, 3, 29),
    )
    flex = services.flex_approve(flex=flex, by=inspector_a)
    time_machine.move_to(datetime.datetime(2026, 3, 16, 9, 0), tick=False)
    return flex


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_only_an_inspector_reviews_an_active_flex(client_of, who, at_review):
    response = post(
        client_of(who), f"{URL}{at_review.pk}/review/",
        {"decision": "continue", "reason": "Working"},
    )
    assert response.status_code == decision_status(who)
    at_review.refresh_from_db()
    assert (at_review.last_reviewed_at is not None) == (response.status_code == 200)


def test_a_review_before_its_due_day_is_a_409_saying_when(client_of, active):
    response = post(client_of("inspector_a"), f"{URL}{active.pk}/review/", {"decision": "end"})
    assert response.status_code == 409
    assert response.json()["code"] == "review_not_due"
    assert "16 March 2026" in response.json()["detail"]


def test_a_review_may_end_the_flex(client_of, at_review):
    response = post(client_of("inspector_a"), f"{URL}{at_review.pk}/review/", {"decision": "end"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["ended_on"]) == ("ended", "2026-03-16")
    assert response.json()["transitions"][-1]["step"] == "review_end"


def test_an_inspector_ends_a_flex_before_its_review(client_of, active):
    response = post(client_of("inspector_a"), f"{URL}{active.pk}/end/", {"reason": "Arrests made"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["ended_on"]) == ("ended", "2026-03-02")
    response = post(client_of("inspector_a"), f"{URL}{active.pk}/end/", {})
    assert response.status_code == 400  # ending says why


def test_a_review_decides_continue_or_end(client_of, active):
    response = post(client_of("inspector_a"), f"{URL}{active.pk}/review/", {"decision": "pause"})
    assert response.status_code == 400
    assert "decision" in response.json()


def test_only_an_active_flex_is_reviewed(client_of, submitted):
    response = post(client_of("inspector_a"), f"{URL}{submitted.pk}/review/", {"decision": "end"})
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


# Filters and query counts


@pytest.fixture
def assorted(sergeant_a, inspector_a, ward_a, ward_a_east, team_a_east, dwos_a, borough_a, flex_b):
    """borough_a's requests between its wards: ward_a → ward_a_east (submitted), ward_a_east →
    ward_a (approved), ward_a → a third ward (draft); and borough_b's request."""
    east = staff_ward(team_a_east, pcs=3, pcsos=1)
    third = f.WardFactory(code="E05013662", borough=borough_a)
    to_east = raise_flex(
        sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 9), end=D(2026, 3, 15)
    )
    to_west = raise_flex(sergeant_a, ward_a, east[:1], start=D(2026, 3, 20), end=D(2026, 3, 25))
    services.flex_approve(flex=to_west, by=inspector_a)
    draft = raise_flex(
        sergeant_a, third, dwos_a[1:2], start=D(2026, 4, 1), end=D(2026, 4, 5), submit=False
    )
    return {"to_east": to_east.pk, "to_west": to_west.pk, "draft": draft.pk, "b": flex_b.pk}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=submitted", {"to_east", "b"}),
        ("status=approved&status=draft", {"to_west", "draft"}),
        ("borough=E09000007", {"to_east", "to_west", "draft"}),
        ("borough=E09000033", {"b"}),
        ("ward=E05013660", {"to_east", "to_west", "draft"}),  # ward_a: from, to, from
        ("ward=E05013661", {"to_east", "to_west"}),  # ward_a_east: to, from
        ("ward=E05013662", {"draft"}),
        ("date_from=2026-03-18", {"to_west", "draft", "b"}),
        ("date_from=2026-03-16&date_to=2026-03-31", {"to_west", "b"}),
        ("date_to=2026-03-08", set()),
    ],
)
def test_requests_filter_by_status_borough_ward_and_dates(client_of, assorted, query, expected):
    ids = {row["id"] for row in results(client_of("hq").get(f"{URL}?{query}"))}
    assert ids == {assorted[name] for name in expected}


def test_requests_filter_by_officer(client_of, assorted, dwos_a):
    rows = results(client_of("staff_a").get(f"{URL}?officer={dwos_a[0].shoulder_number}"))
    assert [row["id"] for row in rows] == [assorted["to_east"]]


def test_a_bad_filter_value_is_a_400(client_of, assorted):
    response = client_of("staff_a").get(f"{URL}?status=lost")
    assert response.status_code == 400
    assert "status" in response.json()


def test_the_list_runs_a_fixed_number_of_queries(
    assert_fixed_queries, sergeant_a, ward_a_east, team_a, frozen_today
):
    officers = [
        f.PostingFactory(
            team=team_a, officer__borough=team_a.borough, officer__rank=Rank.PC
        ).officer
        for _ in range(10)
    ]
    for officer in officers[:2]:
        raise_flex(sergeant_a, ward_a_east, [officer], submit=False)
    client = api_client_for(sergeant_a)
    # 1 token, user and their boroughs, 2 count, 3 requests with borough, ward and users,
    # 4 their members with officer and home ward
    before, after = assert_fixed_queries(
        lambda: client.get(URL),
        lambda: (
            [raise_flex(sergeant_a, ward_a_east, officers[n : n + 2]) for n in range(2, 10, 2)]
            + [raise_flex(sergeant_a, ward_a_east, [o], submit=False) for o in officers[2:6]]
        ),
        queries=4,
    )
    assert (before.json()["count"], after.json()["count"]) == (2, 10)
