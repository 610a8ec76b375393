"""Abstractions leave cover too (deployment.duties):
- a planned abstraction that would take a ward below minimum cover is refused, unless a Chief
  Inspector of the borough records why (as for a flex approval);
- one recorded after the fact is never refused (that would only hide it): it is flagged and
  escalated to the borough's Chief Inspectors, by email and on their list;
- abstracting any officer of a ward team needs the event and who authorised it."""

import datetime

import pytest
from django.urls import reverse

from config.errors import DomainError
from config.models import OutboundEmail
from deployment.duties import abstraction_record
from deployment.models import Abstraction, AbstractionType, Commitment
from teams.models import Posting, Rank
from tests import factories as f
from tests.conftest import api_client_for
from tests.deployment.factories import staff_ward
from tests.pages import assert_error_summary, page_of, post_as

pytestmark = pytest.mark.django_db
URL = "/api/v1/abstractions/"


@pytest.fixture
def at_minimum(team_a, frozen_today):
    """ward_a with exactly 2 PCs and a PCSO; it is 2 March 2026, 09:00."""
    return staff_ward(team_a, pcs=2, pcsos=1)


def body(officer, day, **extra):
    return {
        "officer": officer.shoulder_number, "abstraction_type": "central-aid",
        "starts_at": f"{day}T08:00", "ends_at": f"{day}T16:00",
        "significant_event": "Demonstration in Whitehall", "authorised_by_name": "Supt Khan",
        **extra,
    }


def test_a_planned_abstraction_below_cover_is_a_409_for_staff_and_inspectors(
    staff_a, inspector_a, at_minimum
):
    for user in (staff_a, inspector_a):
        response = api_client_for(user).post(URL, body(at_minimum[0], "2026-03-12"),
                                             format="json")
        assert response.status_code == 409
        assert response.json()["code"] == "below_minimum_cover"
        assert "Haverstock would have 1 dedicated PC" in response.json()["detail"]
    assert not Abstraction.objects.exists()


def test_a_chief_inspector_accepts_it_recording_why(chief_inspector_a, at_minimum):
    api = api_client_for(chief_inspector_a)
    response = api.post(URL, body(at_minimum[0], "2026-03-12"), format="json")
    assert response.status_code == 400
    assert "cover_override_reason" in response.json()
    response = api.post(
        URL, body(at_minimum[0], "2026-03-12", cover_override_reason="State funeral"),
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["cover_override_reason"], response.json()["cover_override_by"]) == (
        "State funeral", "chief_inspector_a"
    )
    assert response.json()["below_cover"] is False


def test_one_recorded_after_the_fact_is_flagged_and_escalated(
    client, staff_a, chief_inspector_a, inspector_a, inspector_b, at_minimum
):
    chief_inspector_a.email = "ci.camden@met.police.example"
    chief_inspector_a.save()
    response = api_client_for(staff_a).post(URL, body(at_minimum[0], "2026-03-01"), format="json")
    assert response.status_code == 201
    flagged = Abstraction.objects.get()
    assert flagged.below_cover
    assert "Haverstock would have 1 dedicated PC and" in flagged.cover_gaps
    assert Commitment.objects.filter(abstraction=flagged).exists()
    email = OutboundEmail.objects.get(key=f"abstraction-below-cover:{flagged.pk}")
    assert email.recipients == ["ci.camden@met.police.example"]
    assert "after the fact" in email.body

    # On the list of the borough's Chief Inspector, and the API's filter; not another borough's.
    listed = page_of(client, chief_inspector_a, reverse("deployment:abstractions_below_cover"))
    assert at_minimum[0].full_name in listed
    api = api_client_for(inspector_a).get(f"{URL}?below_cover=true").json()["results"]
    assert [a["id"] for a in api] == [flagged.pk]
    assert api_client_for(inspector_b).get(f"{URL}?below_cover=true").json()["results"] == []
    outsider = page_of(client, inspector_b, reverse("deployment:abstractions_below_cover"))
    assert at_minimum[0].full_name not in outsider


def test_one_that_has_started_counts_as_after_the_fact(staff_a, at_minimum):
    started = abstraction_record(
        officer=at_minimum[2], abstraction_type=AbstractionType.objects.get(code="court"),
        starts_at=datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 3, 2, 16, tzinfo=datetime.UTC),
        by=staff_a, significant_event="Trial", authorised_by_name="Supt Khan",
    )
    assert started.below_cover  # its PCSO: the ward has none left that day


def test_abstractions_that_keep_cover_are_not_flagged(staff_a, dwos_a, frozen_today):
    response = api_client_for(staff_a).post(URL, body(dwos_a[0], "2026-03-01"), format="json")
    assert response.status_code == 201
    assert response.json()["below_cover"] is False
    assert not OutboundEmail.objects.filter(key__startswith="abstraction-below-cover").exists()


@pytest.mark.parametrize("role", [Posting.Role.SUPERVISOR, Posting.Role.MEMBER])
def test_any_officer_of_a_ward_team_needs_the_event_and_who_authorised(
    staff_a, borough_a, team_a, role, frozen_today
):
    rank = Rank.SERGEANT if role == Posting.Role.SUPERVISOR else Rank.PC
    officer = f.OfficerFactory(borough=borough_a, rank=rank)
    f.PostingFactory(officer=officer, team=team_a, role=role, is_primary=True)
    for missing, field in (({"significant_event": ""}, "significant_event"),
                           ({"authorised_by_name": ""}, "authorised_by_name")):
        response = api_client_for(staff_a).post(
            URL, body(officer, "2026-03-12", **missing), format="json"
        )
        assert response.status_code == 400
        assert field in response.json()


def test_an_officer_of_no_ward_team_needs_neither(staff_a, borough_a, frozen_today):
    inpt = f.INPTFactory(cluster=f.WardClusterFactory(borough=borough_a))
    officer = f.OfficerFactory(borough=borough_a, rank=Rank.PC)
    f.PostingFactory(officer=officer, team=inpt, role=Posting.Role.MEMBER)
    response = api_client_for(staff_a).post(
        URL, body(officer, "2026-03-12", significant_event="", authorised_by_name=""),
        format="json",
    )
    assert response.status_code == 201


def test_the_page_refuses_it_in_the_error_summary_and_offers_the_reason_field(
    client, staff_a, at_minimum
):
    response = post_as(client, staff_a, reverse("deployment:abstraction_new"), {
        "officer": at_minimum[0].pk,
        "abstraction_type": AbstractionType.objects.get(code="central-aid").pk,
        "start_date": "2026-03-12", "start": "08:00", "end_date": "2026-03-12", "end": "16:00",
        "significant_event": "Demonstration", "authorised_by_name": "Supt Khan",
    })
    assert_error_summary(response, "Only a Chief Inspector can accept that")
    assert 'name="cover_override_reason"' in response.content.decode()


def test_the_roster_import_follows_the_same_rule(staff_a, at_minimum):
    from deployment.roster import roster_import

    csv = (
        "shoulder_number,date,start,end,kind,abstraction_type,significant_event,authorised_by\n"
        f"{at_minimum[0].shoulder_number},2026-03-12,08:00,16:00,abstracted,central-aid,"
        "Demonstration,Supt Khan\n"
    )
    result = roster_import(text=csv, by=staff_a)
    assert not result.committed
    assert "below minimum dedicated cover" in result.rejected[0][1]


def test_a_domain_error_names_the_reason_field_for_a_chief_inspector(
    chief_inspector_a, at_minimum
):
    with pytest.raises(DomainError) as refused:
        abstraction_record(
            officer=at_minimum[0], abstraction_type=AbstractionType.objects.get(code="court"),
            starts_at=datetime.datetime(2026, 3, 12, 8, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2026, 3, 12, 16, tzinfo=datetime.UTC),
            by=chief_inspector_a, significant_event="Trial", authorised_by_name="Supt Khan",
        )
    assert refused.value.field == "cover_override_reason"
