"""The crimes importer records in batch (victims.crime_batch); the reference is the one-crime
service it is a batch form of (victims.services.crime_create, each crime in its own savepoint,
as the importer did before). Both must give the same crimes, victims (with their repeat flag),
offers and transitions, field by field, and reject the same rows with the same messages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from config.errors import DomainError
from tests.victims.factories import csv_of, row
from victims import importer, services
from victims.importer import ImportResult, crime_rows, crimes_import
from victims.models import Crime, CrimeCategory, Victim, VisitOffer, VisitTransition

pytestmark = pytest.mark.django_db
COLUMN = {"reported": 12, "occurred": 13, "name": 14, "phone": 15, "email": 16, "contact": 17,
          "reason": 19, "address": 21, "postcode": 22, "lng": 4, "lat": 5}  # fmt: skip


def crime_row(ward, ref, **changes):
    cells = row(ward, ref=ref)
    for name, value in changes.items():
        cells[COLUMN[name]] = value
    return cells


def one_crime_at_a_time(text, by):
    result = ImportResult()
    categories = {c.name.lower(): c for c in CrimeCategory.objects.all()}
    groups = importer._groups(crime_rows(text), categories, result)
    for line, fields, victims in groups.values():
        try:
            with transaction.atomic():
                services.crime_create(**fields, victims=victims, by=by)
        except (DomainError, PermissionDenied) as exc:
            result.rejected.append((line, getattr(exc, "message", str(exc))))
    return sorted(result.rejected)


def records():
    return (
        list(Crime.objects.order_by("reference").values_list(
            "reference", "category_id", "occurred_at", "reported_at", "borough_id", "ward_id",
            "location", "lat", "lng", "routed_to", "created_by_id")),
        list(Victim.objects.order_by("crime__reference", "name").values_list(
            "crime__reference", "name", "phone", "email", "preferred_contact", "preferred_times",
            "enhanced_rights", "enhanced_reason", "consents_to_referral", "address", "postcode",
            "is_repeat")),
        list(VisitOffer.objects.order_by("victim__crime__reference", "victim__name").values_list(
            "victim__crime__reference", "victim__name", "status", "due_date")),
        sorted(VisitTransition.objects.values_list(
            "offer__victim__crime__reference", "offer__victim__name", "to_status", "by_id",
            "reason")),
    )  # fmt: skip


def both_ways(text, by):
    answers = []
    for run in (lambda: sorted(crimes_import(text=text, by=by, valid_only=True).rejected),
                lambda: one_crime_at_a_time(text, by)):  # fmt: skip
        with transaction.atomic():
            answers.append((run(), records()))
            transaction.set_rollback(True)
    return answers


def test_the_batch_and_the_one_crime_service_agree(staff_a, ward_a, ward_b):
    earlier = crime_row(ward_a, "CR-OLD", name="Someone Else", phone="07700 900999",
                        address="9 Elsewhere Road", postcode="NW1 1AA")  # fmt: skip
    crimes_import(text=csv_of(earlier, crime_row(ward_a, "CR-TAKEN")), by=staff_a)
    soon = (timezone.localtime() + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    text = csv_of(
        crime_row(ward_a, "CR-1"),
        crime_row(ward_a, "CR-1", name="Second Victim", reason="vulnerable", phone="07700 1"),
        crime_row(ward_a, "CR-2", name="IDA IMPORT"),  # the same person as CR-1's: a repeat
        crime_row(ward_a, "CR-3", name="New Person", phone="07700 2", address="9 ELSEWHERE ROAD",
                  postcode="nw1 1aa"),  # the address of CR-OLD's victim: a repeat
        crime_row(ward_a, "CR-4", name="Nobody Alike", phone="07700 3", address="", postcode=""),
        crime_row(ward_b, "CR-B"),  # another borough's ward
        crime_row(ward_a, "CR-5", lat="51.9"),  # in no ward
        crime_row(ward_a, "CR-6", lat="10.0"),  # not in London
        crime_row(ward_a, "CR-TAKEN"),  # a reference in use
        crime_row(ward_a, "CR-7", contact="email"),  # prefers email but gives none
        crime_row(ward_a, "CR-8", reported=soon),  # reported in the future
        crime_row(ward_a, "CR-9", occurred="2026-03-03T10:00"),  # occurred after its report
        crime_row(ward_a, "CR-10", name=""),  # no victim's name
        crime_row(ward_a, "", name="ASB"),  # no Crime ID
        crime_row(ward_a, "CR-11", reported="9999-12-31T10:00"),
        crime_row(ward_a, "CR-12", name="Peggy Old", phone="", email="PEGGY@example.org",
                  contact="email"),
    )  # fmt: skip
    (batch_rejected, batch_records), (one_rejected, one_records) = both_ways(text, staff_a)
    assert batch_rejected == one_rejected
    assert batch_records == one_records
    crimes, victims, offers, transitions = batch_records
    assert len(crimes) == 2 + 5 and len(victims) == len(offers) == len(transitions) == 2 + 6
    repeats = {(ref, name) for ref, name, *_rest, repeat in victims if repeat}
    assert ("CR-2", "IDA IMPORT") in repeats and ("CR-3", "New Person") in repeats
    assert ("CR-4", "Nobody Alike") not in repeats
    assert len(batch_rejected) == 10


def test_all_or_nothing_keeps_its_meaning_in_batch(staff_a, ward_a, ward_b):
    result = crimes_import(text=csv_of(crime_row(ward_a, "CR-1"), crime_row(ward_b, "CR-B")),
                           by=staff_a)  # fmt: skip
    assert (result.imported, result.committed, len(result.rejected)) == (0, False, 1)
    assert not Crime.objects.exists() and not Victim.objects.exists()


def test_the_batch_runs_a_fixed_number_of_queries(staff_a, ward_a, django_assert_num_queries):
    def text(count, start):
        return csv_of(*(crime_row(ward_a, f"CR-{start + i}") for i in range(count)))

    crimes_import(text=text(1, 0), by=staff_a)  # the user's boroughs cached, as in a worker
    with django_assert_num_queries(16) as few:  # with a nextval and a COPY for each table
        crimes_import(text=text(3, 100), by=staff_a)
    with django_assert_num_queries(len(few)):
        crimes_import(text=text(30, 200), by=staff_a)
    assert Crime.objects.count() == 34


def test_the_tables_written_by_copy_are_said_changed_once_committed(
    staff_a, ward_a, django_capture_on_commit_callbacks
):
    """COPY is not an execute config.datacache sees: the batch bumps the four tables itself,
    after the commit (a cached page read before it must not be kept as current)."""
    from config import datacache

    tables = ["victims_crime", "victims_victim", "victims_visitoffer", "victims_visittransition"]
    before = datacache.versions(tables)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        crimes_import(text=csv_of(crime_row(ward_a, "CR-900")), by=staff_a)
    assert datacache.versions(tables) == before  # not yet: nothing is committed
    for callback in callbacks:
        callback()
    after = datacache.versions(tables)
    assert all(after[t] != before[t] for t in tables)
    assert Crime.objects.get(reference="CR-900").victims.get().offer.transitions.count() == 1
