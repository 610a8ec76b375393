"""A ward's deployment calendar and an officer's month: who was where each day, and every duty
with what it was."""

import datetime

import pytest
from django.urls import reverse

from config.timeutils import shift_bounds
from deployment import cover, services
from deployment.duties import duty_record
from deployment.models import Duty
from deployment.rest_days import rest_day_record
from teams.models import Posting
from tests import factories as f
from tests.deployment.factories import ACCEPTED, court, raise_flex, staff_ward

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time


def shift(officer, by, day, start, end, **kwargs):
    starts_at, ends_at = shift_bounds(day, start, end)
    return duty_record(officer=officer, starts_at=starts_at, ends_at=ends_at, by=by, **kwargs)


def calendar_of(client, user, ward, year=2026, month=3):
    client.force_login(user)
    response = client.get(reverse("deployment:ward_calendar", args=[ward.code, year, month]))
    assert response.status_code == 200
    return response


def cell(response, officer, day):
    """(state code, detail) of an officer's cell on a day of the calendar; None when absent."""
    grid = response.context["grid"]
    column = [row.officer for row in grid.officers].index(officer)
    for row_day, cells, _ in grid.rows:
        if row_day == day:
            found = cells[column]
            return (found.state.code, found.detail) if found.state else None
    raise AssertionError(f"{day} is not in the calendar")


@pytest.fixture
def flexed(sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today):
    """dwos_a[0] of Haverstock flexed to Highgate, 9 to 22 March."""
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    return services.flex_approve(flex=flex, by=inspector_a)


class TestTheWardCalendar:
    def test_it_shows_in_ward_abstracted_and_rest_for_the_wards_own_officers(
        self, client, staff_a, chief_inspector_a, ward_a, dwos_a, frozen_today
    ):
        shift(dwos_a[1], staff_a, D(2026, 3, 3), T(7), T(15))
        abstraction = court(dwos_a[2], staff_a, D(2026, 3, 4))
        shift(dwos_a[2], staff_a, D(2026, 3, 4), T(8), T(16), kind=Duty.Kind.ABSTRACTED,
              abstraction=abstraction)
        # Planned, no shift recorded yet; the ward's only PCSO: a Chief Inspector accepts it.
        court(dwos_a[3], chief_inspector_a, D(2026, 3, 5), cover_override_reason=ACCEPTED)
        response = calendar_of(client, staff_a, ward_a)
        assert cell(response, dwos_a[1], D(2026, 3, 3)) == ("in_ward", "")
        assert cell(response, dwos_a[2], D(2026, 3, 4)) == ("abstracted", "Court")
        assert cell(response, dwos_a[3], D(2026, 3, 5)) == ("abstracted", "Court")
        assert cell(response, dwos_a[1], D(2026, 3, 4)) == ("not_recorded", "")

    def test_an_approved_flex_shows_flexed_out_at_home_and_flexed_in_where_it_goes(
        self, client, staff_a, ward_a, ward_a_east, dwos_a, flexed
    ):
        home = calendar_of(client, staff_a, ward_a)
        assert cell(home, dwos_a[0], D(2026, 3, 8)) == ("not_recorded", "")
        assert cell(home, dwos_a[0], D(2026, 3, 9)) == ("flexed_out", "to Highgate")
        assert cell(home, dwos_a[0], D(2026, 3, 22)) == ("flexed_out", "to Highgate")
        assert cell(home, dwos_a[0], D(2026, 3, 23)) == ("not_recorded", "")
        there = calendar_of(client, staff_a, ward_a_east)
        assert not there.context["grid"].officers[-1].dedicated
        assert cell(there, dwos_a[0], D(2026, 3, 8)) is None
        assert cell(there, dwos_a[0], D(2026, 3, 9)) == ("flexed_in", "from Haverstock")
        content = there.content.decode()
        assert "Flexed in</strong><br><span class=\"govuk-body-s\">from Haverstock" in content

    def test_a_recorded_flexed_shift_shows_where_it_was_worked(
        self, client, staff_a, ward_a, ward_a_east, dwos_a, flexed
    ):
        shift(dwos_a[0], staff_a, D(2026, 3, 10), T(18), T(2), kind=Duty.Kind.FLEXED,
              worked_ward=ward_a_east, flex_request=flexed)
        there = calendar_of(client, staff_a, ward_a_east)
        assert cell(there, dwos_a[0], D(2026, 3, 10)) == ("flexed_in", "from Haverstock")
        assert cell(there, dwos_a[0], D(2026, 3, 11)) == ("flexed_in", "from Haverstock")

    def test_an_officer_posted_mid_month_is_only_shown_from_their_first_day(
        self, client, staff_a, team_a, frozen_today
    ):
        newcomer = f.OfficerFactory(borough=team_a.borough)
        f.PostingFactory(officer=newcomer, team=team_a, role=Posting.Role.DEDICATED,
                         start_date=D(2026, 3, 16))
        response = calendar_of(client, staff_a, team_a.ward)
        assert cell(response, newcomer, D(2026, 3, 15)) is None
        assert cell(response, newcomer, D(2026, 3, 16)) == ("not_recorded", "")

    def test_the_totals_count_days_in_each_state(
        self, client, staff_a, ward_a, dwos_a, flexed
    ):
        response = calendar_of(client, staff_a, ward_a)
        row = next(r for r in response.context["grid"].officers if r.officer == dwos_a[0])
        assert row.totals == {"flexed_out": 14, "not_recorded": 17}

    def test_it_links_the_months_before_and_after_and_shows_a_key(
        self, client, staff_a, ward_a, dwos_a, frozen_today
    ):
        content = calendar_of(client, staff_a, ward_a, 2026, 1).content.decode()
        assert "Deployment in Haverstock: January 2026" in content
        assert reverse("deployment:ward_calendar", args=[ward_a.code, 2025, 12]) in content
        assert f"/wards/{ward_a.code}/deployment/2026/02/" in content
        for label in ("In ward", "Flexed in", "Flexed out", "Abstracted", "No duty recorded"):
            assert f">{label}</strong>" in content
        assert ">Rest</strong>" not in content

    def test_each_day_shows_the_wards_cover_against_the_minimum_as_the_figure_counts_it(
        self, client, staff_a, chief_inspector_a, ward_a, dwos_a, frozen_today
    ):
        # ward_a has 3 PCs and 1 PCSO; the PCSO in court all day on the 5th leaves it below.
        court(dwos_a[3], chief_inspector_a, D(2026, 3, 5), cover_override_reason=ACCEPTED)
        response = calendar_of(client, staff_a, ward_a)
        by_day = {day: c for day, _, c in response.context["grid"].rows}
        assert (by_day[D(2026, 3, 4)].pcs, by_day[D(2026, 3, 4)].pcsos) == (3, 1)
        assert not by_day[D(2026, 3, 4)].below
        assert (by_day[D(2026, 3, 5)].pcs, by_day[D(2026, 3, 5)].pcsos) == (3, 0)
        assert by_day[D(2026, 3, 5)].below
        # The same days as the named figure, which every other page asks.
        named = {g.day for g in cover.cover_below_minimum([ward_a.pk], D(2026, 3, 1),
                                                          D(2026, 3, 31))}
        assert {day for day, c in by_day.items() if c.below} == named == {D(2026, 3, 5)}
        content = response.content.decode()
        assert "Cover below minimum</strong> on a day:" in content
        assert "1 day below minimum" in content
        assert "Thu 5 Mar 2026" in content

    def test_a_future_month_says_no_duty_recorded_not_rest(
        self, client, staff_a, ward_a, dwos_a, frozen_today
    ):
        response = calendar_of(client, staff_a, ward_a, 2026, 12)
        assert {c.state.code for _, cells, _ in response.context["grid"].rows for c in cells} == {
            "not_recorded"
        }

    def test_the_print_view_leaves_out_the_menus(
        self, client, staff_a, ward_a, dwos_a, frozen_today
    ):
        client.force_login(staff_a)
        url = reverse("deployment:ward_calendar", args=[ward_a.code, 2026, 3])
        content = client.get(url, {"print": "1"}).content.decode()
        assert 'class="govuk-template__body app-print-view"' in content

    def test_without_a_month_it_shows_the_current_one(
        self, client, staff_a, ward_a, dwos_a, frozen_today
    ):
        client.force_login(staff_a)
        response = client.get(reverse("deployment:ward_calendar", args=[ward_a.code]))
        assert "Deployment in Haverstock: March 2026" in response.content.decode()
        assert len(response.context["grid"].rows) == 31

    def test_a_ward_with_nobody_says_so(self, client, staff_a, ward_a_east, frozen_today):
        content = calendar_of(client, staff_a, ward_a_east).content.decode()
        assert "No dedicated officer was posted to Highgate" in content

    def test_it_runs_a_fixed_number_of_queries(
        self, client, staff_a, sergeant_a, inspector_a, chief_inspector_a, team_a, ward_a_east,
        frozen_today, assert_fixed_queries,
    ):
        client.force_login(staff_a)
        url = reverse("deployment:ward_calendar", args=[team_a.ward.code, 2026, 3])

        def staff_and_deploy(pcs):
            """`pcs` PCs and a PCSO posted here, each with a shift and a day in court; one of
            them flexed out and an officer of a new ward flexed in."""
            officers = staff_ward(team_a, pcs=pcs, pcsos=1)
            for officer in officers:
                shift(officer, staff_a, D(2026, 3, 2), T(7), T(15))
                court(officer, chief_inspector_a, D(2026, 3, 3), cover_override_reason=ACCEPTED)
                rest_day_record(officer=officer, first=D(2026, 3, 4), last=D(2026, 3, 5),
                                by=staff_a)
            out = raise_flex(sergeant_a, ward_a_east, officers[:1])
            services.flex_approve(flex=out, by=inspector_a)
            elsewhere = f.TeamFactory(ward=f.WardFactory(borough=team_a.borough))
            incoming = raise_flex(sergeant_a, team_a.ward, staff_ward(elsewhere, 3, 1)[:1])
            services.flex_approve(flex=incoming, by=inspector_a)

        staff_and_deploy(3)

        def fetch():
            response = client.get(url)
            assert response.status_code == 200
            return len(response.context["grid"].officers)

        # user, user's boroughs (scope), ward, dedicated postings, commitments (with the ward
        # each flexed officer came from), duties, rest days, the ward's cover each day and the
        # days the cover figure counts below minimum (deployment.cover), navigation boroughs
        before, after = assert_fixed_queries(fetch, lambda: staff_and_deploy(8), queries=10)
        assert (before, after) == (5, 15)


@pytest.fixture
def month_url(dwos_a):
    return reverse("deployment:officer_month", args=[dwos_a[0].shoulder_number, 2026, 3])


class TestTheOfficersMonth:
    def test_it_lists_every_duty_with_what_it_was_and_where(
        self, client, staff_a, ward_a_east, dwos_a, flexed, month_url
    ):
        shift(dwos_a[0], staff_a, D(2026, 3, 6), T(22), T(7))
        shift(dwos_a[0], staff_a, D(2026, 3, 10), T(18), T(2), kind=Duty.Kind.FLEXED,
              worked_ward=ward_a_east, flex_request=flexed)
        abstraction = court(dwos_a[0], staff_a, D(2026, 3, 25))
        shift(dwos_a[0], staff_a, D(2026, 3, 25), T(8), T(16), kind=Duty.Kind.ABSTRACTED,
              abstraction=abstraction)
        client.force_login(staff_a)
        content = client.get(month_url).content.decode()
        assert "07:00 <span class=\"govuk-body-s\">(Sat 7 Mar, crosses midnight)</span>" in content
        assert f'href="{flexed.get_absolute_url()}">Flex #{flexed.pk}</a> to Highgate' in content
        assert "home ward Haverstock" in content
        assert "Court: Murder trial witness" in content
        assert "authorised by Supt Khan" in content

    def test_it_totals_shifts_and_hours_by_kind(
        self, client, staff_a, ward_a_east, dwos_a, flexed, month_url
    ):
        shift(dwos_a[0], staff_a, D(2026, 3, 6), T(22), T(7))
        shift(dwos_a[0], staff_a, D(2026, 3, 7), T(22), T(7))
        shift(dwos_a[0], staff_a, D(2026, 3, 10), T(18), T(2), kind=Duty.Kind.FLEXED,
              worked_ward=ward_a_east, flex_request=flexed)
        client.force_login(staff_a)
        totals = {t.label: (t.shifts, t.hours) for t in client.get(month_url).context["totals"]}
        assert totals == {
            "In home ward": (2, 18), "Flexed to another ward": (1, 8), "Abstracted": (0, 0),
            "All duties": (3, 26),
        }

    def test_a_night_shift_counts_in_the_month_it_starts(
        self, client, staff_a, dwos_a, frozen_today, month_url
    ):
        shift(dwos_a[0], staff_a, D(2026, 2, 28), T(22), T(7))
        march_night = shift(dwos_a[0], staff_a, D(2026, 3, 31), T(22), T(7))
        shift(dwos_a[0], staff_a, D(2026, 4, 1), T(22), T(7))
        client.force_login(staff_a)
        assert client.get(month_url).context["duties"] == [march_night]

    def test_it_shows_the_flexes_and_abstractions_holding_the_officer(
        self, client, staff_a, dwos_a, flexed, month_url
    ):
        client.force_login(staff_a)
        content = client.get(month_url).content.decode()
        assert f"Flex #{flexed.pk} to Highgate, 9 Mar to 22 Mar 2026" in content

    def test_it_links_the_months_before_and_after(
        self, client, staff_a, dwos_a, frozen_today, month_url
    ):
        client.force_login(staff_a)
        content = client.get(month_url).content.decode()
        sn = dwos_a[0].shoulder_number
        assert f"/officers/{sn}/duties/2026/02/" in content
        assert f"/officers/{sn}/duties/2026/04/" in content
        assert "duties in March 2026" in content

    @pytest.mark.parametrize("who, shown", [("staff_a", True), ("commander_a", False)])
    def test_only_editors_are_offered_to_record(
        self, client, cast, dwos_a, frozen_today, month_url, who, shown
    ):
        client.force_login(cast(who))
        content = client.get(month_url).content.decode()
        assert ("Record a duty" in content) == shown
