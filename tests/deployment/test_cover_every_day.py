"""Minimum cover over the whole flex: every day of it is checked against the postings of that day.
An officer posted to ward W and then to W2 during the flex is missed in W, then in W2."""

import datetime

import pytest
from django.db.models import Prefetch

from config.errors import ConflictError
from deployment import cover, services
from deployment.models import FlexOfficer, FlexRequest
from teams.models import Posting, Rank
from tests import factories as f
from tests.deployment.factories import raise_flex, staff_ward

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def moving(borough_a, team_a, dwos_a, frozen_today):
    """An extra PC of ward_a (3 PCs and a PCSO already) who moves to W2 on 13 March. W2 has one
    PC and a PCSO of its own: with the newcomer it is at its minimum from the 13th."""
    w2 = f.TeamFactory(ward=f.WardFactory(borough=borough_a, name="Kilburn"))
    staff_ward(w2, pcs=1, pcsos=1)
    officer = f.OfficerFactory(borough=borough_a, rank=Rank.PC)
    f.PostingFactory(officer=officer, team=team_a, role=Posting.Role.DEDICATED,
                     start_date=D(2025, 1, 1), end_date=D(2026, 3, 12))
    f.PostingFactory(officer=officer, team=w2, role=Posting.Role.DEDICATED,
                     start_date=D(2026, 3, 13))
    return officer, w2.ward


def test_the_ward_an_officer_moves_to_during_the_flex_is_checked_from_that_day(
    sergeant_a, inspector_a, ward_a_east, dwos_a_east, moving
):
    officer, w2 = moving
    flex = raise_flex(sergeant_a, ward_a_east, [officer], start=D(2026, 3, 9), end=D(2026, 3, 22))
    gaps = cover.flex_cover_gaps(flex)
    # ward_a keeps 3 PCs while the officer is its own (9-12 March): no gap there. W2 falls to
    # one PC on each day from the 13th, when the officer is its own; before, it was short
    # already, but the flex took no one from it then.
    assert [(g.ward.pk, g.day) for g in gaps] == [
        (w2.pk, D(2026, 3, day)) for day in range(13, 23)
    ]
    with pytest.raises(ConflictError, match="Kilburn would have 1 dedicated PC") as refused:
        services.flex_approve(flex=flex, by=inspector_a)
    assert refused.value.code == "below_minimum_cover"


def test_the_queue_warns_of_the_same_days(sergeant_a, ward_a_east, dwos_a_east, moving):
    officer, _w2 = moving
    flex = raise_flex(sergeant_a, ward_a_east, [officer], start=D(2026, 3, 9), end=D(2026, 3, 22))
    members = FlexOfficer.objects.select_related("officer", "from_ward")
    fetched = FlexRequest.objects.prefetch_related(Prefetch("members", members)).get(pk=flex.pk)
    assert cover.queue_warnings([fetched])[flex.pk].gaps == cover.flex_cover_gaps(flex)


def test_a_flex_before_the_move_is_checked_against_the_first_ward_only(
    sergeant_a, inspector_a, ward_a_east, dwos_a_east, moving
):
    officer, _w2 = moving
    flex = raise_flex(sergeant_a, ward_a_east, [officer], start=D(2026, 3, 9), end=D(2026, 3, 12))
    assert cover.flex_cover_gaps(flex) == []
    assert services.flex_approve(flex=flex, by=inspector_a).status == "approved"


def test_a_planned_abstraction_across_the_move_is_checked_in_both_wards(
    staff_a, moving, frozen_today
):
    from deployment.duties import abstraction_record
    from deployment.models import AbstractionType

    officer, w2 = moving
    starts_at = datetime.datetime(2026, 3, 12, 20, tzinfo=datetime.UTC)
    ends_at = datetime.datetime(2026, 3, 13, 4, tzinfo=datetime.UTC)  # a night: two days
    gaps = cover.abstraction_cover_gaps(officer.pk, starts_at, ends_at)
    assert [(g.ward.pk, g.day) for g in gaps] == [(w2.pk, D(2026, 3, 13))]
    with pytest.raises(ConflictError, match="below minimum dedicated cover"):
        abstraction_record(
            officer=officer, abstraction_type=AbstractionType.objects.get(code="central-aid"),
            starts_at=starts_at, ends_at=ends_at, by=staff_a,
            significant_event="Night-time operation", authorised_by_name="Supt Khan",
        )
