"""Importing a roster: a borough's duties from a CSV file, all or nothing unless the valid rows
only are asked for. Each row goes through deployment.duties, as a duty typed on the page does."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from config.errors import DomainError
from config.limits import PLANNED, check_dates
from config.parsers import csv_rows, parse_clock, parse_day, parse_id
from config.timeutils import shift_bounds
from config.transactions import decision
from deployment.duties import abstraction_record, duty_record, require_editor
from deployment.locks import lock_cover
from deployment.models import Abstraction, AbstractionType, Duty, FlexRequest
from teams.models import Officer
from teams.services import lock_officers
from wards.names import WardNames

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


def _cell(row, column: str) -> str:
    return str(row.get(column) or "").strip()


def _column_error(column: str, message: str) -> DomainError:
    """A row's problem, naming its column (the row number is added by the importer)."""
    return DomainError(f"Column {column}: {message}.", field=column)


def _parse_when(row):
    """The shift's day, start and end, in the formats Excel writes (config.parsers)."""
    values = {}
    for column, parse in (("date", parse_day), ("start", parse_clock), ("end", parse_clock)):
        try:
            values[column] = parse(_cell(row, column))
        except ValueError as exc:
            raise _column_error(column, str(exc).rstrip(".")) from None
    try:
        check_dates(PLANNED, date=values["date"])
    except DomainError as exc:
        raise _column_error("date", exc.message.rstrip(".")) from None
    return shift_bounds(values["date"], values["start"], values["end"])


# The columns a duty's own checks (deployment.duties) name by their field.
_COLUMN_OF_FIELD = {
    "officer": "shoulder_number",
    "starts_at": "start",
    "ends_at": "end",
    "worked_ward": "worked_ward",
    "flex_request": "flex_request",
    "abstraction": "abstraction_type",
    "significant_event": "significant_event",
    "authorised_by_name": "authorised_by",
    "kind": "kind",
}


def _row_message(exc: DomainError) -> str:
    """A refused row's problem with the column it is in, when the refusal names one."""
    column = _COLUMN_OF_FIELD.get(exc.field or "")
    if column is None or exc.message.startswith("Column "):
        return exc.message
    return f"Column {column}: {exc.message}"


def roster_example_rows(ward_name: str) -> list[list[str]]:
    """The template's example rows, in ROSTER_COLUMNS' order: a home shift written as Excel
    writes a UK date and time, and a flexed one naming its ward (a name or an ONS code)."""
    return [
        ["7016EA", "27/11/2026", "7:00", "15:00", "home", "", "", "", "", "", "Early turn"],
        ["7016EA", "28/11/2026", "14:00", "22:00", "flexed", ward_name, "", "", "", "",
         "Flexed to the named ward"],
    ]


def _parse_row(row, officers, wards, flexes, types):
    """One row's duty arguments, or a DomainError naming the column at fault. `wards` is a
    wards.names.WardNames: a worked ward by name or ONS code."""
    shoulder = _cell(row, "shoulder_number").upper()
    officer = officers.get(shoulder)
    if officer is None:
        raise _column_error("shoulder_number", f"no officer {shoulder!r} in your boroughs")
    starts_at, ends_at = _parse_when(row)
    kind = _cell(row, "kind").lower() or "home"
    if kind not in Duty.Kind.values:
        raise _column_error("kind", f"must be one of {', '.join(Duty.Kind.values)}, not {kind!r}")
    args = {
        "officer": officer,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "kind": kind,
        "notes": _cell(row, "notes"),
    }
    if kind == Duty.Kind.FLEXED:
        try:
            args["worked_ward"] = wards.resolve(_cell(row, "worked_ward"))
        except ValidationError as exc:
            raise _column_error("worked_ward", exc.messages[0]) from None
        ref = _cell(row, "flex_request")
        if ref:
            flex = flexes.get(parse_id(ref))
            if flex is None:
                raise _column_error("flex_request", f"no flex request {ref!r} in your boroughs")
            args["flex_request"] = flex
    return args, row, types


def _abstraction_for_row(args, row, types, by):
    code = (row.get("abstraction_type") or "").strip().lower()
    atype = types.get(code)
    if atype is None:
        raise _column_error("abstraction_type", f"must be one of {', '.join(sorted(types))}")
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
    wards = WardNames.for_user(by)
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
            result.rejected.append((line, _row_message(exc)))
    if result.rejected and not valid_only:
        transaction.set_rollback(True)
        result.imported = 0
    return result
