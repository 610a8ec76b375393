""""Below minimum" means one thing on each page: the borough page, the ward page and Grip and
Pace show deployment.cover's two named figures, each with its rule beside the number, and the
borough page's own count is the posted-strength figure's."""

import datetime

import pytest
from django.urls import reverse

from deployment import cover
from tests.deployment.factories import ACCEPTED, court, staff_ward

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def camden_today(time_machine, team_a, team_a_east, chief_inspector_a):
    """Haverstock (ward_a) fully posted, its only PCSO in court all day: cover below minimum,
    posted strength not. Highgate (ward_a_east) has one PC posted: below on both."""
    time_machine.move_to(datetime.datetime(2026, 3, 4, 9, 0), tick=False)
    haverstock = staff_ward(team_a, pcs=2, pcsos=1)
    staff_ward(team_a_east, pcs=1, pcsos=0)
    court(haverstock[2], chief_inspector_a, D(2026, 3, 4), cover_override_reason=ACCEPTED)
    return team_a.ward, team_a_east.ward


def test_the_borough_page_shows_both_figures_with_their_rules(
    client, staff_a, borough_a, camden_today
):
    haverstock, highgate = camden_today
    client.force_login(staff_a)
    page = client.get(borough_a.get_absolute_url()).content.decode()
    definitions = cover.definitions()
    for figure in definitions.values():
        assert f"{figure['name']}</dt>" in page
        assert figure["text"] in page
    ids = [haverstock.pk, highgate.pk]
    posted = cover.posted_strength_below_minimum(ids, D(2026, 3, 4), D(2026, 3, 4))
    covered = cover.cover_below_minimum(ids, D(2026, 3, 4), D(2026, 3, 4))
    assert (len(posted), len(covered)) == (1, 2)
    assert "<strong>1 of 2 wards</strong>: Highgate" in page
    assert "<strong>2 of 2 wards</strong>: Haverstock, Highgate" in page
    # The ward table's own count (teams.strength) is the posted-strength figure, named so.
    assert "Posted strength below minimum today: 1 of 2 wards" in page


def test_the_ward_page_says_which_figure_counts_it(client, staff_a, camden_today):
    haverstock, _ = camden_today
    client.force_login(staff_a)
    page = client.get(haverstock.get_absolute_url()).content.decode()
    assert "Minimum cover today" in page
    assert "Yes, today" in page and ">No</strong>" in page
    assert cover.definitions()["cover"]["text"] in page


def test_grip_and_pace_shows_both_figures_with_their_rules(
    client, chief_inspector_a, borough_a, camden_today
):
    client.force_login(chief_inspector_a)
    page = client.get(reverse("reports:grip_and_pace", args=[borough_a.code])).content.decode()
    assert "Posted strength below minimum today (1 ward)" in page
    assert "Cover below minimum today (2 wards)" in page
    for figure in cover.definitions().values():
        assert figure["text"] in page
