"""A hand-built March 2026 for the performance framework: Camden (borough_a) with two wards,
Haverstock (ward_a) and Kentish Town (ward_k), and Islington (borough_a2) beside it in the same
BCU. Every expected figure is worked out by hand in the tests, as a literal."""

import datetime
import itertools

from django.utils import timezone

from demand.models import (
    Category,
    DataImport,
    DataMonth,
    ReductionTarget,
    WardMonthCount,
    WardMonthTotal,
)
from reports.models import MonthlyReport
from tests import factories as f
from tests.reports.conftest import at
from tests.victims.conftest import offer_of, record_crime
from victims.models import OfferStatus, VisitOffer

MARCH, FEB = datetime.date(2026, 3, 1), datetime.date(2026, 2, 1)
LAST_MARCH = datetime.date(2025, 3, 1)
_sha = itertools.count()


def publish(*months):
    """police.uk months as loaded (DataMonth), whatever the counts."""
    category = Category.objects.get(slug="burglary")
    for month in months:
        imp = DataImport.objects.create(
            kind=DataImport.Kind.POLICE_UK, file_name=f"{month:%Y-%m}.csv",
            sha256=f"{next(_sha):064d}", status=DataImport.Status.DONE,
        )
        DataMonth.objects.get_or_create(month=month, category=category,
                                        defaults={"rows": 1, "data_import": imp})


def totals(ward, month, crimes, asb):
    WardMonthTotal.objects.create(ward=ward, month=month, crimes=crimes, asb=asb)


def burglaries(ward, month, n):
    WardMonthCount.objects.create(ward=ward, month=month, count=n, location_kind="other",
                                  category=Category.objects.get(slug="burglary"))


def mopac_target():
    """The only active target: burglary down 20% on the 12 months from January 2024."""
    ReductionTarget.objects.update(active=False)
    target = ReductionTarget.objects.create(
        name="Burglary down 20%", baseline_from=datetime.date(2024, 1, 1), reduction_percent=20,
        target_month=datetime.date(2026, 12, 1), active=True,
    )
    target.categories.set(Category.objects.filter(slug="burglary"))
    return target


def scored(staff, ward, score, recorded_at):
    offer = offer_of(record_crime(staff, ward=ward))
    VisitOffer.objects.filter(pk=offer.pk).update(
        status=OfferStatus.COMPLETED, completed_at=recorded_at, satisfaction=score,
        satisfaction_recorded_at=recorded_at,
    )


def ward_row(ward, rostered, abstracted, cover_days):
    return {"ward_code": ward.code, "ward": ward.name, "rostered_minutes": rostered,
            "abstracted_in_duty_minutes": abstracted, "cover_below_minimum_days": cover_days}


def stored_report(borough, month, wards, promises, *, version=1, days=31,
                  status=MonthlyReport.Status.READY, to_date=False):
    """A ready report whose figures hold only what the framework reads."""
    total = {k: sum(w[k] for w in wards) for k in (
        "rostered_minutes", "abstracted_in_duty_minutes", "cover_below_minimum_days")}
    figures = {"kind": "borough", "to_date": to_date, "total": total, "wards": wards,
               "cover": {"days_counted": days}, "promises": promises}
    return MonthlyReport.objects.create(
        borough=borough, month=month, version=version, status=status,
        figures=figures if status == MonthlyReport.Status.READY else None,
        computed_at=timezone.now() if status == MonthlyReport.Status.READY else None,
    )


def build_march(staff, borough, ward_a, ward_k):
    """The month the tests read (see tests/reports/test_performance.py for the sums)."""
    publish(MARCH, LAST_MARCH, datetime.date(2024, 3, 1))
    totals(ward_a, MARCH, 110, 20)
    totals(ward_a, LAST_MARCH, 100, 25)
    totals(ward_k, MARCH, 40, 5)
    totals(ward_k, LAST_MARCH, 50, 5)
    mopac_target()
    burglaries(ward_a, MARCH, 9)
    burglaries(ward_a, datetime.date(2024, 3, 1), 10)
    burglaries(ward_k, MARCH, 7)
    burglaries(ward_k, datetime.date(2024, 3, 1), 10)
    # Scores recorded in March (London time): 5 and 4 satisfied, 2 not. 00:30 BST on 1 April
    # is 23:30 GMT on 31 March: April's, not March's.
    scored(staff, ward_a, 5, at(2026, 3, 1, 0, 10))
    scored(staff, ward_a, 4, at(2026, 3, 31, 22, 0))
    scored(staff, ward_a, 2, at(2026, 3, 15, 12, 0))
    scored(staff, ward_a, 5, at(2026, 4, 1, 0, 30))
    scored(staff, ward_k, 5, at(2026, 3, 10, 9, 0))
    wards = [ward_row(ward_a, 6000, 200, 0), ward_row(ward_k, 4000, 400, 3)]
    promises = [{"ward_code": ward_a.code, "ward": ward_a.name, "met": ["a", "b", "c"],
                 "missed": ["d"], "never_visited": []},
                {"ward_code": ward_k.code, "ward": ward_k.name, "met": ["e"], "missed": [],
                 "never_visited": []}]
    # An older version says otherwise, and a newer one failed: the latest ready one counts.
    stored_report(borough, MARCH, [ward_row(ward_a, 1, 1, 9), ward_row(ward_k, 1, 1, 9)], [],
                  version=1)
    stored_report(borough, MARCH, wards, promises, version=2)
    stored_report(borough, MARCH, [], [], version=3, status=MonthlyReport.Status.FAILED)


def ward_k_of(borough):
    return f.WardFactory(code="E05013661", name="Kentish Town", borough=borough)
