"""Postings: the rules of who may be posted where, and history that is kept."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from config.errors import ConflictError, DomainError
from teams.models import Posting, Rank
from teams.services import posting_create, posting_end, posting_move
from tests import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date


def test_an_officer_has_at_most_one_primary_posting_at_a_time_in_the_database(team_a, borough_a):
    officer = f.OfficerFactory(borough=borough_a)
    other_team = f.TeamFactory(ward=f.WardFactory(borough=borough_a))
    f.PostingFactory(
        officer=officer, team=team_a, start_date=D(2025, 1, 1), end_date=D(2025, 6, 30)
    )
    with pytest.raises(IntegrityError, match="posting_one_primary_at_a_time"):
        with transaction.atomic():
            Posting.objects.create(
                officer=officer, team=other_team, role="dedicated", start_date=D(2025, 6, 30)
            )
    # The day after it ends is free, and a non-primary posting may overlap.
    Posting.objects.create(
        officer=officer, team=other_team, role="dedicated", start_date=D(2025, 7, 1)
    )
    Posting.objects.create(
        officer=officer, team=team_a, role="dedicated", is_primary=False, start_date=D(2025, 8, 1)
    )


def test_a_second_primary_posting_is_refused_with_a_clear_message(team_a, borough_a, staff_a):
    officer = f.OfficerFactory(borough=borough_a)
    posting_create(
        officer=officer, team=team_a, role="dedicated", start_date=D(2025, 1, 1), by=staff_a
    )
    other_team = f.TeamFactory(ward=f.WardFactory(borough=borough_a))
    with pytest.raises(ConflictError, match="already has a primary posting"):
        posting_create(
            officer=officer, team=other_team, role="dedicated", start_date=D(2025, 3, 1), by=staff_a
        )


def test_a_posting_is_within_the_officers_borough_and_fits_the_rank(
    team_a, borough_b, borough_a, staff_a
):
    with pytest.raises(DomainError, match="belongs to"):
        posting_create(
            officer=f.OfficerFactory(borough=borough_b),
            team=team_a,
            role="dedicated",
            start_date=D(2025, 1, 1),
            by=staff_a,
        )
    with pytest.raises(DomainError, match="must be one of: Sergeant"):
        posting_create(
            officer=f.OfficerFactory(borough=borough_a),
            team=team_a,
            role="supervisor",
            start_date=D(2025, 1, 1),
            by=staff_a,
        )


def test_a_move_ends_the_old_posting_the_day_before_and_keeps_it(team_a, borough_a, staff_a):
    officer = f.OfficerFactory(borough=borough_a, rank=Rank.PCSO)
    first = posting_create(
        officer=officer, team=team_a, role="dedicated", start_date=D(2025, 1, 1), by=staff_a
    )
    new_team = f.TeamFactory(ward=f.WardFactory(borough=borough_a))
    moved = posting_move(
        officer=officer,
        team=new_team,
        role="dedicated",
        start_date=D(2026, 2, 1),
        by=staff_a,
        reason="Vacancy in the ward",
    )
    first.refresh_from_db()
    assert (first.end_date, first.end_reason, first.ended_by) == (
        D(2026, 1, 31),
        "Vacancy in the ward",
        staff_a,
    )
    assert moved.team == new_team and moved.end_date is None
    assert officer.postings.count() == 2


def test_a_move_before_the_current_posting_began_is_refused(team_a, borough_a, staff_a):
    officer = f.OfficerFactory(borough=borough_a)
    posting_create(
        officer=officer, team=team_a, role="dedicated", start_date=D(2025, 6, 1), by=staff_a
    )
    new_team = f.TeamFactory(ward=f.WardFactory(borough=borough_a))
    with pytest.raises(DomainError, match="must start after the current posting began"):
        posting_move(
            officer=officer, team=new_team, role="dedicated", start_date=D(2025, 5, 1), by=staff_a
        )
    assert officer.postings.count() == 1


def test_ending_before_the_start_is_refused(team_a, borough_a, staff_a):
    posting = posting_create(
        officer=f.OfficerFactory(borough=borough_a),
        team=team_a,
        role="dedicated",
        start_date=D(2025, 6, 1),
        by=staff_a,
    )
    with pytest.raises(DomainError, match="cannot end before"):
        posting_end(posting=posting, end_date=D(2025, 5, 1), reason="", by=staff_a)
