"""The report as CSV: one row per ward team and abstraction type, in the shape of the London
Datastore's "Dedicated Ward Officer Abstractions" data set (Month, BCU, Borough, Borough Code,
Team, Abstracted from Duty, Abstraction Type, Abstracted Minutes), plus the ward's flex figures.
The roll-up has one row per borough and abstraction type."""

import csv
import io

DATASTORE_COLUMNS = [
    "Month", "BCU", "Borough", "Borough Code", "Team", "Abstracted from Duty",
    "Abstraction Type", "Abstracted Minutes",
]
FLEX_COLUMNS = [
    "Ward Code", "Ward Rostered Minutes", "Ward Abstraction Rate", "Ward Flexed Out Minutes",
    "Ward Flexed In Minutes", "Ward Unauthorised Flex Minutes", "Ward Days Below Minimum Cover",
]
COLUMNS = DATASTORE_COLUMNS + FLEX_COLUMNS
# What the officers were taken from: their dedicated neighbourhood duty.
ABSTRACTED_FROM = "Safer Neighbourhoods"


def minutes(hours) -> int:
    return round((hours or 0) * 60)


def csv_rows(report) -> list[list]:
    figures = report.figures
    types = figures["abstraction_types"]
    month = figures["month"]
    if figures["kind"] == "rollup":
        return [
            [month, b["bcu"], b["borough"], b["borough_code"], "All teams", ABSTRACTED_FROM,
             t["name"], minutes(b["abstracted_by_type"].get(t["code"]))]
            + ["", minutes(b["rostered_hours"]), b["abstraction_rate"],
               minutes(b["flexed_out_hours"]), minutes(b["flexed_in_hours"]),
               minutes(b["unauthorised_flex_hours"]), b["cover_gap_days"]]
            for b in figures["boroughs"]
            for t in types
        ]
    borough = figures["borough"]
    return [
        [month, borough["bcu"]["name"], borough["name"], borough["code"], w["team"],
         ABSTRACTED_FROM, t["name"], minutes(w["abstracted_by_type"].get(t["code"]))]
        + [w["ward_code"], minutes(w["rostered_hours"]), w["abstraction_rate"],
           minutes(w["flexed_out_hours"]), minutes(w["flexed_in_hours"]),
           minutes(w["unauthorised_flex_hours"]), w["cover_gap_days"]]
        for w in figures["wards"]
        for t in types
    ]


def csv_text(report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(csv_rows(report))
    return out.getvalue()


def filename(report, ext: str) -> str:
    scope = report.figures["borough"]["code"] if report.borough_id else "met"
    return f"snt-abstraction-report-{scope}-{report.month:%Y-%m}-v{report.version}.{ext}"
