"""Arithmetic every report figure shares: months as London instants, seconds to hours, rates,
sums of rows already in hours, and the comparison with earlier months. Figures are kept in
seconds until they are shown; these round only for the stored report."""

import datetime

from django.conf import settings

from config.timeutils import day_bounds, month_bounds


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_instants(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[London midnight on the 1st, London midnight on the 1st of the next month)."""
    return day_bounds(*month_bounds(month.year, month.month))


def hours(seconds) -> float:
    return round(float(seconds or 0) / 3600, 2)


def rate(part, whole) -> float | None:
    return round(part / whole, 4) if whole else None


HOUR_FIELDS = (
    "rostered_hours",
    "home_ward_hours",
    "abstracted_hours",
    "flexed_out_hours",
    "flexed_in_hours",
    "unauthorised_flex_hours",
)


def sum_rows(rows, types) -> dict:
    """Totals of rows already in hours (sums of rounded hours are exact to the second when every
    duty is a whole number of minutes, which rosters are)."""
    total = {f: round(sum(r[f] for r in rows), 2) for f in HOUR_FIELDS}
    total["duties"] = sum(r["duties"] for r in rows)
    total["abstracted_by_type"] = {
        t["code"]: round(sum(r["abstracted_by_type"].get(t["code"], 0) for r in rows), 2)
        for t in types
    }
    total["abstraction_rate"] = rate(total["abstracted_hours"], total["rostered_hours"])
    total["above_target"] = bool(
        total["rostered_hours"]
        and total["abstracted_hours"] / total["rostered_hours"] > settings.SNT_ABSTRACTION_TARGET
    )
    return total


def comparison(trend) -> dict:
    current, previous, year_before = trend[-1], trend[-2], trend[0]

    def change(then):
        # A month with no rostered duty has nothing to compare against (e.g. before go-live).
        out = {"month": then["month"], "has_data": then["rostered_hours"] > 0}
        for key in ("rostered_hours", "abstracted_hours", "flexed_hours",
                    "unauthorised_flex_hours"):
            out[key] = then[key]
            out[f"{key}_change"] = round(current[key] - then[key], 2)
        out["abstraction_rate"] = then["abstraction_rate"]
        out["abstraction_rate_change"] = (
            round(current["abstraction_rate"] - then["abstraction_rate"], 4)
            if current["abstraction_rate"] is not None and then["abstraction_rate"] is not None
            else None
        )
        return out

    return {"previous_month": change(previous), "year_before": change(year_before)}
