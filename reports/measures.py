"""Arithmetic every report figure shares. Figures are whole minutes (integers) from the database to
the stored report; they are rounded only to be shown, once, from the exact minutes:

- hours are shown as h:mm (`hm`): 28,439 minutes are "473:59", never a sum of rounded parts;
- a rate is a percentage rounded once, half up, from the exact fraction (`percent`): 10.950% is
  "10.95", and 10.949% is "10.95" too, never "10.9" from a rate rounded twice.

The stored report keeps the minutes; the percentage it stores is `percent`'s string, so the page,
the PDF, the CSV and the JSON show the same one."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings

from config.timeutils import day_bounds, month_bounds

RATE_PLACES = 2  # a rate is shown as a percentage to 0.01


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_instants(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[London midnight on the 1st, London midnight on the 1st of the next month)."""
    return day_bounds(*month_bounds(month.year, month.month))


# -- showing minutes and rates ------------------------------------------------------------------

def hm(minutes) -> str:
    """Whole minutes as hours and minutes: 90 → "1:30", -30 → "-0:30"."""
    minutes = int(minutes or 0)
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h}:{m:02d}"


def pct(value) -> str:
    """A stored rate ("10.95", already rounded once by `percent`) as every surface shows it:
    "10.95%"; no rate: "–"."""
    return "–" if value is None or value == "" else f"{value}%"


def signed_hm(minutes) -> str:
    """A change in minutes: "+1:30", "-0:30", "0:00"."""
    minutes = int(minutes or 0)
    return f"+{hm(minutes)}" if minutes > 0 else hm(minutes)


def percent(part: int, whole: int, places: int = RATE_PLACES) -> str | None:
    """part / whole as a percentage rounded once, half up, from the exact fraction: "10.95".
    None when `whole` is 0 (no rate)."""
    if not whole:
        return None
    exact = Fraction(int(part) * 100, int(whole))
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    # The division above is exact to 28 digits; quantize rounds that once.
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def percent_points(now: str | None, then: str | None) -> str | None:
    """The change between two shown percentages, in points: exact, as both are already rounded
    to RATE_PLACES ("+1.25")."""
    if now is None or then is None:
        return None
    change = Decimal(now) - Decimal(then)
    return f"{change:+.{RATE_PLACES}f}"


def above_target(part: int, whole: int) -> bool:
    """The exact rate, not a rounded one, against the target."""
    return bool(whole) and Fraction(int(part), int(whole)) > Fraction(
        str(settings.SNT_ABSTRACTION_TARGET)
    )


def target_percent() -> str:
    return percent(Fraction(str(settings.SNT_ABSTRACTION_TARGET)).numerator,
                   Fraction(str(settings.SNT_ABSTRACTION_TARGET)).denominator)


# -- rows of minutes ----------------------------------------------------------------------------

# Every row of areas (ward, team, borough, BCU, London) carries these, in whole minutes or days.
MINUTE_FIELDS = (
    "rostered_minutes",
    "home_ward_minutes",
    "flexed_out_minutes",
    "authorised_flex_minutes",
    "unauthorised_flex_minutes",
    "flexed_in_minutes",
    "abstracted_minutes",
    "abstracted_in_duty_minutes",
    "abstracted_outside_duty_minutes",
)
COUNT_FIELDS = ("duties", "posted_strength_below_minimum_days", "cover_below_minimum_days")
BY_TYPE_FIELDS = (
    "abstracted_by_type",
    "abstracted_in_duty_by_type",
    "abstracted_outside_duty_by_type",
)


def blank_row(type_codes) -> dict:
    row = dict.fromkeys(MINUTE_FIELDS + COUNT_FIELDS, 0)
    for field in BY_TYPE_FIELDS:
        row[field] = dict.fromkeys(type_codes, 0)
    return row


def abstraction_parts(rows) -> tuple[int, int]:
    """(minutes abstracted inside duties, duty minutes) of `rows` summed: the abstraction rate's
    two parts (reports.definitions), for an area's row, a trend point or the performance
    framework's BCU and London, so the rate is the same fraction everywhere."""
    rows = list(rows)
    return (sum(r["abstracted_in_duty_minutes"] for r in rows),
            sum(r["rostered_minutes"] for r in rows))


def with_rate(row: dict) -> dict:
    """The row with its abstraction rate (minutes abstracted inside duties / duty minutes) and
    whether it is above the target."""
    part, whole = abstraction_parts([row])
    row["abstraction_rate"] = percent(part, whole)
    row["above_target"] = above_target(part, whole)
    return row


def sum_rows(rows, type_codes) -> dict:
    """The sum of rows, field by field, in minutes (exact), with its own rate."""
    total = blank_row(type_codes)
    for row in rows:
        for field in MINUTE_FIELDS + COUNT_FIELDS:
            total[field] += row[field]
        for field in BY_TYPE_FIELDS:
            for code in type_codes:
                total[field][code] += row[field].get(code, 0)
    return with_rate(total)


def comparison(trend) -> dict:
    """This month against the month before and the same month a year before: changes in minutes
    and in percentage points."""
    current, previous, year_before = trend[-1], trend[-2], trend[0]

    def change(then):
        # A month with no rostered duty has nothing to compare against (e.g. before go-live).
        out = {"month": then["month"], "has_data": then["rostered_minutes"] > 0}
        for key in TREND_FIELDS:
            out[key] = then[key]
            out[f"{key}_change"] = current[key] - then[key]
        out["abstraction_rate"] = then["abstraction_rate"]
        out["abstraction_rate_change"] = percent_points(
            current["abstraction_rate"], then["abstraction_rate"]
        )
        return out

    return {"previous_month": change(previous), "year_before": change(year_before)}


TREND_FIELDS = (
    "rostered_minutes",
    "abstracted_in_duty_minutes",
    "flexed_out_minutes",
    "unauthorised_flex_minutes",
)


def trend_point(month: datetime.date, minutes: dict) -> dict:
    point = {"month": f"{month:%Y-%m}", **{k: minutes.get(k, 0) for k in TREND_FIELDS}}
    point["abstraction_rate"] = percent(*abstraction_parts([point]))
    return point
