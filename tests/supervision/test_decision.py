"""Recording a decision: a narrow permission (commanders of the borough and administrators;
staff see the recommendation but get 403; outsiders 404), the groups checked, and the
supervision changing from the decision's date and not before, with history kept."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from supervision.models import Consultation, SupervisionDecision, SupervisionGroup
from teams.models import Officer, Posting
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db
API = reverse("api:supervision-decisions")
TODAY = datetime.date(2026, 11, 30)
FROM = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0), tick=False):
        yield


def decide(client, groups, *, day=FROM, rationale="Balances W1's demand."):
    return client.post(
        API,
        {"borough": "E09000007", "effective_from": day.isoformat(), "rationale": rationale,
         "groups": groups},
        format="json",
    )  # fmt: skip


def codes(w, *names):
    return [w[n].code for n in names]


def supervised_by(ward, on):
    return sorted(
        p.officer.shoulder_number
        for p in Posting.objects.current(on).filter(team__ward=ward, role="supervisor")
    )


@pytest.mark.parametrize(
    ("groups", "status", "says"),
    [
        ([["W1"], ["W2", "W3"], ["W4", "W5"], ["W6"]], 409, "sergeants"),  # 4 groups, 3 sergeants
        ([["W1"], ["W2", "W3", "W4"], ["W5"]], 400, "in no group"),
        ([["W1"], ["W2", "W3", "W4", "W5"], ["W6"]], 400, "no more than 3"),
        ([["W1", "W2"], ["W3", "W4"], ["W5", "W6"]], 400, "adjacent"),  # W6 is far from W5
        ([["W1", "W2"], ["W2", "W3", "W4"], ["W5"], ["W6"]], 400, "two groups"),
    ],
)
def test_groups_that_break_a_rule_write_nothing(commander_a, row, groups, status, says):
    w = row
    answer = decide(api_client_for(commander_a), [codes(w, *g) for g in groups])
    assert answer.status_code == status
    assert says in str(answer.json())
    assert not SupervisionDecision.objects.exists()
    assert Posting.objects.filter(end_date__isnull=False).count() == 0


def test_recording_and_applying(commander_a, row):
    w = row
    sgt1, sgt2 = (Officer.objects.get(shoulder_number=n) for n in ("1001SG", "1002SG"))
    answer = decide(api_client_for(commander_a), [codes(w, "W1", "W2"), codes(w, "W3", "W4", "W5"),
                                                  codes(w, "W6")])  # fmt: skip
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["objective"] == {"proposal": 1000, "decided": 1000, "today": 1080}
    by_sergeant = {g["sergeant"]: g["wards"] for g in data["groups"]}
    # each group gets the sergeant already supervising most of its wards
    assert by_sergeant == {
        "1001SG": codes(w, "W1", "W2"), "1002SG": codes(w, "W3", "W4", "W5"),
        "1003SG": codes(w, "W6"),
    }  # fmt: skip

    day_before = FROM - datetime.timedelta(days=1)
    assert supervised_by(w["W3"], day_before) == ["1001SG"]  # unchanged before its date
    assert supervised_by(w["W3"], FROM) == ["1002SG"]
    assert supervised_by(w["W3"], TODAY) == ["1001SG"]
    ended = Posting.objects.get(officer=sgt1, team__ward=w["W3"])
    assert ended.end_date == day_before and "Supervision decision" in ended.end_reason
    # the heaviest ward of a group is the sergeant's primary posting
    assert Posting.objects.current(FROM).get(officer=sgt1, is_primary=True).team.ward == w["W1"]
    group = SupervisionGroup.objects.in_force(FROM).get(wards=w["W3"])
    assert group.sergeant == sgt2 and group.reasons
    assert not SupervisionGroup.objects.in_force(TODAY).exists()


def test_a_second_decision_keeps_the_first_as_history(commander_a, row):
    w = row
    client = api_client_for(commander_a)
    first = [codes(w, "W1", "W2"), codes(w, "W3", "W4", "W5"), codes(w, "W6")]
    assert decide(client, first).status_code == 201
    assert decide(client, first).status_code == 409  # that date is decided already
    later = FROM + datetime.timedelta(days=30)
    second = [codes(w, "W1", "W2", "W3"), codes(w, "W4", "W5"), codes(w, "W6")]
    assert decide(client, second, day=later).status_code == 201

    assert SupervisionDecision.objects.count() == 2
    in_force = SupervisionGroup.objects.in_force
    assert in_force(FROM).get(wards=w["W3"]).sergeant.shoulder_number == "1002SG"
    assert in_force(later).get(wards=w["W3"]).sergeant.shoulder_number == "1001SG"
    assert supervised_by(w["W3"], later - datetime.timedelta(days=1)) == ["1002SG"]
    assert supervised_by(w["W3"], later) == ["1001SG"]


def test_it_ends_only_the_postings_it_replaces(commander_a, borough_a, row):
    """A sergeant whose primary posting is elsewhere (an INPT) and who covers W6 besides, not
    primary: the decision does not post them, so it does not end that posting. The postings of
    the sergeants it posts end the day before."""
    from tests import factories as f

    w = row
    inpt = f.TeamFactory(kind="inpt", ward=None, borough=borough_a, name="INPT", email="")
    cover = f.OfficerFactory(borough=borough_a, rank="sergeant", shoulder_number="1009SG")
    f.PostingFactory(officer=cover, team=inpt, role=Posting.Role.MEMBER, is_primary=True)
    covering = f.PostingFactory(officer=cover, team=w["W6"].team, role=Posting.Role.SUPERVISOR,
                                is_primary=False)  # fmt: skip
    answer = decide(api_client_for(commander_a), [codes(w, "W1", "W2"), codes(w, "W3", "W4", "W5"),
                                                  codes(w, "W6")])  # fmt: skip
    assert answer.status_code == 201, answer.content
    covering.refresh_from_db()
    assert covering.end_date is None
    assert supervised_by(w["W6"], FROM) == ["1003SG", "1009SG"]
    # the posted sergeants' postings, primary and not, were replaced
    sgt1 = Officer.objects.get(shoulder_number="1001SG")
    replaced = Posting.objects.filter(officer=sgt1, start_date__lt=FROM)
    assert replaced.count() == 3
    assert {p.end_date for p in replaced} == {FROM - datetime.timedelta(days=1)}


def test_the_commander_names_a_group_s_sergeant(commander_a, row):
    w = row
    groups = [codes(w, "W1", "W2"), codes(w, "W3", "W4", "W5"), codes(w, "W6")]
    answer = decide_named(commander_a, groups, ["1003SG", None, ""])
    assert answer.status_code == 201, answer.content
    by_sergeant = {g["sergeant"]: g["wards"] for g in answer.json()["groups"]}
    # named: 1003SG for W1+W2; the rest by default among the others
    assert by_sergeant["1003SG"] == codes(w, "W1", "W2")
    assert by_sergeant["1002SG"] == codes(w, "W3", "W4", "W5")
    assert by_sergeant["1001SG"] == codes(w, "W6")
    assert supervised_by(w["W1"], FROM) == ["1003SG"]


@pytest.mark.parametrize(
    ("named", "says"),
    [
        (["1001SG", "1001SG"], "two groups"),
        (["7777XX"], "not one of the borough's sergeants"),
        (["1001SG", None, None, None], "at most one sergeant"),
    ],
)
def test_a_named_sergeant_outside_the_choices_is_a_400(commander_a, borough_b, row, named, says):
    from tests import factories as f

    f.OfficerFactory(borough=borough_b, rank="sergeant", shoulder_number="7777XX")
    w = row
    groups = [codes(w, "W1", "W2"), codes(w, "W3", "W4", "W5"), codes(w, "W6")]
    answer = decide_named(commander_a, groups, named)
    assert answer.status_code == 400 and says in str(answer.json())
    assert not SupervisionDecision.objects.exists()


def decide_named(user, groups, sergeants):
    return api_client_for(user).post(API, {
        "borough": "E09000007", "effective_from": FROM.isoformat(), "rationale": "Named.",
        "groups": groups, "sergeants": sergeants,
    }, format="json")  # fmt: skip


@pytest.mark.parametrize(
    ("day", "rationale", "field"),
    [(TODAY - datetime.timedelta(days=1), "why", "effective_from"),
     (datetime.date(2101, 1, 1), "why", "effective_from"), (FROM, "  ", "rationale")],
)  # fmt: skip
def test_bad_dates_and_no_rationale_are_400s(commander_a, row, day, rationale, field):
    w = row
    groups = [codes(w, "W1", "W2"), codes(w, "W3", "W4", "W5"), codes(w, "W6")]
    answer = decide(api_client_for(commander_a), groups, day=day, rationale=rationale)
    assert answer.status_code == 400 and field in answer.json()
    assert not SupervisionDecision.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff_a", 403), ("inspector_a", 403), ("chief_inspector_a", 403), ("hq", 403),
     ("inspector_b", 403), ("commander_a", 201), ("admin_user", 201)],
)  # fmt: skip  (inspector_b: a role that decides nowhere is told so first, whatever the borough)
def test_only_commanders_of_the_borough_and_admins_decide(cast, row, role, status):
    w = row
    groups = [codes(w, "W1", "W2"), codes(w, "W3", "W4", "W5"), codes(w, "W6")]
    assert decide(api_client_for(cast(role)), groups).status_code == status


def test_a_commander_of_another_bcu_gets_404(borough_b, row):
    from config.access import Role
    from tests import factories as f

    other = f.UserFactory(role=Role.COMMANDER, boroughs=[borough_b])
    w = row
    groups = [codes(w, "W1", "W2"), codes(w, "W3", "W4", "W5"), codes(w, "W6")]
    assert decide(api_client_for(other), groups).status_code == 404
    page = reverse("supervision:recommendation", args=["E09000007"])
    from django.test import Client

    client = Client()
    client.force_login(other)
    assert client.get(page).status_code == 404


def test_the_page_shows_and_staff_cannot_post(client, staff_a, commander_a, row):
    w = row
    page = reverse("supervision:recommendation", args=["E09000007"])
    client.force_login(staff_a)
    shown = client.get(page)
    assert shown.status_code == 200
    assert (
        b"Largest group workload" in shown.content and b"Record the decision" not in shown.content
    )
    assert client.post(page, {"action": "decide"}).status_code == 403
    assert client.post(page, {"action": "weights"}).status_code == 403

    client.force_login(commander_a)
    form = {"action": "decide", "effective_from": FROM.isoformat(), "rationale": "Agreed."}
    form |= {f"ward_{w[n].code}": g for n, g in
             (("W1", 1), ("W2", 1), ("W3", 2), ("W4", 2), ("W5", 2), ("W6", 3))}  # fmt: skip
    bad = client.post(page, {**form, "ward_" + w["W6"].code: "2"})
    assert bad.status_code == 200 and b"govuk-error-summary" in bad.content
    assert client.post(page, form).status_code == 302
    assert SupervisionDecision.objects.get().rationale == "Agreed."


def ward_fields(w, groups):
    return {f"ward_{w[n].code}": g for n, g in groups}


def test_the_commander_compares_the_options_side_by_side_before_recording(
    client, staff_a, commander_a, row
):
    """The recommendation, today's arrangement and the adjusted groups, each with its groups
    and its largest group workload; nothing is recorded, and the form keeps what was entered.
    Groups that break a rule are said in the error summary."""
    w = row
    page = reverse("supervision:recommendation", args=["E09000007"])
    client.force_login(commander_a)
    adjusted = ward_fields(w, (("W1", 1), ("W2", 2), ("W3", 2), ("W4", 3), ("W5", 3),
                               ("W6", 4)))  # fmt: skip
    shown = client.post(page, {"action": "compare", "rationale": "", **adjusted})
    assert shown.status_code == 200
    options = {o.name: o for o in shown.context["options"]}
    assert list(options) == ["Recommendation", "Today", "Your adjusted groups"]
    assert options["Recommendation"].objective == 1000 and options["Today"].objective == 1080
    mine = options["Your adjusted groups"]
    assert mine.objective == 900  # W1 alone; W2+W3 180; W4+W5 130; W6 50
    assert [[ward.name for ward in c.wards] for c in mine.clusters] == [
        ["W1"], ["W2", "W3"], ["W4", "W5"], ["W6"]]  # fmt: skip
    html = shown.content.decode()
    assert 'id="options"' in html and "govuk-error-summary" not in html
    form = shown.context["decision_form"]
    assert form.initial[f"ward_{w['W2'].code}"] == "2" and not form.is_bound
    assert not SupervisionDecision.objects.exists()

    far = client.post(page, {"action": "compare", **adjusted, f"ward_{w['W6'].code}": "3"})
    assert far.status_code == 200 and b"govuk-error-summary" in far.content
    assert b"must be adjacent" in far.content and far.context["options"] is None
    assert set(far.context["decision_form"].errors) == {"__all__"}  # not the date or rationale

    client.force_login(staff_a)
    assert client.post(page, {"action": "compare", **adjusted}).status_code == 403


def test_the_commander_names_a_sergeant_on_the_page(client, commander_a, row):
    w = row
    page = reverse("supervision:recommendation", args=["E09000007"])
    client.force_login(commander_a)
    shown = client.get(page).content.decode()
    assert 'name="sergeant_1"' in shown and "1003SG" in shown  # the borough's sergeants offered
    form = {"action": "decide", "effective_from": FROM.isoformat(), "rationale": "Named.",
            **ward_fields(w, (("W1", 1), ("W2", 1), ("W3", 2), ("W4", 2), ("W5", 2),
                              ("W6", 3))), "sergeant_1": "1003SG"}  # fmt: skip
    assert client.post(page, form).status_code == 302
    group = SupervisionGroup.objects.get(wards=w["W1"])
    assert group.sergeant.shoulder_number == "1003SG"


def test_the_commander_changes_the_weights_on_the_page(client, commander_a, row):
    page = reverse("supervision:recommendation", args=["E09000007"])
    client.force_login(commander_a)
    weights = {"crime": "2", "asb_call": "1", "hospital": "0", "college": "0", "nightclub": "0"}
    assert client.post(page, {"action": "weights", **weights}).status_code == 302
    shown = client.get(page)
    assert shown.context["rec"].weights.source == "borough"
    assert shown.context["rec"].objective_proposal == 2000  # W1+W2 at 2 a crime
    bad = client.post(page, {"action": "weights", **weights, "crime": "-1"})
    assert bad.status_code == 200 and b"govuk-error-summary" in bad.content


def test_the_commander_records_who_was_consulted(client, staff_a, commander_a, row):
    page = reverse("supervision:recommendation", args=["E09000007"])
    said = {
        "action": "consultation", "consulted": "ward_panel", "who": "W1 ward panel",
        "on": "2026-11-20", "said": "Keep W1's own sergeant.",
    }  # fmt: skip
    client.force_login(staff_a)
    assert client.post(page, said).status_code == 403
    client.force_login(commander_a)
    assert client.post(page, {**said, "on": "2026-12-20"}).status_code == 200  # not held yet
    assert client.post(page, said).status_code == 302
    shown = client.get(page).content.decode()
    assert "W1 ward panel (Ward panel)" in shown and "Keep W1&#x27;s own sergeant." in shown
    assert Consultation.objects.get().recorded_by == commander_a
