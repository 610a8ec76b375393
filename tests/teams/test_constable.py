"""The constable role, for PCs and PCSOs: a login linked to their officer record that logs
activities and sees their own duties and their own ward's promises, and nothing else: 403 on
every other page and on the API, 404 outside their borough (tests/test_role_matrix.py walks
every page and operation; these are the rules within the pages they may open)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from config.access import Role
from promises.models import Activity
from teams.models import Rank, User
from tests import factories as f
from tests.conftest import api_client_for
from tests.promises import factories as pf
from tests.teams.test_createuser import createuser

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(borough_a):
    """Another ward of the constable's borough, with its team and an officer."""
    ward = f.WardFactory(borough=borough_a, name="Belsize")
    team = f.TeamFactory(ward=ward)
    officer = f.OfficerFactory(borough=borough_a)
    f.PostingFactory(officer=officer, team=team)
    return ward, officer


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_a_constable_sees_their_own_duties_and_no_one_elses(client, constable_a, neighbour,
                                                             borough_b):
    officer_b = f.OfficerFactory(borough=borough_b)
    own = reverse("deployment:officer_month", args=[constable_a.officer.shoulder_number])
    other = reverse("deployment:officer_month", args=[neighbour[1].shoulder_number])
    outside = reverse("deployment:officer_month", args=[officer_b.shoulder_number])
    assert get(client, constable_a, own).status_code == 200
    assert client.get(other).status_code == 403
    assert client.get(outside).status_code == 404


def test_a_constable_sees_their_wards_promises_only(client, constable_a, ward_a, neighbour,
                                                    ward_b, staff_a):
    theirs = pf.PromiseFactory(ward=ward_a, owner_user=staff_a)
    next_door = pf.PromiseFactory(ward=neighbour[0], owner_user=staff_a)
    client.force_login(constable_a)
    assert client.get(reverse("promises:ward_delivery", args=[ward_a.code])).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert client.get(reverse("promises:ward_delivery", args=[neighbour[0].code])).status_code \
        == 403
    assert client.get(next_door.get_absolute_url()).status_code == 403
    assert client.get(reverse("promises:ward_delivery", args=[ward_b.code])).status_code == 404


@pytest.mark.parametrize("name", ["teams:officer_list", "deployment:flex_list",
                                  "promises:promise_list", "victims:index", "demand:index"])
def test_a_constable_meets_403_on_every_other_page(client, constable_a, name):
    assert get(client, constable_a, reverse(name)).status_code == 403


def test_a_constable_meets_403_on_the_api_by_token_and_by_session(client, constable_a):
    assert api_client_for(constable_a).get("/api/v1/promises/").status_code == 403
    assert get(client, constable_a, "/api/v1/promises/").status_code == 403


def test_a_constable_logs_an_activity_in_their_own_ward_only(client, constable_a, ward_a,
                                                             neighbour):
    client.force_login(constable_a)
    page = client.get(reverse("promises:activity_log"))
    assert page.context["ward"] == ward_a  # their own ward, chosen for them
    assert client.get(reverse("promises:activity_log") + f"?ward={neighbour[0].code}"
                      ).status_code == 403
    posted = client.post(reverse("promises:activity_log"), {
        "ward_code": ward_a.code, "ward": ward_a.pk, "kind": "patrol",
        "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "duration_minutes": "60",
        "officers": [constable_a.officer.pk],
    })
    assert posted.status_code == 302
    activity = Activity.objects.get()
    assert (activity.ward, activity.recorded_by) == (ward_a, constable_a)


def test_a_constable_login_must_be_linked_to_a_pc_or_pcso(borough_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nobody", role=Role.CONSTABLE)
    sergeant = f.OfficerFactory(borough=borough_a, rank=Rank.SERGEANT)
    with pytest.raises(ValidationError, match="PC, a PCSO"):
        User(username="sarge", role=Role.CONSTABLE, officer=sergeant).clean()


def test_createuser_makes_a_constable_from_their_officer_record(borough_a):
    pc = f.OfficerFactory(borough=borough_a, rank=Rank.PCSO, shoulder_number="4321AB")
    with pytest.raises(CommandError, match="Link a constable's login"):
        createuser("nobody", "--role", "constable", "--borough", borough_a.code)
    createuser("pcso.one", "--role", "constable", "--officer", "4321ab")
    user = User.objects.get(username="pcso.one")
    assert (user.role, user.officer, list(user.boroughs.all())) == (
        Role.CONSTABLE, pc, [borough_a]
    )
    sergeant = f.OfficerFactory(borough=borough_a, rank=Rank.SERGEANT, shoulder_number="99S")
    with pytest.raises(CommandError, match="PC, a PCSO"):
        createuser("sarge", "--role", "constable", "--officer", sergeant.shoulder_number)


def test_the_demo_seeds_a_constable_for_each_demo_borough():
    from teams.demo import DEMO_BOROUGHS, _login_specs

    f.BoroughFactory(code=DEMO_BOROUGHS[0], name="Demo borough")
    constables = [s for s in _login_specs() if s.role == Role.CONSTABLE]
    assert [(s.username, s.officer_rank) for s in constables] == [
        ("constable.demo-borough", Rank.PC)
    ]
