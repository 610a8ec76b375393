"""The Met-wide roll-up: the same totals per BCU and per borough, and for London, built from the
boroughs' own figures (each borough's newest ready report, reports.services)."""

import datetime
from collections import defaultdict

from django.conf import settings

from reports.measures import comparison, month_start, rate, sum_rows


def rollup_figures(month: datetime.date, borough_figures_list: list[dict]) -> dict:
    """The same totals per BCU and per borough, and for London, from the boroughs' figures."""
    month = month_start(month)
    types = borough_figures_list[0]["abstraction_types"] if borough_figures_list else []
    boroughs = []
    bcus = defaultdict(list)
    for fig in sorted(borough_figures_list, key=lambda f: f["borough"]["name"]):
        row = {
            "borough_code": fig["borough"]["code"],
            "borough": fig["borough"]["name"],
            "bcu": fig["borough"]["bcu"]["name"],
            "bcu_code": fig["borough"]["bcu"]["code"],
            **fig["total"],
            "authorised_flex_requests": fig["flex"]["authorised"]["requests"],
            "authorised_flex_officer_hours": fig["flex"]["authorised"]["officer_hours"],
            "overdue_reviews": len(fig["flex"]["overdue_reviews"]),
            "refused_requests": len(fig["flex"]["refused"]),
        }
        boroughs.append(row)
        bcus[(row["bcu_code"], row["bcu"])].append(row)
    bcu_rows = []
    for (code, name), rows in sorted(bcus.items(), key=lambda kv: kv[0][1]):
        summed = sum_rows(rows, types)
        summed["cover_gap_days"] = sum(r["cover_gap_days"] for r in rows)
        bcu_rows.append({"bcu_code": code, "bcu": name, **summed})
    total = sum_rows(boroughs, types)
    total["cover_gap_days"] = sum(r["cover_gap_days"] for r in boroughs)
    trend = _sum_trends([f["trend"] for f in borough_figures_list])
    return {
        "kind": "rollup",
        "month": f"{month:%Y-%m}",
        "borough": None,
        "target": settings.SNT_ABSTRACTION_TARGET,
        "abstraction_types": types,
        "boroughs": boroughs,
        "bcus": bcu_rows,
        "total": total,
        "by_type": [
            {
                "code": t["code"],
                "name": t["name"],
                "hours": total["abstracted_by_type"].get(t["code"], 0),
            }
            for t in types
        ],
        "trend": trend,
        "comparison": comparison(trend) if trend else {},
    }


def _sum_trends(trends) -> list[dict]:
    if not trends:
        return []
    out = []
    for i, first in enumerate(trends[0]):
        summed = {
            k: round(sum(t[i][k] for t in trends), 2)
            for k in ("rostered_hours", "abstracted_hours", "flexed_hours",
                      "unauthorised_flex_hours")
        }
        summed["abstraction_rate"] = rate(summed["abstracted_hours"], summed["rostered_hours"])
        out.append({"month": first["month"], **summed})
    return out
