"""Importing a roster: a borough's duties from a CSV file, all or nothing unless the valid rows
only are asked for.

Each row is checked by the rules of one duty typed on the page (deployment.duties.duty_checked),
in one transaction, but looked up in batch: the officers are locked once, their transfers, home
wards and shifts already recorded are loaded once, a row is checked against them and against the
rows before it, and the good rows are written with bulk_create in batches, without a savepoint
each. The rare rows that decide more (an abstraction, a shift under a flex request: each locks
and reads what it decides on) go through deployment.duties one at a time, as before. A large file
is imported by a worker (config.bulkimport): the same service, reporting its progress. A row
may name its ward by name (wards.names) and write its date and times as Excel does
(config.parsers)."""

import bisect
import datetime
from dataclasses import dataclass, field

import psycopg
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from config import datacache
from config.db import analyze_if_bulk, copy_rows
from config.errors import ConflictError, DomainError
from config.limits import PLANNED, check_dates
from config.parsers import csv_rows, parse_clock, parse_day, parse_id
from config.timeutils import LONDON, shift_bounds
from config.transactions import decision
from deployment import selectors
from deployment.duties import (
    abstraction_record,
    duty_checked,
    duty_record,
    overlapping_shift,
    require_editor,
)
from deployment.locks import lock_cover
from deployment.models import Abstraction, AbstractionType, Duty, FlexRequest, RestDay
from deployment.rest_days import already_resting, audit_recorded, rest_day_checked
from teams.history import transfers_after_from, transfers_by_officer
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
REST_COPY_COLUMNS = ["officer_id", "day", "borough_id", "recorded_by_id", "recorded_at"]
COPY_COLUMNS = [
    "officer_id", "home_ward_id", "worked_ward_id", "starts_at", "ends_at", "kind",
    "flex_request_id", "abstraction_id", "notes", "recorded_by_id", "recorded_at",
]  # fmt: skip


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
    _check_date(values["date"])
    return shift_bounds(values["date"], values["start"], values["end"], recorded=True)


def _check_date(day) -> None:
    try:
        check_dates(PLANNED, date=day)
    except DomainError as exc:
        raise _column_error("date", exc.message.rstrip(".")) from None


def _parse_rest(row, officer) -> dict:
    """A "rest" row: the officer's rest day on its date, which has no times."""
    for column in ("start", "end"):
        if _cell(row, column):
            raise _column_error(column, "a rest day has no times: leave it empty")
    try:
        day = parse_day(_cell(row, "date"))
    except ValueError as exc:
        raise _column_error("date", str(exc).rstrip(".")) from None
    _check_date(day)
    return {"kind": REST, "officer": officer, "day": day}


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
    "date": "date",
}
# A roster row's kind for a rest day (deployment.rest_days), beside the duties' kinds.
REST = "rest"
KINDS = [*Duty.Kind.values, REST]


def _row_message(exc: DomainError) -> str:
    """A refused row's problem with the column it is in, when the refusal names one."""
    column = _COLUMN_OF_FIELD.get(exc.field or "")
    if column is None or exc.message.startswith("Column "):
        return exc.message
    return f"Column {column}: {exc.message}"


def roster_example_rows(ward_name: str) -> list[list[str]]:
    """The template's example rows, in ROSTER_COLUMNS' order: a home shift written as Excel
    writes a UK date and time, a flexed one naming its ward (a name or an ONS code), and a rest
    day (no times)."""
    return [
        ["7016EA", "27/11/2026", "7:00", "15:00", "home", "", "", "", "", "", "Early turn"],
        ["7016EA", "28/11/2026", "14:00", "22:00", "flexed", ward_name, "", "", "", "",
         "Flexed to the named ward"],
        ["7016EA", "29/11/2026", "", "", REST, "", "", "", "", "", "Rest day"],
    ]


def _parse_row(row, officers, wards, flexes, types):
    """One row's duty arguments, or a DomainError naming the column at fault. `wards` is a
    wards.names.WardNames: a worked ward by name or ONS code."""
    shoulder = _cell(row, "shoulder_number").upper()
    officer = officers.get(shoulder)
    if officer is None:
        raise _column_error("shoulder_number", f"no officer {shoulder!r} in your boroughs")
    kind = _cell(row, "kind").lower() or "home"
    if kind == REST:
        return _parse_rest(row, officer), row, types
    starts_at, ends_at = _parse_when(row)
    if kind not in Duty.Kind.values:
        raise _column_error("kind", f"must be one of {', '.join(KINDS)}, not {kind!r}")
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


def _lock_named(rows, officers, flexes) -> dict:
    """Lock the officers' boroughs' cover (an abstraction row is a cover decision), then the
    officers, then the flex requests, that the roster names, each in id order: the one order
    of deployment.locks, so two imports (or an import and a decision) never wait on each other
    in a circle. Returns the locked officers by id."""
    named = [
        officers[number]
        for number in (str(row.get("shoulder_number") or "").strip().upper() for row in rows)
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
    locked = lock_officers(officer_ids)
    list(FlexRequest.objects.select_for_update().filter(pk__in=flex_ids).order_by("pk"))
    return locked


def roster_rows(text: str, by=None) -> list[dict]:
    """The rows of a roster file, once its header has the required columns (and, given `by`,
    once they may record duties: before a file is queued for a worker)."""
    if by is not None:
        require_editor(by)
    header, rows = csv_rows(text)
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        raise DomainError(f"The CSV needs the columns: {', '.join(sorted(missing))}.", field="file")
    return rows


def roster_import(*, text: str, by, valid_only: bool = False, progress=None) -> RosterResult:
    """Import a roster. All or nothing, unless `valid_only`: then the good rows go in and the bad
    ones are reported. `progress(rows read, rows rejected)` is told as the rows are read."""
    require_editor(by)
    rows = roster_rows(text)
    officers = {o.shoulder_number: o for o in Officer.objects.for_user(by)}
    wards = WardNames.for_user(by)
    flexes = {
        f.pk: f for f in FlexRequest.objects.for_user(by).authorised()
    }
    types = {t.code: t for t in AbstractionType.objects.filter(active=True)}
    known = (officers, wards, flexes, types)
    parsed = _parse_all(rows, known, progress or _quiet)
    result = _import_rows(rows, parsed, by, valid_only, known)
    result.committed = result.imported > 0
    if result.committed:
        analyze_if_bulk(result.imported, Duty)
    return result


def _quiet(done, errors, **kwargs) -> None:
    pass


def _parse_all(rows, known, progress) -> list:
    """[(line, the duty's arguments or the DomainError that refused the row, the row)]."""
    officers, wards, flexes, types = known
    parsed, errors = [], 0
    for line, row in enumerate(rows, start=2):
        try:
            args = _parse_row(row, officers, wards, flexes, types)[0]
        except DomainError as exc:
            args, errors = exc, errors + 1
        parsed.append((line, args, row))
        progress(line - 1, errors)
    progress(len(rows), errors, force=True)
    return parsed


def _one_at_a_time(args) -> bool:
    """Rows that decide more than a shift (an abstraction, a flex request's cover)."""
    return args["kind"] == Duty.Kind.ABSTRACTED or "flex_request" in args


@decision
def _import_rows(rows, parsed, by, valid_only, known) -> RosterResult:
    """Every row in one transaction (run again whole if PostgreSQL aborts it)."""
    officers, _wards, flexes, types = known
    result = RosterResult()
    batch = _Batch(by, _lock_named(rows, officers, flexes), parsed)
    for line, args, row in parsed:
        try:
            if isinstance(args, DomainError):
                raise args
            if args["kind"] == REST:
                batch.add_rest(args)
            elif _one_at_a_time(args):
                batch.flush()
                with transaction.atomic():
                    if args["kind"] == Duty.Kind.ABSTRACTED:
                        args["abstraction"] = _abstraction_for_row(args, row, types, by)
                    batch.hold(duty_record(by=by, **args))
            else:
                batch.add(args)
            result.imported += 1
        except DomainError as exc:
            result.rejected.append((line, _row_message(exc)))
            # All or nothing: nothing will be kept, so stop writing (the checks go on).
            batch.writing = valid_only
    batch.flush()
    if result.rejected and not valid_only:
        transaction.set_rollback(True)
        result.imported = 0
    return result


class _Batch:
    """The roster's duties checked in batch: the lookups of deployment.duties.duty_checked,
    loaded once for every officer the roster names, and each officer's shifts (recorded, and
    accepted from the file so far) by start, so that an overlapping row is refused as the
    database would refuse it, with the same message."""

    SIZE = 5000

    def __init__(self, by, locked, parsed):
        self.by, self.locked, self.pending, self.writing = by, locked, [], True
        good = [args for _line, args, _row in parsed if not isinstance(args, DomainError)]
        ids = list(locked)
        self.transfers = transfers_by_officer(ids)
        self.shifts: dict[int, tuple[list, list]] = {}
        self.resting, self.pending_rest = _rest_days_of(ids, good), []
        good = [args for args in good if args["kind"] != REST]
        if not good:
            self.postings = {}
            return
        first = min(args["starts_at"] for args in good)
        last = max(args["ends_at"] for args in good)
        self.postings = selectors.home_ward_postings(
            ids, _london_day(first) - datetime.timedelta(days=1), _london_day(last)
        )
        recorded = Duty.objects.filter(officer_id__in=ids, starts_at__lt=last, ends_at__gt=first)
        for officer_id, starts_at, ends_at in recorded.values_list(
            "officer_id", "starts_at", "ends_at"
        ).order_by("starts_at"):
            starts, ends = self.shifts.setdefault(officer_id, ([], []))
            starts.append(starts_at)
            ends.append(ends_at)

    # The lookups duty_checked asks for.
    def transfers_after(self, officer, day):
        return transfers_after_from(self.transfers.get(officer.pk, ()), day)

    def home_ward(self, officer, day):
        return selectors.home_ward_on(self.postings.get(officer.pk, ()), day)

    def add(self, args) -> None:
        officer = self.locked[args["officer"].pk]
        duty = duty_checked(
            officer=officer, starts_at=args["starts_at"], ends_at=args["ends_at"], by=self.by,
            kind=args["kind"], worked_ward=args.get("worked_ward"), flex_request=None,
            abstraction=None, notes=args["notes"], lookups=self,
        )  # fmt: skip
        self.hold(duty)
        self.pending.append(duty)
        if len(self.pending) >= self.SIZE:
            self.flush()

    def add_rest(self, args) -> None:
        """A rest row: checked as deployment.rest_days.rest_day_record checks one day, against
        the rest days recorded and those accepted from the file so far."""
        officer, day = self.locked[args["officer"].pk], args["day"]
        later = transfers_after_from(self.transfers.get(officer.pk, ()), day)
        draft = rest_day_checked(officer=officer, day=day, by=self.by, later=later)
        if (officer.pk, day) in self.resting:
            raise already_resting(officer, day)
        self.resting.add((officer.pk, day))
        self.pending_rest.append(draft)

    def hold(self, duty) -> None:
        """Count the duty's time as taken; ConflictError if the officer already has a shift
        overlapping it (shifts are [start, end): one may start as another ends)."""
        starts, ends = self.shifts.setdefault(duty.officer.pk, ([], []))
        at = bisect.bisect_left(starts, duty.starts_at)
        if (at > 0 and ends[at - 1] > duty.starts_at) or (
            at < len(starts) and starts[at] < duty.ends_at
        ):
            raise overlapping_shift(duty)
        starts.insert(at, duty.starts_at)
        ends.insert(at, duty.ends_at)

    def flush(self) -> None:
        """Write the checked rows with COPY (no model instances, no SQL to compile for each)."""
        self._flush_rest()
        if not (self.pending and self.writing):
            self.pending = []
            return
        now = timezone.now()
        rows = (
            (
                d.officer.pk, d.home_ward.pk, d.worked_ward.pk, d.starts_at, d.ends_at, d.kind,
                d.flex_request.pk if d.flex_request else None,
                d.abstraction.pk if d.abstraction else None, d.notes, d.recorded_by.pk, now,
            )
            for d in self.pending
        )  # fmt: skip
        _copy(Duty, COPY_COLUMNS, rows, what="Shifts")
        self.pending = []

    def _flush_rest(self) -> None:
        """Write the rest days checked so far with COPY, as the duties."""
        drafts, self.pending_rest = self.pending_rest, []
        if not (drafts and self.writing):
            return
        now = timezone.now()
        rows = ((d.officer.pk, d.day, d.borough_id, d.recorded_by.pk, now) for d in drafts)
        _copy(RestDay, REST_COPY_COLUMNS, rows, what="Rest days")
        audit_recorded(drafts, by=self.by)  # as one at a time


def _copy(model, columns, rows, *, what: str) -> None:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            copy_rows(cursor, model._meta.db_table, columns, rows)
    except (IntegrityError, psycopg.IntegrityError):
        # Only a row recorded outside the officers' locks could get here.
        raise ConflictError(
            f"{what} of these officers changed while the roster was imported: import it again."
        ) from None
    # COPY is not seen by config.datacache: say the table changed, once it has.
    transaction.on_commit(lambda: datacache.bump(model._meta.db_table))


def _rest_days_of(officer_ids, good) -> set:
    """{(officer id, day)} of the rest days recorded on the dates of the roster's rest rows."""
    days = {args["day"] for args in good if args["kind"] == REST}
    if not days:
        return set()
    recorded = RestDay.objects.filter(
        officer_id__in=officer_ids, day__gte=min(days), day__lte=max(days)
    )
    return set(recorded.values_list("officer_id", "day"))


def _london_day(moment) -> datetime.date:
    return moment.astimezone(LONDON).date()
