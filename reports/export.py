"""The report as CSV files, in whole minutes (the page and the PDF show the same minutes as
hours:minutes). Each column's meaning is in DATASTORE_COLUMNS and WARD_COLUMNS, which the report
page and the README print.

- The Datastore-shaped file follows the London Datastore's "Dedicated Ward Officer Abstractions"
  data set: one row per team, abstraction type and what the officer was abstracted from, with
  the abstracted minutes (an integer) and the ward's code and name. The roll-up's has one row
  per borough, type and "abstracted from".
- The wards file has one row per ward (per borough for the roll-up) with its flex and cover
  figures. No total rows: a total is the sum of a column."""

import csv
import io

from django.utils.dateparse import parse_datetime

from config.listing import neutralise
from config.timeutils import LONDON
from reports.performance.figures import SECTION_COLUMNS, section_rows

# What the officer was abstracted from: a recorded duty, or none (minutes outside any duty).
FROM_DUTY = "Recorded duty"
FROM_NO_DUTY = "No recorded duty"
NO_WARD_TEAM = "Not posted to a ward"

DATASTORE_COLUMNS = {
    "Month": "The month reported on, YYYY-MM.",
    "BCU": "The Basic Command Unit of the borough.",
    "Borough": "The borough's name.",
    "Borough Code": "The borough's ONS code.",
    "Team": "The ward's neighbourhood team (\"All teams\" in the roll-up; \"Not posted to a "
            "ward\" for abstractions of officers posted to no ward of the borough).",
    "Abstracted from Duty": f"\"{FROM_DUTY}\": minutes inside a recorded duty of the officer "
                            f"(they count in the abstraction rate); \"{FROM_NO_DUTY}\": minutes "
                            "outside any recorded duty (flagged on the report).",
    "Abstraction Type": "Why the officers were taken away (local aid, central aid, court...).",
    "Abstracted Minutes": "Whole minutes of the abstractions themselves, clipped to the month.",
    "Ward Code": "The ward's ONS code (empty in the roll-up and for officers posted to no ward).",
    "Ward": "The ward's name.",
    "Period": "\"whole month\", or \"to date\" with the moment the figures stop at.",
}
WARD_COLUMNS = {
    "Month": "The month reported on, YYYY-MM.",
    "Borough Code": "The borough's ONS code.",
    "Ward Code": "The ward's ONS code (empty in the roll-up, whose rows are boroughs).",
    "Ward": "The ward's name (the borough's in the roll-up).",
    "Team": "The ward's neighbourhood team.",
    "Duties": "Duties of officers whose home ward it is, counted in the month.",
    "Rostered Minutes": "Duty minutes: home ward + flexed out + abstracted in duty.",
    "Home Ward Minutes": "Duty minutes in the home ward, not inside an abstraction.",
    "Abstracted In Duty Minutes": "Abstracted minutes inside recorded duties.",
    "Abstracted Outside Duty Minutes": "Abstracted minutes outside any recorded duty.",
    "Abstraction Rate (%)": "Abstracted in duty / rostered, a percentage rounded once to 0.01.",
    "Flexed Out Minutes": "Duty minutes worked in another ward: authorised + unauthorised.",
    "Authorised Flex Minutes": "Flexed minutes inside an authorised flex's windows.",
    "Unauthorised Flex Minutes": "Every other flexed minute.",
    "Flexed In Minutes": "Minutes other wards' officers were flexed into this ward.",
    "Posted Strength Below Minimum (days)": "Days its posted strength was below minimum.",
    "Cover Below Minimum (days)": "Days its cover was below minimum.",
    "Period": "\"whole month\", or \"to date\" with the moment the figures stop at.",
}

WARD_FIELDS = (
    "duties", "rostered_minutes", "home_ward_minutes", "abstracted_in_duty_minutes",
    "abstracted_outside_duty_minutes", "abstraction_rate", "flexed_out_minutes",
    "authorised_flex_minutes", "unauthorised_flex_minutes", "flexed_in_minutes",
    "posted_strength_below_minimum_days", "cover_below_minimum_days",
)


def period(figures) -> str:
    if not figures.get("to_date"):
        return "whole month"
    as_at = parse_datetime(figures["as_at"]) if figures.get("as_at") else None
    return f"to date, as at {as_at.astimezone(LONDON):%Y-%m-%d %H:%M}" if as_at else "to date"


def _by_from(row, code) -> list[tuple[str, int]]:
    return [
        (FROM_DUTY, row["abstracted_in_duty_by_type"].get(code, 0)),
        (FROM_NO_DUTY, row["abstracted_outside_duty_by_type"].get(code, 0)),
    ]


def datastore_rows(figures) -> list[list]:
    types = figures["abstraction_types"]
    month, when = figures["month"], period(figures)
    if figures["kind"] == "rollup":
        return [
            [month, b["bcu"], b["borough"], b["borough_code"], "All teams", source, t["name"],
             minutes, "", "", when]
            for b in figures["boroughs"] for t in types
            for source, minutes in _by_from(b, t["code"])
        ]
    borough = figures["borough"]
    places = [(w["team"], w["ward_code"], w["ward"], w) for w in figures["wards"]]
    no_ward = figures["no_ward"]
    if no_ward["abstracted_minutes"]:
        places.append((NO_WARD_TEAM, "", "", no_ward))
    return [
        [month, borough["bcu"]["name"], borough["name"], borough["code"], team, source,
         t["name"], minutes, code, name, when]
        for team, code, name, row in places for t in types
        for source, minutes in _by_from(row, t["code"])
    ]


def ward_rows(figures) -> list[list]:
    month, when = figures["month"], period(figures)
    if figures["kind"] == "rollup":
        return [
            [month, b["borough_code"], "", b["borough"], "All teams",
             *(b[f] for f in WARD_FIELDS), when]
            for b in figures["boroughs"]
        ]
    code = figures["borough"]["code"]
    return [
        [month, code, w["ward_code"], w["ward"], w["team"], *(w[f] for f in WARD_FIELDS), when]
        for w in figures["wards"]
    ]


def _text(columns, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([neutralise(v) for v in row] for row in rows)
    return out.getvalue()


def csv_text(report) -> str:
    """The Datastore-shaped file."""
    return _text(DATASTORE_COLUMNS, datastore_rows(report.figures))


def wards_csv_text(report) -> str:
    """The wards file: flex and cover, one row per ward."""
    return _text(WARD_COLUMNS, ward_rows(report.figures))


def filename(report, ext: str, part: str = "") -> str:
    scope = report.figures["borough"]["code"] if report.borough_id else "met"
    to_date = "-to-date" if report.is_partial else ""
    name = f"snt-abstraction-report-{scope}-{report.month:%Y-%m}-v{report.version}"
    return f"{name}{part}{to_date}.{ext}"


def performance_csv_text(report, results) -> str:
    """The report's performance section: one row per measure."""
    return _text(SECTION_COLUMNS, section_rows(results))
