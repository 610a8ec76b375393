"""/api/v1/crimes/ and /api/v1/visit-offers/: scoping, who sees victims, the actions."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import results
from tests.victims.conftest import offer_of, record_crime, to_scheduled, victim
from victims.models import OfferStatus, VictimViewLog, VisitOffer

pytestmark = pytest.mark.django_db
CRIMES = "/api/v1/crimes/"
OFFERS = "/api/v1/visit-offers/"
WORKERS_OF_A = {"staff_a", "sergeant_a", "inspector_a", "chief_inspector_a"}


def test_anonymous_is_refused(api, crime_a):
    assert api.get(CRIMES).status_code in (401, 403)
    assert api.get(OFFERS).status_code in (401, 403)
    assert api.post(f"{OFFERS}{offer_of(crime_a).pk}/offer/", {"how": "phone"}).status_code in (
        401,
        403,
    )


@pytest.mark.parametrize(
    "who",
    [
        "staff_a",
        "sergeant_a",
        "inspector_a",
        "chief_inspector_a",
        "commander_a",
        "hq",
        "admin_user",
        "inspector_b",
    ],
)
def test_crime_detail_names_victims_only_to_borough_workers(client_of, crime_a, who):
    response = client_of(who).get(f"{CRIMES}{crime_a.pk}/")
    if who == "inspector_b":
        assert response.status_code == 404
        return
    assert response.status_code == 200
    v = response.json()["victims"][0]
    logged = VictimViewLog.objects.filter(user__username=who, where="api crime").count()
    if who in WORKERS_OF_A:
        assert v["name"].startswith("Sam Victim") and "phone" in v
        assert logged == 1
    else:
        assert "name" not in v and "phone" not in v and "address" not in v
        assert logged == 0


@pytest.mark.parametrize(
    "who",
    [
        "staff_a",
        "sergeant_a",
        "inspector_a",
        "chief_inspector_a",
        "commander_a",
        "hq",
        "admin_user",
        "inspector_b",
    ],
)
def test_crime_list_never_names_victims_and_is_scoped(client_of, crime_a, crime_b, who):
    rows = results(client_of(who).get(CRIMES))
    refs = {r["reference"] for r in rows}
    if who in ("hq", "admin_user"):
        assert refs == {crime_a.reference, crime_b.reference}
    elif who == "inspector_b":
        assert refs == {crime_b.reference}
    else:
        assert refs == {crime_a.reference}
    assert all("name" not in v for r in rows for v in r["victims"])


def _crime_body(ward, **kw):
    now = timezone.now()
    body = {
        "reference": "CR-API-1",
        "category": "burglary",
        "occurred_at": (now - datetime.timedelta(hours=3)).isoformat(),
        "reported_at": (now - datetime.timedelta(hours=1)).isoformat(),
        "ward": ward.code,
        "victims": [
            {
                "name": "Ann Api",
                "phone": "0770",
                "enhanced_rights": True,
                "enhanced_reason": "intimidated",
            }
        ],
    }
    body.update(kw)
    return body


@pytest.mark.parametrize(
    "who, code",
    [
        ("staff_a", 201),
        ("inspector_a", 201),
        ("commander_a", 403),
        ("hq", 403),
        ("inspector_b", 400),
        ("admin_user", 403),
    ],
)
def test_who_may_record_a_crime(client_of, ward_a, who, code):
    response = client_of(who).post(CRIMES, _crime_body(ward_a), format="json")
    assert response.status_code == code, response.content
    if code == 201:
        body = response.json()
        assert body["routed_to"] == "ward" and body["victims"][0]["name"] == "Ann Api"
        assert body["victims"][0]["offer"]["status"] == "due"


def test_bad_crime_input_is_a_400_with_field_errors(client_of, ward_a):
    response = client_of("staff_a").post(
        CRIMES, _crime_body(ward_a, category="nope", victims=[]), format="json"
    )
    assert response.status_code == 400
    assert "category" in response.json()


def test_a_duplicate_reference_is_a_409(client_of, ward_a):
    client_of("staff_a").post(CRIMES, _crime_body(ward_a), format="json")
    response = client_of("staff_a").post(CRIMES, _crime_body(ward_a), format="json")
    assert response.status_code == 409 and "already in use" in response.json()["detail"]


def test_the_full_lifecycle_through_the_api(client_of, crime_a, pc_a, staff_a):
    api = client_of("staff_a")
    url = f"{OFFERS}{offer_of(crime_a).pk}/"
    assert api.post(url + "offer/", {"how": "phone"}).json()["status"] == "offered"
    assert api.post(url + "respond/", {"response": "accepted"}).json()["status"] == "accepted"
    start = timezone.now() - datetime.timedelta(minutes=30)
    body = api.post(
        url + "schedule/",
        {
            "officer": pc_a.shoulder_number,
            "window_start": start.isoformat(),
            "window_end": (start + datetime.timedelta(hours=2)).isoformat(),
        },
    ).json()
    assert (body["status"], body["officer"]) == ("scheduled", pc_a.shoulder_number)
    body = api.post(
        url + "complete/",
        {
            "needs_assessment_done": True,
            "referral_made": False,
            "crime_prevention_advice": True,
            "satisfaction": 5,
        },
    ).json()
    assert (body["status"], body["satisfaction"]) == ("completed", 5)
    assert body["satisfaction_recorded_by"] == staff_a.display_name
    assert [t["to_status"] for t in body["transitions"]] == [
        "due",
        "offered",
        "accepted",
        "scheduled",
        "completed",
        "completed",  # the victim's satisfaction: a step of its own, with who and when
    ]
    assert body["transitions"][-1]["reason"] == "Satisfaction recorded: 5 of 5."


def test_a_refused_step_is_a_409_with_a_code(client_of, crime_a):
    response = client_of("staff_a").post(
        f"{OFFERS}{offer_of(crime_a).pk}/respond/", {"response": "accepted"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_no_reply_too_early_is_a_409(client_of, crime_a):
    api = client_of("staff_a")
    url = f"{OFFERS}{offer_of(crime_a).pk}/"
    api.post(url + "offer/", {"how": "phone"})
    response = api.post(url + "respond/", {"response": "no_reply"})
    assert response.status_code == 409 and response.json()["code"] == "too_few_attempts"


def test_miss_and_cancel_need_a_reason(client_of, staff_a, crime_a, pc_a):
    offer = to_scheduled(offer_of(crime_a), staff_a, pc_a)
    api = client_of("staff_a")
    assert api.post(f"{OFFERS}{offer.pk}/miss/", {}).status_code == 400
    assert api.post(f"{OFFERS}{offer.pk}/miss/", {"reason": "Out"}).json()["status"] == "missed"
    assert api.post(f"{OFFERS}{offer.pk}/cancel/", {"reason": "Moved"}).json()["status"] == (
        "cancelled"
    )


@pytest.mark.parametrize(
    "who, code",
    [
        ("staff_a", 200),
        ("chief_inspector_a", 200),
        ("commander_a", 403),
        ("hq", 403),
        ("admin_user", 403),
        ("inspector_b", 404),
    ],
)
def test_who_may_act_on_an_offer(client_of, crime_a, who, code):
    response = client_of(who).post(f"{OFFERS}{offer_of(crime_a).pk}/offer/", {"how": "phone"})
    assert response.status_code == code


def test_offer_reasons_are_hidden_from_roles_without_a_working_need(
    client_of, staff_a, crime_a, pc_a
):
    offer = to_scheduled(offer_of(crime_a), staff_a, pc_a)
    from victims import services

    services.visit_cancel(offer=offer, by=staff_a, reason="Victim Sam moved to Leeds")
    for who in ("commander_a", "hq"):
        body = client_of(who).get(f"{OFFERS}{offer.pk}/").json()
        assert "reason" not in body and all("reason" not in t for t in body["transitions"])
    assert "Leeds" in client_of("staff_a").get(f"{OFFERS}{offer.pk}/").json()["reason"]


def test_offers_filter_by_status_ward_and_overdue(client_of, staff_a, ward_a, crime_b):
    old = record_crime(staff_a, ward=ward_a, reported=timezone.now() - datetime.timedelta(days=9))
    new = record_crime(staff_a, ward=ward_a)
    api = client_of("hq")
    overdue = {r["reference"] for r in results(api.get(OFFERS, {"overdue": "true"}))}
    assert overdue == {old.reference}
    in_ward = {r["reference"] for r in results(api.get(OFFERS, {"ward": ward_a.code}))}
    assert in_ward == {old.reference, new.reference}
    by_borough = {r["reference"] for r in results(api.get(OFFERS, {"borough": "E09000033"}))}
    assert by_borough == {crime_b.reference}
    assert results(api.get(OFFERS, {"status": "completed"})) == []
    due_to = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert {r["reference"] for r in results(api.get(OFFERS, {"due_to": due_to}))} == {old.reference}


def test_offers_list_runs_fixed_queries(client_of, assert_fixed_queries, staff_a, ward_a):
    api = client_of("staff_a")
    record_crime(staff_a, ward=ward_a)

    def more():
        for _ in range(5):
            record_crime(staff_a, ward=ward_a, victims=[victim(), victim()])

    # token, user and their boroughs, count, the page of offers with crime/ward/officer.
    before, after = assert_fixed_queries(lambda: results(api.get(OFFERS)), more, queries=3)
    assert (len(before), len(after)) == (1, 11)


def test_crimes_list_runs_fixed_queries(client_of, assert_fixed_queries, staff_a, ward_a):
    api = client_of("hq")
    record_crime(staff_a, ward=ward_a)

    def more():
        for _ in range(5):
            record_crime(staff_a, ward=ward_a, victims=[victim(), victim()])

    # token and user (HQ: no borough lookup), count, the page of crimes, their victims+offers.
    before, after = assert_fixed_queries(lambda: results(api.get(CRIMES)), more, queries=4)
    assert (len(before), len(after)) == (1, 6)


def test_offer_list_shows_no_personal_data(client_of, crime_a):
    row = results(client_of("staff_a").get(OFFERS))[0]
    assert not {"name", "phone", "email", "address", "postcode"} & set(row)
    assert VisitOffer.objects.get(pk=row["id"]).status == OfferStatus.DUE


@pytest.mark.parametrize(
    "who, code", [("staff_a", 200), ("commander_a", 403), ("hq", 403), ("inspector_b", 404)]
)
def test_who_may_close_a_crime(client_of, crime_a, who, code):
    response = client_of(who).post(f"{CRIMES}{crime_a.pk}/close/")
    assert response.status_code == code
    crime_a.refresh_from_db()
    assert (crime_a.closed_at is not None) == (code == 200)


def test_closing_twice_is_a_409(client_of, crime_a):
    client_of("staff_a").post(f"{CRIMES}{crime_a.pk}/close/")
    response = client_of("staff_a").post(f"{CRIMES}{crime_a.pk}/close/")
    assert response.status_code == 409 and response.json()["code"] == "already_closed"
