"""Demo demand data, through the same imports a real user runs:

- the real data.police.uk burglary months (demand/data/) with the generated other categories of
  the same months, one whole-Met month per import (the burglary rows are the real ones);
- the real 2019-01 burglary file on its own (LSOA 2011 codes);
- a year of CAD calls up to yesterday, one import per month, at the London volume the generator
  documents (demand/generator.py).

Idempotent: a month that already holds data is left alone, so running it again imports nothing.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field

from django.db.models import Count

from config.timeutils import add_months, today
from demand import cad, generator, importing, police_uk
from demand.models import CadWardMonth, DataImport, DataMonth
from demand.reference import DATA_DIR, load_reference, reference_loaded
from wards.models import Ward

CAD_MONTHS = 12


@dataclass
class DemandSeedReport:
    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, record: DataImport, label: str) -> None:
        self.lines.append(
            f"  {label}: {record.imported:,} imported, {record.outside:,} outside the Met, "
            f"{record.unlocated:,} without a location, {record.rejected:,} rejected "
            f"({record.seconds:.1f} s)"
        )


def crime_months(data_dir=DATA_DIR) -> list[datetime.date]:
    """The months of the real burglary files from LSOA 2021 on: the demo's year of crime."""
    months = []
    for path in sorted(data_dir.glob("policeuk_*-metropolitan-street_burglary.csv.gz")):
        month = datetime.date(int(path.name[9:13]), int(path.name[14:16]), 1)
        if month >= generator.LSOA_2021_FROM:
            months.append(month)
    return months


def seed_demand_demo(*, cad_months: int = CAD_MONTHS, on=None, out=None) -> DemandSeedReport:
    began = time.monotonic()
    report = DemandSeedReport()
    say = out or (lambda line: None)
    if not reference_loaded():
        load_reference()
    full = set(
        DataMonth.objects.values("month")
        .annotate(n=Count("category"))
        .filter(n__gt=1)
        .values_list("month", flat=True)
    )
    for month in crime_months():
        if month in full:
            continue
        say(f"  police.uk {month:%Y-%m}: generating the other categories beside the real burglary")
        raw = generator.crime_month_csv(month)
        report.add(
            _import_crime(raw, f"demo_{month:%Y-%m}-metropolitan-street.csv.gz"), f"{month:%Y-%m}"
        )
    _real_2019(report)
    _cad_year(report, cad_months, on or today(), say)
    report.seconds = time.monotonic() - began
    return report


def _import_crime(raw: bytes, name: str) -> DataImport:
    record = importing.create_record(
        kind=DataImport.Kind.POLICE_UK, file_name=name, raw=raw, source="demo", payload=False
    )
    return police_uk.import_file(record, raw)


def _real_2019(report) -> None:
    month = datetime.date(2019, 1, 1)
    path = generator.real_burglary_file(month)
    if path is None or DataMonth.objects.filter(month=month).exists():
        return
    report.add(_import_crime(path.read_bytes(), path.name), "2019-01 (real burglary only)")


def _cad_year(report, months: int, on: datetime.date, say) -> None:
    """One import per month, the last being this month up to yesterday."""
    wards = list(Ward.objects.values_list("code", "population__residents"))
    have = set(CadWardMonth.objects.values_list("month", flat=True).distinct())
    this_month = on.replace(day=1)
    for n in range(months - 1, -1, -1):
        first = add_months(this_month, -n)
        if first in have:
            continue
        last = min(add_months(first, 1), on) - datetime.timedelta(days=1)
        if last < first:
            continue
        say(f"  CAD {first:%Y-%m}: generating calls")
        raw = generator.cad_csv(first, (last - first).days + 1, wards)
        record = importing.create_record(
            kind=DataImport.Kind.CAD,
            file_name=f"demo_cad_{first:%Y-%m}.csv",
            raw=raw,
            source="demo",
            payload=False,
        )
        cad.import_file(record, raw)
        report.add(record, f"CAD {first:%Y-%m}")
