"""Writes to teams and postings. Views, the API, the admin and commands all call these. Each
that locks rows is a decision (config.transactions.decision): run again when PostgreSQL aborts
it in a deadlock, and, called from another decision, part of that one's transaction."""

import datetime
import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from config import audit
from config.access import EDITOR_ROLES, borough_ids, has_role
from config.errors import ConflictError, DomainError
from config.limits import PLANNED, check_dates
from config.timeutils import london_midnight
from config.transactions import decision
from teams.models import Officer, OfficerTransfer, Posting, Rank, Team, User
from teams.signals import still_committed

log = logging.getLogger(__name__)

# Which ranks may hold which posting role.
ROLE_RANKS = {
    Posting.Role.DEDICATED: {Rank.PC, Rank.PCSO, Rank.SPECIAL},
    Posting.Role.SUPERVISOR: {Rank.SERGEANT},
    Posting.Role.LEAD: {Rank.INSPECTOR, Rank.CHIEF_INSPECTOR},
    Posting.Role.MEMBER: set(Rank),
}


def shoulder_number_refusal(number: str, *, by, officer=None) -> str | None:
    """Why `number` cannot be `officer`'s (or a new officer's) shoulder number: it is in use,
    in whichever borough (they are force-wide). The refusal does not say where, and the attempt
    is logged (config.audit). None when it is free."""
    others = Officer.objects.filter(shoulder_number=number)
    if officer is not None and officer.pk is not None:
        others = others.exclude(pk=officer.pk)
    if not others.exists():
        return None
    return audit.identifier_in_use("shoulder number", number, by=by)


def lock_officers(officer_ids) -> dict[int, Officer]:
    """Lock the officers' rows until the transaction ends, in id order (so two writers never
    deadlock). Every write that depends on where an officer belongs or is posted takes this
    first, so it runs wholly before or wholly after a transfer, which locks the same row."""
    officers = Officer.objects.select_for_update().filter(pk__in=list(officer_ids)).order_by("pk")
    return {officer.pk: officer for officer in officers}


def lock_named(officers, borough_id, *, field: str) -> list[Officer]:
    """The officers a write names (a flex request's, a promise's owner), as they stand now, their
    rows locked until the transaction ends (lock_officers), in the order given. A transfer of
    one of them then runs wholly before the write, which sees where they went, or wholly after
    it, and finds them named (teams.signals). One the caller read in `borough_id` who has left it
    since is refused as such (officer_moved), not as an officer of a borough it never asked
    about."""
    locked = lock_officers([o.pk for o in officers])
    for seen in officers:
        if seen.pk not in locked:  # deleted (the admin) since the caller read them
            raise DomainError(f"{seen.full_name} is no longer on the system.", field=field)
        if seen.borough_id == borough_id != locked[seen.pk].borough_id:
            raise officer_moved(locked[seen.pk], field=field)
    return [locked[o.pk] for o in officers]


def officer_moved(officer: Officer, field: str = "officer") -> ConflictError:
    """The refusal of a write asked of an officer who, by the time their row was locked, had
    been transferred to another borough (a transfer done in between): the asker saw them in the
    borough they left. It does not say where they went."""
    return ConflictError(
        f"{officer.full_name} moved to another borough a moment ago: reload and check.",
        field=field,
        code="officer_moved",
    )


def _check_posting(*, officer: Officer, team: Team, role: str) -> None:
    if officer.borough_id != team.borough_id:
        raise DomainError(
            f"{officer.full_name} belongs to {officer.borough}; post them to a team of that "
            "borough or transfer them first.",
            field="team",
        )
    if not officer.active:
        raise DomainError(f"{officer.full_name} is not an active officer.", field="officer")
    if officer.rank not in ROLE_RANKS[role]:
        allowed = ", ".join(sorted(Rank(r).label for r in ROLE_RANKS[role]))
        raise DomainError(
            f"A {Posting.Role(role).label.lower()} must be one of: {allowed}.", field="role"
        )
    if role == Posting.Role.DEDICATED and team.kind != Team.Kind.WARD:
        raise DomainError("Dedicated ward officers are posted to a ward team.", field="team")
    if role == Posting.Role.LEAD and team.kind != Team.Kind.INPT:
        raise DomainError("An Inspector leads an integrated team (INPT).", field="team")


@decision
def posting_create(
    *,
    officer: Officer,
    team: Team,
    role: str,
    start_date: datetime.date,
    by,
    is_primary: bool = True,
    end_date: datetime.date | None = None,
) -> Posting:
    officer = lock_officers([officer.pk])[officer.pk]
    return _posting_create(officer, team, role, start_date, by, is_primary, end_date)


def _posting_create(officer, team, role, start_date, by, is_primary, end_date) -> Posting:
    check_dates(PLANNED, start_date=start_date, end_date=end_date)
    _check_posting(officer=officer, team=team, role=role)
    if end_date and end_date < start_date:
        raise DomainError("The end date must be on or after the start date.", field="end_date")
    posting = Posting(
        officer=officer,
        team=team,
        role=role,
        is_primary=is_primary,
        start_date=start_date,
        end_date=end_date,
        created_by=by,
    )
    try:
        with transaction.atomic():
            posting.save()
    except IntegrityError as exc:
        raise _posting_conflict(exc, officer) from None
    return posting


def _posting_conflict(exc: IntegrityError, officer: Officer) -> ConflictError:
    text = str(exc)
    if "posting_one_primary_at_a_time" in text:
        return ConflictError(
            f"{officer.full_name} already has a primary posting over those dates. End or move it "
            "first.",
            field="start_date",
        )
    if "posting_no_overlap_in_same_team" in text:
        return ConflictError(
            f"{officer.full_name} is already posted to that team over those dates.",
            field="team",
        )
    return ConflictError("That posting conflicts with existing records.")


@decision
def posting_end(*, posting: Posting, end_date: datetime.date, reason: str, by) -> Posting:
    check_dates(PLANNED, end_date=end_date)
    # The officer first (lock_officers): a decision that reads where they are posted (a flex
    # approval) runs wholly before or after the end.
    lock_officers([posting.officer_id])
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    if posting.end_date is not None and posting.end_date < timezone.localdate():
        raise ConflictError("This posting has already ended.")
    if end_date < posting.start_date:
        raise DomainError(
            f"The posting started on {posting.start_date:%d %B %Y}; it cannot end before that.",
            field="end_date",
        )
    posting.end_date = end_date
    posting.end_reason = reason
    posting.ended_by = by
    posting.ended_at = timezone.now()
    try:
        with transaction.atomic():
            posting.save(update_fields=["end_date", "end_reason", "ended_by", "ended_at"])
    except IntegrityError as exc:
        # A later end date can run into the officer's next posting.
        raise _posting_conflict(exc, posting.officer) from None
    return posting


@decision
def posting_move(
    *, officer: Officer, team: Team, role: str, start_date: datetime.date, by, reason: str = ""
) -> Posting:
    """End the officer's current primary posting the day before `start_date` and post them to
    `team`. Both rows change or neither does."""
    check_dates(PLANNED, start_date=start_date)
    Officer.objects.select_for_update().get(pk=officer.pk)
    # The primary posting still running on the move's first day, or starting after it.
    current = (
        Posting.objects.select_for_update()
        .filter(officer=officer, is_primary=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        .order_by("start_date")
        .first()
    )
    if current is not None:
        if current.team_id == team.pk and current.role == role:
            raise ConflictError(f"{officer.full_name} is already posted there.", field="team")
        if current.start_date >= start_date:
            raise DomainError(
                "The move must start after the current posting began "
                f"({current.start_date:%d %B %Y}).",
                field="start_date",
            )
        posting_end(
            posting=current,
            end_date=start_date - datetime.timedelta(days=1),
            reason=reason or f"Moved to {team}",
            by=by,
        )
    return posting_create(officer=officer, team=team, role=role, start_date=start_date, by=by)


# A transfer may be recorded this far ahead of its day (then the daily job does it), or this far
# after it.
MAX_TRANSFER_AHEAD_DAYS = 365
MAX_TRANSFER_BACKDATE_DAYS = 90
TransferStatus = OfficerTransfer.Status


def _ahead_text() -> str:
    return "a year" if MAX_TRANSFER_AHEAD_DAYS == 365 else f"{MAX_TRANSFER_AHEAD_DAYS} days"


def transfer_window_text() -> str:
    """The accepted dates of a transfer, in words (the form's help text says this)."""
    return f"Up to {MAX_TRANSFER_BACKDATE_DAYS} days back, or up to {_ahead_text()} ahead"


@decision
def officer_transfer(
    *, officer: Officer, to_borough, effective_on: datetime.date, reason: str, by
) -> OfficerTransfer:
    """Transfer an officer to another borough from `effective_on`.

    Dated today or earlier, it is done at once: each posting still running ends the day
    before, with the transfer as its reason, and the officer (and their own login) moves to the
    new borough, which then posts them to a team. Dated ahead, it is planned, and the daily job
    does it on its day (`transfers_due`). All of it happens, or none of it does.

    To be done, the officer must be clear of the old borough from `effective_on`: no posting
    starting then or later, no approved flex or abstraction, no pending flex request, no duty,
    no promise they own and no victim visit scheduled with them. Each is named in the refusal."""
    reason = _transfer_reason(reason, "reason")
    _check_transfer_date(effective_on, timezone.localdate())
    seen_in = officer.borough_id
    officer = lock_officers([officer.pk])[officer.pk]
    _check_not_moved_meanwhile(officer, seen_in, to_borough, by)
    _require_editor_of(by, officer.borough_id)
    _check_transferable(officer, to_borough, effective_on)
    transfer = OfficerTransfer.objects.create(
        officer=officer,
        from_borough_id=officer.borough_id,
        to_borough=to_borough,
        effective_on=effective_on,
        reason=reason,
        transferred_by=by,
    )
    if effective_on <= timezone.localdate():
        _do_transfer(transfer, officer, by=by)
    return transfer


_REASON_ASKED = {
    "reason": "Enter why the officer is transferring",
    "cancel_reason": "Enter why the transfer is cancelled",
}


def _transfer_reason(reason, field_name) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_REASON_ASKED[field_name], field="reason")
    if len(reason) > OfficerTransfer._meta.get_field(field_name).max_length:
        raise DomainError("Keep the reason to 300 characters or fewer", field="reason")
    return reason


def _check_transfer_date(effective_on, today) -> None:
    if effective_on > today + datetime.timedelta(days=MAX_TRANSFER_AHEAD_DAYS):
        raise DomainError(
            f"A transfer can be planned up to {_ahead_text()} ahead.", field="effective_on"
        )
    if effective_on < today - datetime.timedelta(days=MAX_TRANSFER_BACKDATE_DAYS):
        raise DomainError(
            f"A transfer can be back-dated by {MAX_TRANSFER_BACKDATE_DAYS} days at most.",
            field="effective_on",
        )


def _check_transferable(officer, to_borough, effective_on) -> None:
    """The officer (row locked) may be transferred to `to_borough` from `effective_on`."""
    if to_borough.pk == officer.borough_id:
        raise DomainError(
            f"{officer.full_name} already belongs to {officer.borough}.", field="borough"
        )
    if not officer.active:
        raise DomainError(f"{officer.full_name} is not an active officer.", field="officer")
    _check_after_last_transfer(officer, effective_on)
    planned = officer.transfers.filter(status=TransferStatus.PLANNED).first()
    if planned is not None:
        raise ConflictError(
            f"{officer.full_name} already has a transfer to {planned.to_borough} planned "
            f"for {planned.effective_on:%d %B %Y}: cancel it first.",
            field="borough",
            code="transfer_planned",
        )


def _do_transfer(transfer, officer, *, by, note="") -> None:
    """End the postings, move the officer and their login; the officer's row is locked."""
    if not officer.active:
        raise DomainError(f"{officer.full_name} is not an active officer.", field="officer")
    _check_after_last_transfer(officer, transfer.effective_on)
    running = list(
        Posting.objects.select_for_update()
        .filter(officer=officer)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=transfer.effective_on))
        .select_related("team")
        .order_by("start_date")
    )
    _check_clear_from(officer, transfer.effective_on, running)
    now, last_day = timezone.now(), transfer.effective_on - datetime.timedelta(days=1)
    for posting in running:
        posting.end_date = last_day
        posting.end_reason = f"Transferred to {transfer.to_borough}{note}"
        posting.ended_by, posting.ended_at = by, now
        posting.save(update_fields=["end_date", "end_reason", "ended_by", "ended_at"])
    officer.borough = transfer.to_borough
    officer.save(update_fields=["borough"])
    _move_login(officer, transfer)
    transfer.status, transfer.done_at, transfer.blocked_reason = TransferStatus.DONE, now, ""
    transfer.save(update_fields=["status", "done_at", "blocked_reason"])


def transfers_due(today: datetime.date | None = None) -> dict:
    """The daily job: do each planned transfer whose day has come.

    One that cannot be done yet keeps its plan and records why: the old borough sees it on the
    officer page and on the officer list, the new one on its officer list. It is tried again
    the next day. One still not done MAX_TRANSFER_BACKDATE_DAYS after its date is cancelled
    (it could no longer be recorded by hand either): the borough plans it again if it stands.
    A failure of one transfer never stops the others; a lost database connection retries the
    whole job (the transfers already done stay done)."""
    today = today or timezone.localdate()
    due = OfficerTransfer.objects.filter(
        status=TransferStatus.PLANNED, effective_on__lte=today
    ).values_list("pk", flat=True)
    outcome = {"done": [], "blocked": [], "cancelled": []}
    for transfer_id in list(due):
        try:
            result = _transfer_due(transfer_id, today)
        except OperationalError:
            raise
        except DomainError as exc:
            _blocked(transfer_id, exc.message)
            result = "blocked"
        except Exception as exc:
            log.exception("Transfer %s could not be done", transfer_id)
            _blocked(transfer_id, f"Could not be done ({type(exc).__name__}): see the job's log.")
            result = "blocked"
        if result:
            outcome[result].append(transfer_id)
    log.info("Transfers due %s: %s", today, outcome)
    return outcome


@decision
def _transfer_due(transfer_id, today) -> str | None:
    transfer = (
        OfficerTransfer.objects.select_for_update()
        .select_related("to_borough", "from_borough", "transferred_by")
        .get(pk=transfer_id)
    )
    if transfer.status != TransferStatus.PLANNED:
        return None
    if transfer.effective_on < today - datetime.timedelta(days=MAX_TRANSFER_BACKDATE_DAYS):
        transfer.status = TransferStatus.CANCELLED
        transfer.cancelled_at = timezone.now()
        transfer.cancel_reason = (
            f"Not done within {MAX_TRANSFER_BACKDATE_DAYS} days of its date"
            + (f" ({transfer.blocked_reason})" if transfer.blocked_reason else "")
        )[:300]
        transfer.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        return "cancelled"
    officer = lock_officers([transfer.officer_id])[transfer.officer_id]
    _do_transfer(transfer, officer, by=transfer.transferred_by, note=" (by the daily job)")
    return "done"


def _blocked(transfer_id, reason) -> None:
    OfficerTransfer.objects.filter(pk=transfer_id, status=TransferStatus.PLANNED).update(
        blocked_reason=reason[:500]
    )


@decision
def officer_transfer_cancel(*, transfer: OfficerTransfer, reason: str, by) -> OfficerTransfer:
    """Cancel a planned transfer (the old borough decides, as it planned it)."""
    reason = _transfer_reason(reason, "cancel_reason")
    transfer = OfficerTransfer.objects.select_for_update().get(pk=transfer.pk)
    _require_editor_of(by, transfer.from_borough_id)
    if transfer.status != TransferStatus.PLANNED:
        raise ConflictError(
            f"This transfer is {transfer.get_status_display().lower()}: only a planned one "
            "can be cancelled.",
            code="transfer_not_planned",
        )
    transfer.status = TransferStatus.CANCELLED
    transfer.cancelled_by, transfer.cancelled_at = by, timezone.now()
    transfer.cancel_reason = reason
    transfer.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    return transfer


def _check_after_last_transfer(officer, effective_on) -> None:
    """A transfer cannot reach back past the officer's last one: that would end postings of the
    borough before, which the transfer's borough has no say over."""
    last = (
        officer.transfers.filter(status=TransferStatus.DONE)
        .order_by("-effective_on")
        .values_list("effective_on", flat=True)
        .first()
    )
    if last is not None and effective_on <= last:
        raise DomainError(
            f"{officer.full_name} joined {officer.borough} on {last:%d %B %Y}: a transfer from "
            "here starts after that.",
            field="effective_on",
        )


def _move_login(officer, transfer) -> None:
    """The officer's own login, if any, follows them: the old borough out, the new one in."""
    for user in User.objects.filter(officer=officer):
        user.boroughs.remove(transfer.from_borough)
        user.boroughs.add(transfer.to_borough)


def _check_not_moved_meanwhile(officer, seen_in, to_borough, by) -> None:
    """A transfer done between the caller reading the officer (in `seen_in`) and locking them
    (two transfers at once): the caller hears the officer moved (409), not that it may no longer
    transfer them (403) nor that they already belong where it asked (400), which would be news
    of a change it did not see. Otherwise (and for a caller who could not have transferred them
    from there either) the request is judged as the officer now stands."""
    if officer.borough_id == seen_in or _editor_refusal(by, seen_in):
        return
    if to_borough.pk == officer.borough_id or _editor_refusal(by, officer.borough_id):
        raise officer_moved(officer)


def _editor_refusal(user, borough_id) -> str | None:
    if not has_role(user, EDITOR_ROLES):
        return "Only borough staff, sergeants and inspectors transfer officers."
    ids = borough_ids(user)
    if ids is not None and borough_id not in ids:
        return "Only the officer's own borough can transfer them."
    return None


def _require_editor_of(user, borough_id) -> None:
    if refusal := _editor_refusal(user, borough_id):
        raise PermissionDenied(refusal)


def _check_clear_from(officer, effective_on, running) -> None:
    """No posting starts on or after the transfer, and no app still holds the officer (each app
    answers for itself: teams.signals)."""
    for posting in running:
        if posting.start_date >= effective_on:
            raise DomainError(
                f"{officer.full_name}'s posting to {posting.team} starts on "
                f"{posting.start_date:%d %B %Y}, on or after the transfer: end it first.",
                field="effective_on",
            )
    reason = still_committed(officer, effective_on, london_midnight(effective_on))
    if reason:
        raise DomainError(reason, field="effective_on")
