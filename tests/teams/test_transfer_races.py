"""Two changes of the same officer's borough or team at the same moment, on real PostgreSQL in
real transactions (one connection per thread, every writer released at once: tests.deployment.
test_races.race), through the service and through the API.

Whatever the interleaving:
- exactly one of two transfers (to two boroughs, or to the same one twice) is done, or planned;
  the other is refused with a 409 or 400 saying why, never a 500 nor a 403 (the loser was
  allowed to transfer the officer when it asked);
- an officer never has two open primary postings, never an open posting outside their borough,
  and their borough is the one their last done transfer took them to;
- of two moves to other teams, one stands; a move racing a transfer either lands before it (and
  the transfer is refused: the posting starts on its day) or is refused after it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.errors import ConflictError, DomainError
from teams import services
from teams.models import Officer, OfficerTransfer, Posting
from tests import factories as f
from tests.conftest import api_client_for
from tests.deployment.test_races import race

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 8
API_ROUNDS = 5
REASON = "Promoted into the town centre team"


@pytest.fixture
def team_a_east(borough_a):
    return f.TeamFactory(ward=f.WardFactory(code="E05013661", name="Highgate", borough=borough_a))


def posted_officer(team) -> Officer:
    """A PC of `team`'s borough, posted to it since last year."""
    officer = f.OfficerFactory(borough=team.borough)
    start = timezone.localdate() - datetime.timedelta(days=365)
    f.PostingFactory(officer=officer, team=team, start_date=start)
    return officer


def transfer_to(officer, borough, by, effective_on=None):
    return lambda: services.officer_transfer(
        officer=officer,
        to_borough=borough,
        effective_on=effective_on or timezone.localdate(),
        reason=REASON,
        by=by,
    )


def move_to(officer, team, by, start_date=None):
    return lambda: services.posting_move(
        officer=officer,
        team=team,
        role=Posting.Role.DEDICATED,
        start_date=start_date or timezone.localdate(),
        by=by,
    )


def lost_with_a_reason(outcome) -> bool:
    """A refusal the user can act on: 409 (ConflictError) or 400 (DomainError), not a 403."""
    return isinstance(outcome, DomainError) and not isinstance(outcome, PermissionDenied)


def check_officer(officer) -> None:
    """The officer's borough, open postings and done transfers agree."""
    officer.refresh_from_db()
    today = timezone.localdate()
    open_postings = Posting.objects.filter(officer=officer).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    assert open_postings.filter(is_primary=True).count() <= 1, "two open primary postings"
    outside = open_postings.exclude(team__borough=officer.borough_id)
    assert not outside.exists(), f"open posting outside {officer.borough}: {list(outside)}"
    last = officer.transfers.filter(status=OfficerTransfer.Status.DONE).order_by("-pk").first()
    if last is not None:
        assert last.to_borough_id == officer.borough_id
    assert officer.transfers.filter(status=OfficerTransfer.Status.PLANNED).count() <= 1


# -- two transfers ---------------------------------------------------------------------------


def test_two_transfers_to_two_boroughs_one_is_done_the_other_refused(
    team_a, borough_a2, borough_b, admin_user
):
    """An administrator may transfer from any borough: the loser is refused because the officer
    moved, never transferred on from where the winner put them."""
    for number in range(ROUNDS):
        officer = posted_officer(team_a)
        outcomes = race(
            transfer_to(officer, borough_b, admin_user),
            transfer_to(officer, borough_a2, admin_user),
        )
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        refused = next(o for o in outcomes if o != "ok")
        assert lost_with_a_reason(refused), (number, refused)
        assert officer.transfers.count() == 1, "the refused transfer left a record"
        check_officer(officer)
        winner = outcomes.index("ok")
        assert officer.borough == [borough_b, borough_a2][winner]


def test_the_loser_of_two_transfers_by_the_old_borough_is_told_the_officer_moved(
    team_a, borough_a2, borough_b, staff_a, sergeant_a
):
    """Staff of the old borough only: once the winner moved the officer, the loser is no longer
    in the officer's borough. It asked while it was: it hears the officer moved (409), not that
    it may not transfer them (403)."""
    for number in range(ROUNDS):
        officer = posted_officer(team_a)
        outcomes = race(
            transfer_to(officer, borough_b, staff_a),
            transfer_to(officer, borough_a2, sergeant_a),
        )
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        refused = next(o for o in outcomes if o != "ok")
        assert isinstance(refused, ConflictError), (number, refused)
        assert refused.code == "officer_moved", refused.code
        check_officer(officer)


def test_the_same_transfer_twice_is_done_once(team_a, borough_b, staff_a, sergeant_a):
    for number in range(ROUNDS):
        officer = posted_officer(team_a)
        outcomes = race(
            transfer_to(officer, borough_b, staff_a), transfer_to(officer, borough_b, sergeant_a)
        )
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        assert lost_with_a_reason(next(o for o in outcomes if o != "ok"))
        assert officer.transfers.get().status == OfficerTransfer.Status.DONE
        check_officer(officer)
        assert officer.borough == borough_b


def test_two_planned_transfers_one_is_planned_the_other_refused(
    team_a, borough_a2, borough_b, staff_a, sergeant_a
):
    ahead = timezone.localdate() + datetime.timedelta(days=30)
    for number in range(ROUNDS):
        officer = posted_officer(team_a)
        outcomes = race(
            transfer_to(officer, borough_b, staff_a, ahead),
            transfer_to(officer, borough_a2, sergeant_a, ahead + datetime.timedelta(days=1)),
        )
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        refused = next(o for o in outcomes if o != "ok")
        assert isinstance(refused, ConflictError) and refused.code == "transfer_planned", refused
        assert officer.transfers.get().status == OfficerTransfer.Status.PLANNED
        check_officer(officer)
        assert officer.borough_id == team_a.borough_id  # not yet: the daily job does it


def test_through_the_api_two_transfers_answer_200_and_a_refusal(
    team_a, borough_a2, borough_b, staff_a, sergeant_a
):
    clients = [api_client_for(staff_a), api_client_for(sergeant_a)]
    for number in range(API_ROUNDS):
        officer = posted_officer(team_a)
        url = f"/api/v1/officers/{officer.shoulder_number}/transfer/"
        answers = {}

        def post(index, borough, url=url, answers=answers):
            body = {
                "borough": borough.code,
                "effective_on": timezone.localdate().isoformat(),
                "reason": REASON,
            }
            answers[index] = clients[index].post(url, body, format="json")

        outcomes = race(lambda: post(0, borough_b), lambda: post(1, borough_a2))
        assert outcomes == ["ok", "ok"], outcomes
        statuses = sorted(a.status_code for a in answers.values())
        # 409 when the loser had read the officer before the winner moved them; 404 when it
        # read them after (the officer is Westminster's now, out of the loser's sight).
        assert statuses in ([200, 404], [200, 409]), (number, [a.content for a in answers.values()])
        refused = next(a for a in answers.values() if a.status_code != 200)
        if refused.status_code == 409:
            assert "moved to another borough" in refused.content.decode()
        check_officer(officer)


# -- postings ----------------------------------------------------------------------------------


def test_two_moves_to_two_teams_leave_one_open_primary_posting(
    team_a, team_a_east, staff_a, sergeant_a
):
    team_a_south = f.TeamFactory(ward=f.WardFactory(borough=team_a.borough))
    for number in range(ROUNDS):
        officer = posted_officer(team_a)
        outcomes = race(
            move_to(officer, team_a_east, staff_a), move_to(officer, team_a_south, sergeant_a)
        )
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        assert lost_with_a_reason(next(o for o in outcomes if o != "ok"))
        check_officer(officer)
        current = Posting.objects.current().get(officer=officer)
        assert current.team == [team_a_east, team_a_south][outcomes.index("ok")]
        assert Posting.objects.filter(officer=officer).count() == 2  # the old one, ended


def test_the_same_move_twice_posts_once(team_a, team_a_east, staff_a, sergeant_a):
    for number in range(ROUNDS):
        officer = posted_officer(team_a)
        outcomes = race(
            move_to(officer, team_a_east, staff_a), move_to(officer, team_a_east, sergeant_a)
        )
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        assert isinstance(next(o for o in outcomes if o != "ok"), ConflictError)
        check_officer(officer)
        assert Posting.objects.filter(officer=officer, team=team_a_east).count() == 1


def test_through_the_api_two_moves_answer_201_and_a_refusal(
    team_a, team_a_east, staff_a, sergeant_a
):
    team_a_south = f.TeamFactory(ward=f.WardFactory(borough=team_a.borough))
    clients = [api_client_for(staff_a), api_client_for(sergeant_a)]
    for number in range(API_ROUNDS):
        officer = posted_officer(team_a)
        answers = {}

        def post(index, team, officer=officer, answers=answers):
            body = {
                "officer": officer.shoulder_number,
                "team": team.pk,
                "role": Posting.Role.DEDICATED,
                "start_date": timezone.localdate().isoformat(),
            }
            answers[index] = clients[index].post("/api/v1/postings/move/", body, format="json")

        outcomes = race(lambda: post(0, team_a_east), lambda: post(1, team_a_south))
        assert outcomes == ["ok", "ok"], outcomes
        statuses = sorted(a.status_code for a in answers.values())
        assert statuses in ([201, 400], [201, 409]), (number, statuses)
        check_officer(officer)


def test_a_move_racing_a_transfer_lands_wholly_before_it_or_is_refused(
    team_a, team_a_east, borough_b, staff_a, sergeant_a
):
    """The move starts on the transfer's day: landed first, the transfer finds a posting
    starting on its day and is refused; after it, the move finds the officer in another
    borough."""
    for number in range(ROUNDS):
        officer = posted_officer(team_a)
        outcomes = race(
            transfer_to(officer, borough_b, staff_a), move_to(officer, team_a_east, sergeant_a)
        )
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        assert lost_with_a_reason(next(o for o in outcomes if o != "ok"))
        check_officer(officer)
        officer_in_b = officer.borough == borough_b
        assert officer_in_b == (outcomes[0] == "ok")


def test_two_new_primary_postings_at_once_one_stands(team_a, team_a_east, staff_a, sergeant_a):
    """Two new primary postings of an officer who has none (a new joiner), over the same
    dates: the database holds one primary posting at a time, and the loser hears why (409)."""
    for number in range(ROUNDS):
        officer = f.OfficerFactory(borough=team_a.borough)
        outcomes = race(
            *(
                lambda team=team, by=by, officer=officer: services.posting_create(
                    officer=officer,
                    team=team,
                    role=Posting.Role.DEDICATED,
                    start_date=timezone.localdate(),
                    by=by,
                )
                for team, by in ((team_a, staff_a), (team_a_east, sergeant_a))
            )
        )
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        assert isinstance(next(o for o in outcomes if o != "ok"), ConflictError)
        check_officer(officer)


def test_the_daily_job_doing_a_planned_transfer_as_another_is_asked_for(
    team_a, borough_a2, borough_b, staff_a
):
    """A transfer planned for today, done by the daily job, while the borough asks for another:
    the planned one is done, the other refused (it was planned, or the officer moved: 409)."""
    for number in range(ROUNDS):
        officer = posted_officer(team_a)
        OfficerTransfer.objects.create(
            officer=officer, from_borough=team_a.borough, to_borough=borough_b,
            effective_on=timezone.localdate(), reason=REASON, transferred_by=staff_a,
        )  # fmt: skip
        outcomes = race(
            services.transfers_due,
            transfer_to(officer, borough_a2, staff_a),
        )
        assert outcomes[0] == "ok", outcomes
        assert isinstance(outcomes[1], ConflictError), (number, outcomes)
        assert outcomes[1].code in ("transfer_planned", "officer_moved"), outcomes[1].code
        assert officer.transfers.get().status == OfficerTransfer.Status.DONE
        check_officer(officer)
        assert officer.borough == borough_b


def test_on_the_page_two_transfers_one_is_done_the_other_shown_why(
    team_a, borough_a2, borough_b, staff_a, sergeant_a
):
    """The loser's page comes back with the GOV.UK error summary saying the officer moved (or,
    when it read the officer after the winner moved them, 404: out of its sight)."""
    clients = [Client(), Client()]
    clients[0].force_login(staff_a)
    clients[1].force_login(sergeant_a)
    for number in range(API_ROUNDS):
        officer = posted_officer(team_a)
        url = reverse("teams:officer_transfer", args=[officer.shoulder_number])
        answers = {}

        def post(index, borough, url=url, answers=answers):
            body = {
                "borough": borough.code,
                "effective_on": timezone.localdate().isoformat(),
                "reason": REASON,
            }
            answers[index] = clients[index].post(url, body)

        outcomes = race(lambda: post(0, borough_b), lambda: post(1, borough_a2))
        assert outcomes == ["ok", "ok"], outcomes
        statuses = sorted(a.status_code for a in answers.values())
        assert statuses in ([200, 302], [302, 404]), (number, statuses)
        refused = next(a for a in answers.values() if a.status_code != 302)
        if refused.status_code == 200:
            content = refused.content.decode()
            assert "govuk-error-summary" in content and "moved to another borough" in content
        check_officer(officer)


def test_an_officer_deleted_since_the_caller_read_them_is_refused_by_name(team_a, borough_a):
    """lock_named, between a form reading the officer and the write locking them: the admin
    deleted them. A 400 naming them, not a KeyError (500)."""
    from django.db import transaction

    officer = f.OfficerFactory(borough=borough_a, first_name="Gone", last_name="Away")
    Officer.objects.filter(pk=officer.pk).delete()
    with transaction.atomic(), pytest.raises(DomainError, match="Gone Away is no longer"):
        services.lock_named([officer], borough_a.pk, field="officers")
