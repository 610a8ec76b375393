"""Recording where officers' time went: abstractions and duties, one by one or from a roster CSV."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from config.access import EDITOR_ROLES, has_role
from config.errors import ConflictError, DomainError
from config.parsers import csv_rows, parse_id
from config.timeutils import LONDON, day_bounds, elapsed, shift_bounds
from deployment import selectors
from deployment.models import (
    MAX_SHIFT_HOURS,
    Abstraction,
    AbstractionType,
    Commitment,
    Duty,
    FlexRequest,
    FlexStatus,
)
from teams.models import Officer, Posting
from teams.services import lock_officers

# An abstraction is for a significant event, not a change of role: longer is a posting.
MAX_ABSTRACTION_DAYS = 31


def _require_editor(by):
    if not has_role(by, EDITOR_ROLES):
        raise PermissionDenied("Your role cannot record duties or abstractions.")


def _check_lengths(model, **values) -> None:
    """Text longer than its column is a clear refusal, not a database error (a roster cell can
    hold anything)."""
    for name, value in values.items():
        limit = model._meta.get_field(name).max_length
        if limit and len(value or "") > limit:
            label = model._meta.get_field(name).verbose_name.capitalize()
            raise DomainError(f"{label} is at most {limit} characters.", field=name)


def _is_dedicated(officer, on) -> bool:
    return Posting.objects.current(on).filter(officer=officer, role=Posting.Role.DEDICATED).exists()


@transaction.atomic
def abstraction_record(
    *,
    officer,
    abstraction_type,
    starts_at,
    ends_at,
    by,
    significant_event="",
    authorised_by_name="",
    notes="",
) -> Abstraction:
    _require_editor(by)
    officer = lock_officers([officer.pk])[officer.pk]
    _check_lengths(
        Abstraction, significant_event=significant_event, authorised_by_name=authorised_by_name
    )
    if ends_at > starts_at and elapsed(starts_at, ends_at).days >= MAX_ABSTRACTION_DAYS:
        raise DomainError(
            f"An abstraction lasts at most {MAX_ABSTRACTION_DAYS} days; for longer, change the "
            "officer's posting.",
            field="ends_at",
        )
    if ends_at <= starts_at:
        raise DomainError("The abstraction must end after it starts.", field="ends_at")
    if not abstraction_type.active:
        raise DomainError(f"{abstraction_type} is no longer in use.", field="abstraction_type")
    on = starts_at.astimezone(LONDON).date()
    if _is_dedicated(officer, on):
        if not significant_event.strip():
            raise DomainError(
                f"{officer.full_name} is a dedicated ward officer: the protocol allows an "
                "abstraction only for a significant event on the borough. Name it.",
                field="significant_event",
            )
        if not authorised_by_name.strip():
            raise DomainError(
                "Record who authorised abstracting a dedicated ward officer.",
                field="authorised_by_name",
            )
    conflicts = selectors.commitment_conflicts([officer.pk], starts_at, ends_at)
    if conflicts:
        raise ConflictError(conflicts[0].message, field="starts_at", code="officer_committed")
    abstraction = Abstraction.objects.create(
        officer=officer,
        abstraction_type=abstraction_type,
        starts_at=starts_at,
        ends_at=ends_at,
        significant_event=significant_event,
        authorised_by_name=authorised_by_name,
        notes=notes,
        recorded_by=by,
    )
    try:
        with transaction.atomic():
            Commitment.objects.create(
                officer=officer, abstraction=abstraction, starts_at=starts_at, ends_at=ends_at
            )
    except IntegrityError:
        raise ConflictError(
            f"{officer.full_name} was committed elsewhere over that time a moment ago.",
            field="starts_at",
            code="officer_committed",
        ) from None
    return abstraction


def _flex_covering(officer, ward, starts_at, ends_at, flex):
    """Check `flex` is an approved flex of `officer` to `ward` covering the shift (as it stands in
    the database now, not as the caller last saw it). The row stays locked until the duty is
    saved, so a withdrawal or early end waits for it and then sees it (services.flex_withdraw)."""
    flex = FlexRequest.objects.select_for_update(of=("self",)).get(pk=flex.pk)
    if flex.status not in (FlexStatus.APPROVED, FlexStatus.ACTIVE, FlexStatus.ENDED):
        raise DomainError(
            f"Flex #{flex.pk} is {flex.get_status_display().lower()}, not approved.",
            field="flex_request",
        )
    if flex.to_ward_id != ward.pk:
        raise DomainError(f"Flex #{flex.pk} is to {flex.to_ward}, not {ward}.", field="worked_ward")
    if not flex.members.filter(officer=officer).exists():
        raise DomainError(
            f"{officer.full_name} is not named in flex #{flex.pk}.", field="flex_request"
        )
    last = flex.ended_on or flex.end_date
    flex_start, flex_end = day_bounds(flex.start_date, last)
    if starts_at < flex_start or starts_at >= flex_end:
        raise DomainError(
            f"The shift falls outside flex #{flex.pk} ({flex.start_date:%d %b} to {last:%d %b}).",
            field="flex_request",
        )


@transaction.atomic
def duty_record(
    *,
    officer,
    starts_at,
    ends_at,
    by,
    kind=Duty.Kind.HOME,
    worked_ward=None,
    flex_request=None,
    abstraction=None,
    notes="",
) -> Duty:
    _require_editor(by)
    officer = lock_officers([officer.pk])[officer.pk]
    _check_lengths(Duty, notes=notes)
    if ends_at <= starts_at:
        raise DomainError("The shift must end after it starts.", field="ends_at")
    if elapsed(starts_at, ends_at) > datetime.timedelta(hours=MAX_SHIFT_HOURS):
        raise DomainError(f"A shift lasts at most {MAX_SHIFT_HOURS} hours.", field="ends_at")
    on = starts_at.astimezone(LONDON).date()
    home = selectors.home_wards([officer.pk], on).get(officer.pk)
    if home is None:
        raise DomainError(
            f"{officer.full_name} has no ward posting on {on:%d %b %Y}: post them to a ward first.",
            field="officer",
        )
    duty = Duty(
        officer=officer,
        home_ward=home,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=kind,
        worked_ward=home,
        notes=notes,
        recorded_by=by,
    )
    if kind == Duty.Kind.FLEXED:
        if worked_ward is None or worked_ward.pk == home.pk:
            raise DomainError(
                "Say which other ward the officer was flexed to.", field="worked_ward"
            )
        if worked_ward.borough_id != home.borough_id:
            raise DomainError("Flexing is allowed within the borough only.", field="worked_ward")
        if flex_request is not None:
            _flex_covering(officer, worked_ward, starts_at, ends_at, flex_request)
        duty.worked_ward, duty.flex_request = worked_ward, flex_request
    elif kind == Duty.Kind.ABSTRACTED:
        if abstraction is None or abstraction.officer_id != officer.pk:
            raise DomainError("Link the officer's abstraction.", field="abstraction")
        if not (abstraction.starts_at < ends_at and abstraction.ends_at > starts_at):
            raise DomainError("The abstraction does not cover this shift.", field="abstraction")
        duty.abstraction = abstraction
    try:
        with transaction.atomic():
            duty.save()
    except IntegrityError as exc:
        if "duty_no_overlap_per_officer" in str(exc):
            raise ConflictError(
                f"{officer.full_name} already has a shift overlapping {starts_at:%d %b %H:%M}.",
                field="starts_at",
                code="overlapping_shift",
            ) from None
        raise ConflictError("That duty conflicts with existing records.") from None
    return duty


# --- roster CSV ----------------------------------------------------------------------------

ROSTER_COLUMNS = [
    "shoulder_number",
    "date",
    "start",
    "end",
    "kind",
    "worked_ward",
    "flex_request",
    "abstraction_type",
    "significant_event",
    "authorised_by",
    "notes",
]
REQUIRED_COLUMNS = {"shoulder_number", "date", "start", "end"}


@dataclass
class RosterResult:
    imported: int = 0
    rejected: list = field(default_factory=list)  # (line number, message)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected


def _parse_row(row, officers, wards, flexes, types):
    shoulder = (row.get("shoulder_number") or "").strip().upper()
    officer = officers.get(shoulder)
    if officer is None:
        raise DomainError(f"No officer {shoulder!r} in your boroughs.")
    try:
        day = datetime.date.fromisoformat((row.get("date") or "").strip())
        start = datetime.time.fromisoformat((row.get("start") or "").strip())
        end = datetime.time.fromisoformat((row.get("end") or "").strip())
    except ValueError:
        raise DomainError("date must be YYYY-MM-DD and start/end HH:MM.") from None
    starts_at, ends_at = shift_bounds(day, start, end)
    kind = (row.get("kind") or "home").strip().lower() or "home"
    if kind not in Duty.Kind.values:
        raise DomainError(f"kind must be one of {', '.join(Duty.Kind.values)}, not {kind!r}.")
    args = {
        "officer": officer,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "kind": kind,
        "notes": (row.get("notes") or "").strip(),
    }
    if kind == Duty.Kind.FLEXED:
        code = (row.get("worked_ward") or "").strip().upper()
        if code not in wards:
            raise DomainError(f"worked_ward {code!r} is not a ward in your boroughs.")
        args["worked_ward"] = wards[code]
        ref = (row.get("flex_request") or "").strip()
        if ref:
            flex = flexes.get(parse_id(ref))
            if flex is None:
                raise DomainError(f"No flex request {ref!r} in your boroughs.")
            args["flex_request"] = flex
    return args, row, types


def _abstraction_for_row(args, row, types, by):
    code = (row.get("abstraction_type") or "").strip().lower()
    atype = types.get(code)
    if atype is None:
        raise DomainError(f"abstraction_type must be one of {', '.join(sorted(types))}.")
    existing = Abstraction.objects.filter(
        officer=args["officer"], starts_at__lte=args["starts_at"], ends_at__gte=args["ends_at"]
    ).first()
    return existing or abstraction_record(
        officer=args["officer"],
        abstraction_type=atype,
        starts_at=args["starts_at"],
        ends_at=args["ends_at"],
        by=by,
        significant_event=(row.get("significant_event") or ""),
        authorised_by_name=(row.get("authorised_by") or ""),
    )


def _lock_named(rows, officers, flexes) -> None:
    """Lock the officers, then the flex requests, that the roster names, each in id order: the
    order duty_record takes them in, so two imports (or an import and a decision) never wait on
    each other in a circle."""
    officer_ids = {
        officers[number].pk
        for number in (str(row.get("shoulder_number") or "").strip() for row in rows)
        if number in officers
    }
    flex_ids = set()
    for row in rows:
        flex_id = parse_id(str(row.get("flex_request") or ""))
        if flex_id in flexes:
            flex_ids.add(flex_id)
    lock_officers(officer_ids)
    list(FlexRequest.objects.select_for_update().filter(pk__in=flex_ids).order_by("pk"))


def roster_import(*, text: str, by, valid_only: bool = False) -> RosterResult:
    """Import a roster. All or nothing, unless `valid_only`: then the good rows go in and the bad
    ones are reported."""
    _require_editor(by)
    fieldnames, rows = csv_rows(text)
    missing = REQUIRED_COLUMNS - set(fieldnames)
    if missing:
        raise DomainError(f"The CSV needs the columns: {', '.join(sorted(missing))}.", field="file")
    officers = {o.shoulder_number: o for o in Officer.objects.for_user(by)}
    from wards.models import Ward

    wards = {w.code: w for w in Ward.objects.for_user(by)}
    flexes = {
        f.pk: f
        for f in FlexRequest.objects.for_user(by).filter(
            status__in=[FlexStatus.APPROVED, FlexStatus.ACTIVE, FlexStatus.ENDED]
        )
    }
    types = {t.code: t for t in AbstractionType.objects.filter(active=True)}
    result = RosterResult()
    with transaction.atomic():
        _lock_named(rows, officers, flexes)
        for line, row in enumerate(rows, start=2):
            try:
                with transaction.atomic():
                    args, row, types = _parse_row(row, officers, wards, flexes, types)
                    if args["kind"] == Duty.Kind.ABSTRACTED:
                        args["abstraction"] = _abstraction_for_row(args, row, types, by)
                    duty_record(by=by, **args)
                    result.imported += 1
            except DomainError as exc:
                result.rejected.append((line, exc.message))
        if result.rejected and not valid_only:
            transaction.set_rollback(True)
            result.imported = 0
            return result
    result.committed = result.imported > 0
    return result
