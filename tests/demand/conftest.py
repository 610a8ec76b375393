"""Demand fixtures: London's real geography and LSOA lookups (for imports of real files), and
small hand-built files in data.police.uk's and the CAD format."""

import csv
import io

import pytest

from demand import importing
from demand.models import DataImport
from demand.reference import load_reference
from wards.london import load_london

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
MET = "Metropolitan Police Service"
HIGHGATE_LSOA = "E01000913"  # Camden 001E: Highgate ward (E05013661) in both vintages


@pytest.fixture
def london(db):
    """The 32 boroughs' 679 wards and the LSOA lookups of both vintages (no IMD: quicker)."""
    load_london()
    load_reference(imd=False)


def crime_row(
    crime_id="abc",
    month="2024-03",
    falls_within=MET,
    lng="-0.15",
    lat="51.55",
    location="On or near Haverstock Hill",
    lsoa=HIGHGATE_LSOA,
    lsoa_name="Camden",
    crime_type="Burglary",
    outcome="Under investigation",
    context="",
):
    return [
        crime_id,
        month,
        MET,
        falls_within,
        lng,
        lat,
        location,
        lsoa,
        lsoa_name,
        crime_type,
        outcome,
        context,
    ]


def crime_file(rows, *, header=HEADER) -> bytes:
    out = io.StringIO()
    out.write(header + "\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue().encode()


def run_police_uk(raw, **kwargs) -> DataImport:
    from demand import police_uk

    record = importing.create_record(
        kind=DataImport.Kind.POLICE_UK,
        file_name="test.csv",
        raw=raw,
        source="command",
        payload=False,
    )
    return police_uk.import_file(record, raw, **kwargs)


def run_cad(raw, by=None, **kwargs) -> DataImport:
    from demand import cad

    record = importing.create_record(
        kind=DataImport.Kind.CAD,
        file_name="cad.csv",
        raw=raw,
        by=by,
        source="command",
        payload=False,
    )
    return cad.import_file(record, raw, by=by, **kwargs)
