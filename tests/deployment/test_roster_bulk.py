"""A roster imported in batch (deployment.roster) against the one-row service it is a batch form
of (deployment.duties.duty_record, row by row, each in its own savepoint): the same duties, field
by field, and the same rows rejected with the same messages; and a large roster handed to a
worker, followed by its status in the API and on its page."""

import datetime
import random

import pytest
from django.db import transaction
from django.urls import reverse

from config.errors import DomainError
from config.models import BulkImport
from config.parsers import csv_rows
from deployment.duties import duty_record
from deployment.models import AbstractionType, Duty, FlexRequest, RestDay
from deployment.rest_days import rest_day_record
from deployment.roster import (
    REST,
    ROSTER_COLUMNS,
    _abstraction_for_row,
    _parse_row,
    _row_message,
    roster_import,
)
from teams.models import Officer
from tests.deployment.factories import staff_ward
from wards.names import WardNames

pytestmark = pytest.mark.django_db
HEADER = ",".join(ROSTER_COLUMNS)
FIELDS = (
    "officer_id", "home_ward_id", "worked_ward_id", "starts_at", "ends_at", "kind",
    "flex_request_id", "notes", "recorded_by_id",
)  # fmt: skip


def one_row_at_a_time(text, by):
    """The reference: each row through the one-duty service in its own savepoint, as the
    roster was imported before the batch path."""
    _header, rows = csv_rows(text)
    officers = {o.shoulder_number: o for o in Officer.objects.for_user(by)}
    wards = WardNames.for_user(by)
    flexes = {f.pk: f for f in FlexRequest.objects.for_user(by).authorised()}
    types = {t.code: t for t in AbstractionType.objects.filter(active=True)}
    rejected = []
    for line, row in enumerate(rows, start=2):
        try:
            with transaction.atomic():
                args = _parse_row(row, officers, wards, flexes, types)[0]
                if args["kind"] == REST:
                    rest_day_record(officer=args["officer"], first=args["day"], by=by)
                    continue
                if args["kind"] == Duty.Kind.ABSTRACTED:
                    args["abstraction"] = _abstraction_for_row(args, row, types, by)
                duty_record(by=by, **args)
        except DomainError as exc:
            rejected.append((line, _row_message(exc)))
    return rejected


def records():
    """The duties, then the rest days, field by field."""
    rows = Duty.objects.order_by("officer_id", "starts_at").values_list(*FIELDS, "abstraction")
    rest_days = RestDay.objects.order_by("officer_id", "day").values_list(
        "officer_id", "day", "borough_id", "recorded_by_id"
    )
    return [(*row[:-1], row[-1] is not None) for row in rows] + [
        ("rest", *row) for row in rest_days
    ]


def both_ways(text, by):
    """(rejected, duties) of the batch import and of the one-row reference, each rolled back."""
    answers = []
    for run in (lambda: roster_import(text=text, by=by, valid_only=True).rejected,
                lambda: one_row_at_a_time(text, by)):  # fmt: skip
        with transaction.atomic():
            answers.append((run(), records()))
            transaction.set_rollback(True)
    return answers


@pytest.fixture
def officers(team_a, ward_a_east, team_a_east, team_b):
    """Officers of ward_a, one of ward_a_east (to flex), one of borough_b (not ours)."""
    return staff_ward(team_a, pcs=3, pcsos=1) + staff_ward(team_a_east, pcs=1, pcsos=0) + (
        staff_ward(team_b, pcs=1, pcsos=0)
    )


def hand_built(officers, ward_b, ward_a_east):
    a, b, c, east, other = (o.shoulder_number for o in officers[:3] + officers[4:6])
    return HEADER + f"""
{a},2026-03-06,07:00,15:00,home,,,,,,Early
{a},2026-03-06,15:00,23:00,home,,,,,,Starts as the early ends
{a},2026-03-06,14:00,16:00,home,,,,,,Overlaps both
{a.lower()},2026-03-07,22:00,06:00,,,,,,,Night; lower case number
{b},2026-03-06,08:00,16:00,abstracted,,,central-aid,Carnival,Supt Khan,
{b},2026-03-06,09:00,10:00,home,,,,,,Overlaps the abstracted shift
{b},2026-03-07,08:00,16:00,abstracted,,,parade,,,
{c},2026-03-06,08:00,16:00,flexed,{ward_a_east.code},,,,,Flexed without a request
{c},2026-03-07,08:00,16:00,flexed,{ward_b.code},,,,,Another borough's ward
{c},2026-03-08,08:00,16:00,flexed,,,,,,No ward
{c},2026-03-09,08:00,08:00,home,,,,,,Ends as it starts
{c},2026-03-10,08:00:30,16:00,home,,,,,,Seconds
{c},2026-03-11,06:00,23:30,home,,,,,,Too long
{east},2026-03-06,07:00,15:00,home,,,,,,The other ward
{east},2026-03-06,07:00,15:00,home,,,,,,Twice
{other},2026-03-06,07:00,15:00,home,,,,,,Another borough's officer
NOBODY,2026-03-06,07:00,15:00,home,,,,,,
{a},06/03/2026,07:00,15:00,home,,,,,,
{a},9999-12-31,07:00,15:00,home,,,,,,
{a},0001-01-01,07:00,15:00,home,,,,,,
{a},2026-03-29,00:30,03:30,home,,,,,,The clocks go forward
{a},2026-10-25,00:30,03:30,home,,,,,,The clocks go back
{a},2026-03-12,07:00,15:00,elsewhere,,,,,,Unknown kind
{a},2026-03-13,07:00,15:00,home,,,,,,{"x" * 301}
"""


def test_the_batch_and_the_one_row_service_agree_on_a_hand_built_roster(
    staff_a, officers, ward_b, ward_a_east
):
    starts_at, ends_at = _bounds("2026-03-06", "06:00", "14:00")
    duty_record(officer=officers[3], starts_at=starts_at, ends_at=ends_at, by=staff_a)
    number = officers[3].shoulder_number
    text = hand_built(officers, ward_b, ward_a_east) + (
        f"{number},2026-03-06,13:00,20:00,home,,,,,,Overlaps a recorded shift\n"
    )
    (batch_rejected, batch_duties), (one_rejected, one_duties) = both_ways(text, staff_a)
    assert batch_rejected == one_rejected
    assert batch_duties == one_duties
    assert len(batch_duties) == 9  # 8 rows and the shift recorded before
    assert len(batch_rejected) == 17
    assert any("already has a shift overlapping" in m for _, m in batch_rejected)


def test_the_batch_and_the_one_row_service_agree_on_generated_rosters(staff_a, officers):
    numbers = [o.shoulder_number for o in officers] + ["NOBODY"]
    chance = random.Random(13)
    for _attempt in range(3):
        lines = [HEADER]
        for _ in range(150):
            day = f"2026-03-{chance.randint(1, 28):02d}"
            start = f"{chance.randint(0, 23):02d}:{chance.choice(['00', '30', '45'])}"
            end = f"{chance.randint(0, 23):02d}:{chance.choice(['00', '15', '30'])}"
            kind = chance.choice(["home", "home", "home", ""])
            lines.append(f"{chance.choice(numbers)},{day},{start},{end},{kind},,,,,,")
        text = "\n".join(lines) + "\n"
        (batch_rejected, batch_duties), (one_rejected, one_duties) = both_ways(text, staff_a)
        assert batch_rejected == one_rejected
        assert batch_duties == one_duties
        assert batch_duties and batch_rejected


def test_the_batch_and_the_one_row_service_agree_on_rest_days(staff_a, officers):
    a, b, other = officers[0].shoulder_number, officers[1].shoulder_number, officers[5]
    rest_day_record(officer=officers[1], first=datetime.date(2026, 3, 20), by=staff_a)
    text = HEADER + f"""
{a},2026-03-06,07:00,15:00,home,,,,,,A shift
{a},2026-03-06,,,rest,,,,,,Rest day worked: a shift on it too
{a},2026-03-20,,,rest,,,,,,Rest day
{a},20/03/2026,,,REST,,,,,,Twice (as Excel writes it)
{b},2026-03-20,,,rest,,,,,,Recorded before the import
{b},2026-03-21,07:00,,rest,,,,,,A rest day with a time
{b},2026-03-22,,15:00,rest,,,,,,A rest day with an end
{b},,,,rest,,,,,,No date
{b},9999-12-31,,,rest,,,,,,
{b},0001-01-01,,,rest,,,,,,
{b},2026-03-29,,,rest,,,,,,The clocks go forward
{b},2026-10-25,,,rest,,,,,,The clocks go back
{other.shoulder_number},2026-03-21,,,rest,,,,,,Another borough's officer
"""
    (batch_rejected, batch_records), (one_rejected, one_records) = both_ways(text, staff_a)
    assert batch_rejected == one_rejected
    assert batch_records == one_records
    assert [line for line, _ in batch_rejected] == [5, 6, 7, 8, 9, 10, 11, 14]
    rest_days = [(r[1], r[2]) for r in batch_records if r[0] == "rest"]
    assert rest_days == [
        (officers[0].pk, datetime.date(2026, 3, 6)), (officers[0].pk, datetime.date(2026, 3, 20)),
        (officers[1].pk, datetime.date(2026, 3, 20)), (officers[1].pk, datetime.date(2026, 3, 29)),
        (officers[1].pk, datetime.date(2026, 10, 25)),
    ]
    messages = dict(batch_rejected)
    assert messages[5] == (
        f"Column date: {officers[0].full_name} already has a rest day recorded on 20 March 2026."
    )
    assert messages[7].startswith("Column start: a rest day has no times")
    assert messages[8].startswith("Column end: a rest day has no times")


def test_all_or_nothing_keeps_its_meaning_in_batch(staff_a, officers, ward_b, ward_a_east):
    result = roster_import(text=hand_built(officers, ward_b, ward_a_east), by=staff_a)
    assert result.imported == 0 and not result.committed and len(result.rejected) == 16
    assert not Duty.objects.exists()


def _bounds(day, start, end):
    import datetime

    from config.timeutils import shift_bounds

    return shift_bounds(
        datetime.date.fromisoformat(day),
        datetime.time.fromisoformat(start),
        datetime.time.fromisoformat(end),
    )


# --- a large roster, by a worker -----------------------------------------------------------------


def big_roster(officers, days=10):
    """Every officer of ward_a an early shift each day of March from the 1st."""
    lines = [HEADER]
    for day in range(1, days + 1):
        for officer in officers:
            lines.append(f"{officer.shoulder_number},2026-03-{day:02d},07:00,15:00,home,,,,,,")
    return "\n".join(lines) + "\n"


@pytest.fixture
def queue_from_three_rows(settings):
    settings.IMPORT_IN_REQUEST_MAX_ROWS = 3


def test_a_large_roster_is_queued_and_followed_at_its_status_url(
    staff_a, officers, client_of, queue_from_three_rows, django_capture_on_commit_callbacks
):
    text = big_roster(officers[:4], days=3) + "NOBODY,2026-03-01,07:00,15:00,home,,,,,,\n"
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_of("staff_a").post(
            reverse("api:duty-import") + "?valid_only=true", text, content_type="text/csv"
        )
    assert answer.status_code == 202, answer.content
    body = answer.json()
    assert answer["Location"] == body["status_url"]
    assert body["status_url"] == reverse("api:import-detail", args=[body["id"]])
    assert body["status"] == "queued" and body["rows_total"] == 13
    status = client_of("staff_a").get(body["status_url"]).json()
    assert status["status"] == "done"
    assert (status["rows_done"], status["rows_created"], status["error_count"]) == (13, 12, 1)
    assert status["errors"] == [
        {"row": 14, "field": "",
         "message": "Column shoulder_number: no officer 'NOBODY' in your boroughs."}
    ]
    assert status["started_at"] and status["finished_at"]
    assert Duty.objects.count() == 12
    assert BulkImport.objects.get().payload == ""


def test_a_queued_roster_with_bad_rows_imports_nothing_unless_valid_only(
    staff_a, officers, client_of, queue_from_three_rows, django_capture_on_commit_callbacks
):
    text = big_roster(officers[:4], days=3) + "NOBODY,2026-03-01,07:00,15:00,home,,,,,,\n"
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_of("staff_a").post(
            reverse("api:duty-import"), text, content_type="text/csv"
        )
    status = client_of("staff_a").get(answer.json()["status_url"]).json()
    assert status["status"] == "failed" and status["rows_created"] == 0
    assert "1 row(s) were rejected" in status["failure"]
    assert not Duty.objects.exists()


def test_the_roster_page_sends_a_large_file_to_its_status_page(
    client, staff_a, officers, queue_from_three_rows, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff_a)
    upload = SimpleUploadedFile("march.csv", big_roster(officers[:4], days=2).encode())
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("deployment:roster_import"), {"roster": upload})
    job = BulkImport.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("import_status", args=[job.pk])
    page = client.get(answer["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "march.csv" in text and "8 rows imported" in text
    # Who imported it, by name: the username is for audit views only.
    assert staff_a.display_name in text and "staff_a" not in text
    assert Duty.objects.count() == 8


@pytest.mark.parametrize("who", ["staff_b", "inspector_b"])
def test_an_import_is_not_found_by_another_borough(
    who, staff_a, officers, client_of, cast, client, queue_from_three_rows,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_of("staff_a").post(
            reverse("api:duty-import"), big_roster(officers[:4], 1), content_type="text/csv"
        )
    job_id = answer.json()["id"]
    assert client_of(who).get(reverse("api:import-detail", args=[job_id])).status_code == 404
    client.force_login(cast(who))
    assert client.get(reverse("import_status", args=[job_id])).status_code == 404
    assert client_of("hq").get(reverse("api:import-detail", args=[job_id])).status_code == 200


def test_a_reader_cannot_queue_a_roster(commander_a, officers, client_of, queue_from_three_rows):
    answer = client_of("commander_a").post(
        reverse("api:duty-import"), big_roster(officers[:4], 2), content_type="text/csv"
    )
    assert answer.status_code == 403
    assert not BulkImport.objects.exists()


def test_a_queued_roster_with_a_wrong_header_is_refused_at_once(
    staff_a, client_of, queue_from_three_rows
):
    answer = client_of("staff_a").post(
        reverse("api:duty-import"), "name,when\n" + "x,y\n" * 10, content_type="text/csv"
    )
    assert answer.status_code == 400 and "columns" in answer.json()["detail"]
    assert not BulkImport.objects.exists()


def test_a_roster_past_the_size_limit_is_413(staff_a, client_of, settings):
    settings.REQUEST_BODY_LIMITS = {**settings.REQUEST_BODY_LIMITS, "import": 1024}
    answer = client_of("staff_a").post(
        reverse("api:duty-import"), HEADER + "\n" + "x," * 1000, content_type="text/csv"
    )
    assert answer.status_code == 413


def test_the_status_and_its_page_run_a_fixed_number_of_queries(
    staff_a, officers, client_of, client, queue_from_three_rows,
    django_capture_on_commit_callbacks, django_assert_num_queries,
):  # fmt: skip
    api = client_of("staff_a")
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(
            reverse("api:duty-import") + "?valid_only=true",
            big_roster(officers[:4], 2) + "NOBODY,2026-03-01,07:00,15:00,home,,,,,,\n" * 30,
            content_type="text/csv",
        )
    url = answer.json()["status_url"]
    with django_assert_num_queries(2):  # the token with its user and boroughs, the import
        assert api.get(url).json()["error_count"] == 30
    client.force_login(staff_a)
    page_url = reverse("import_status", args=[answer.json()["id"]])
    client.get(page_url)
    with django_assert_num_queries(5):  # session, user, boroughs, the import, its importer
        assert client.get(page_url).status_code == 200
