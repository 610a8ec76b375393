"""manage.py seed_demo: a neighbourhood team for every London ward, staffed to the rules (with a
few wards short so the warnings show), shared supervision, and a login for every role."""

import io
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q

from config.access import Role
from teams.demo import DEMO_PASSWORD, seed_demo
from teams.models import Officer, Posting, Rank, Team, User
from teams.strength import with_strength
from wards.london import load_london
from wards.models import Ward, WardCluster

pytestmark = pytest.mark.django_db

BOROUGH_ROLES = [Role.STAFF, Role.SERGEANT, Role.INSPECTOR, Role.CHIEF_INSPECTOR, Role.COMMANDER]


@pytest.fixture(scope="module", autouse=True)
def demo_london(django_db_setup, django_db_blocker):
    """All London loaded and seeded once for this module (about ten seconds); each test runs in a
    transaction on top of it, and the module empties the database when it is done."""
    with django_db_blocker.unblock():
        load_london()
        seed_demo()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def table_counts():
    return {
        model.__name__: model.objects.count()
        for model in (WardCluster, Team, Officer, Posting, User)
    }


def test_a_second_run_creates_nothing_new():
    before = table_counts()
    out = io.StringIO()

    report = seed_demo()
    call_command("seed_demo", "--without-deployment", stdout=out)

    assert sum(report.created.values()) == 0
    assert table_counts() == before
    assert "hq" in out.getvalue() and DEMO_PASSWORD in out.getvalue()


def test_every_ward_has_a_neighbourhood_team_with_contact_details():
    teams = Team.objects.filter(kind=Team.Kind.WARD)

    assert teams.count() == Ward.objects.count() == 679
    assert not teams.filter(Q(email="") | Q(phone="")).exists()
    emails = list(teams.values_list("email", flat=True))
    assert len(set(emails)) == len(emails)
    soho = Team.objects.get(ward__name="West End")
    assert soho.name == "West End Safer Neighbourhood Team"
    assert soho.email == "west-end.snt@met.police.uk"
    assert soho.phone.startswith("020 ")


def test_wards_are_grouped_in_clusters_of_neighbours_each_with_an_inpt():
    sizes = Counter(Ward.objects.values_list("cluster", flat=True))

    assert None not in sizes
    assert all(5 <= n <= 8 for n in sizes.values()), sizes
    assert Team.objects.filter(kind=Team.Kind.INPT).count() == WardCluster.objects.count()
    assert WardCluster.objects.filter(name__startswith="Camden ").count() == 3


def test_some_wards_are_below_minimum_cover_and_most_are_not():
    wards = with_strength(Ward.objects.all())

    short = wards.filter(below_minimum=True)
    assert 30 <= short.count() <= 60
    assert short.filter(dedicated_pcs__lt=2).exists()
    assert short.filter(dedicated_pcsos__lt=1).exists()
    assert wards.filter(dedicated_pcs__gte=3).exists()


def test_sergeants_share_the_supervision_of_two_or_three_wards():
    wards_per_sergeant = (
        Posting.objects.current()
        .filter(role=Posting.Role.SUPERVISOR)
        .values("officer")
        .annotate(n=Count("team"))
    )

    assert {row["n"] for row in wards_per_sergeant} <= {1, 2, 3}
    assert max(row["n"] for row in wards_per_sergeant) >= 2
    assert not Team.objects.filter(kind=Team.Kind.WARD).exclude(
        postings__role=Posting.Role.SUPERVISOR
    ).exists()


def test_each_inpt_is_led_by_an_inspector_with_two_detectives():
    for inpt in Team.objects.filter(kind=Team.Kind.INPT).prefetch_related("postings__officer"):
        ranks = sorted(
            (p.role, p.officer.rank, p.officer.is_detective) for p in inpt.postings.all()
        )
        assert ranks == [
            ("lead", Rank.INSPECTOR, False),
            ("member", Rank.PC, True),
            ("member", Rank.PC, True),
        ], inpt


def test_no_officer_has_two_current_primary_postings():
    primaries = (
        Posting.objects.current().filter(is_primary=True).values("officer").annotate(n=Count("id"))
    )

    assert primaries.filter(n__gt=1).count() == 0
    assert not Officer.objects.exclude(postings__is_primary=True).exists()


def test_officers_serve_in_their_own_borough_with_a_bcu_shoulder_number():
    officers = Officer.objects.select_related("borough__bcu")

    assert not Posting.objects.exclude(team__borough=F("officer__borough")).exists()
    for officer in officers.filter(borough__code="E09000007")[:50]:
        assert officer.shoulder_number[:4].isdigit()
        assert officer.shoulder_number[4:] == officer.borough.bcu.code


def test_every_borough_role_has_a_login_in_at_least_two_boroughs():
    boroughs_of_role = defaultdict(set)
    for user in User.objects.prefetch_related("boroughs"):
        boroughs_of_role[user.role].update(b.code for b in user.boroughs.all())

    for role in BOROUGH_ROLES:
        assert len(boroughs_of_role[role]) >= 2, role
    camden_sergeant = User.objects.select_related("officer").get(username="sergeant.camden")
    assert camden_sergeant.officer.rank == Rank.SERGEANT
    assert camden_sergeant.officer.borough.code == "E09000007"
    assert User.objects.get(username="inspector.westminster").officer.rank == Rank.INSPECTOR


def test_commanders_see_every_borough_of_their_bcu():
    commander = User.objects.get(username="commander.central-north")

    assert commander.role == Role.COMMANDER
    assert sorted(b.name for b in commander.boroughs.all()) == ["Camden", "Islington"]


def test_demo_logins_share_the_demo_password_and_only_admin_is_staff():
    assert User.objects.get(username="staff.lambeth").check_password(DEMO_PASSWORD)
    admin = User.objects.get(username="admin")
    assert (admin.role, admin.is_staff, admin.is_superuser) == (Role.ADMIN, True, True)
    assert list(User.objects.filter(is_staff=True).values_list("username", flat=True)) == ["admin"]


def test_a_second_run_puts_demo_logins_back_to_their_demo_values():
    user = User.objects.get(username="inspector.camden")
    user.role = Role.HQ
    user.set_password("something-else-entirely")
    user.save()
    user.boroughs.clear()

    seed_demo(password="another-demo-password")

    user.refresh_from_db()
    assert user.role == Role.INSPECTOR
    assert [b.code for b in user.boroughs.all()] == ["E09000007"]
    assert user.check_password("another-demo-password")


def test_it_needs_london_loaded_first():
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute("TRUNCATE wards_bcu CASCADE")

    with pytest.raises(CommandError, match="load_london"):
        call_command("seed_demo", stdout=io.StringIO())
