"""Importing a roster: a borough's duties from a CSV file, all or nothing unless the valid rows
only are asked for. Each row goes through deployment.duties, as a duty typed on the page does."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from config.errors import DomainError
from config.limits import PLANNED, check_dates
from config.parsers import csv_rows, parse_id
from config.timeutils import WHOLE_MINUTES_MESSAGE, is_whole_minute, shift_bounds
from config.transactions import decision
from deployment.duties import abstraction_record, duty_record, require_editor
from deployment.locks import lock_cover
from deployment.models import Abstraction, AbstractionType, Duty, FlexRequest
from teams.models import Officer
from teams.services import lock_officers
from wards.models import Ward

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
    if not (is_whole_minute(start) and is_whole_minute(end)):
        raise DomainError(f"start and end are HH:MM: {WHOLE_MINUTES_MESSAGE}")
    check_dates(PLANNED, date=day)
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
    existing = (
        Abstraction.objects.for_user(by)
        .filter(
            officer=args["officer"], starts_at__lte=args["starts_at"], ends_at__gte=args["ends_at"]
        )
        .first()
    )
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
    """Lock the officers' boroughs' cover (an abstraction row is a cover decision), then the
    officers, then the flex requests, that the roster names, each in id order: the one order
    of deployment.locks, so two imports (or an import and a decision) never wait on each other
    in a circle."""
    named = [
        officers[number]
        for number in (str(row.get("shoulder_number") or "").strip() for row in rows)
        if number in officers
    ]
    officer_ids = {officer.pk for officer in named}
    if any((row.get("kind") or "").strip().lower() == Duty.Kind.ABSTRACTED for row in rows):
        lock_cover({officer.borough_id for officer in named})
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
    require_editor(by)
    header, rows = csv_rows(text)
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        raise DomainError(f"The CSV needs the columns: {', '.join(sorted(missing))}.", field="file")
    officers = {o.shoulder_number: o for o in Officer.objects.for_user(by)}
    wards = {w.code: w for w in Ward.objects.for_user(by)}
    flexes = {
        f.pk: f for f in FlexRequest.objects.for_user(by).authorised()
    }
    types = {t.code: t for t in AbstractionType.objects.filter(active=True)}
    result = _import_rows(rows, by, valid_only, (officers, wards, flexes, types))
    result.committed = result.imported > 0
    return result


@decision
def _import_rows(rows, by, valid_only, known) -> RosterResult:
    """Every row in one transaction (run again whole if PostgreSQL aborts it)."""
    officers, wards, flexes, types = known
    result = RosterResult()
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
