"""The Met-wide roll-up: per borough, per BCU and for London, the sums of the boroughs' own
stored reports (reports.services picks one version of each and records which). Every figure is
a sum of whole minutes, days or counts, so the roll-up equals the sum of its parts exactly; its
rates are worked out again from the summed minutes."""

import datetime
from collections import defaultdict

from django.conf import settings

from reports import flex_figures
from reports.measures import comparison, month_start, sum_rows, target_percent, trend_point

# The flex section's counts each borough row carries besides its minutes.
FLEX_COUNTS = flex_figures.COUNTS


def rollup_figures(month: datetime.date, parts: list[dict], *, to_date: bool = False) -> dict:
    """`parts`: each borough's {"report": {id, version, to_date, computed_at}, "figures": the
    parts of its figures the roll-up reads}."""
    month = month_start(month)
    types = _types(parts)
    codes = [t["code"] for t in types]
    boroughs = sorted((_borough_row(p, codes) for p in parts), key=lambda r: r["borough"])
    bcus = defaultdict(list)
    for row in boroughs:
        bcus[(row["bcu_code"], row["bcu"])].append(row)
    bcu_rows = [
        {"bcu_code": code, "bcu": name, **_summed(rows, codes)}
        for (code, name), rows in sorted(bcus.items(), key=lambda kv: kv[0][1])
    ]
    total = _summed(boroughs, codes)
    trend = _sum_trends([p["figures"]["trend"] for p in parts])
    return {
        "kind": "rollup",
        "month": f"{month:%Y-%m}",
        "to_date": to_date or any(p["report"]["to_date"] for p in parts),
        "borough": None,
        "target": settings.SNT_ABSTRACTION_TARGET,
        "target_percent": target_percent(),
        "abstraction_types": types,
        "sources": sorted((p["report"] for p in parts), key=lambda s: s["borough"]),
        "boroughs": boroughs,
        "bcus": bcu_rows,
        "total": total,
        "by_type": [
            {
                "code": t["code"],
                "name": t["name"],
                "abstracted": total["abstracted_by_type"][t["code"]],
                "abstracted_in_duty": total["abstracted_in_duty_by_type"][t["code"]],
                "abstracted_outside_duty": total["abstracted_outside_duty_by_type"][t["code"]],
            }
            for t in types
        ],
        "trend": trend,
        "comparison": comparison(trend) if trend else {},
    }


def _types(parts) -> list[dict]:
    """Every abstraction type any borough's report names, in the order they name them."""
    seen = {}
    for p in parts:
        for t in p["figures"]["abstraction_types"]:
            seen.setdefault(t["code"], t)
    return list(seen.values())


def _borough_row(part, codes) -> dict:
    fig = part["figures"]
    flex = fig["flex"]
    total = sum_rows([fig["total"]], codes)  # the borough's total, with every type's key
    return {
        "borough_code": fig["borough"]["code"],
        "borough": fig["borough"]["name"],
        "bcu": fig["borough"]["bcu"]["name"],
        "bcu_code": fig["borough"]["bcu"]["code"],
        "report_id": part["report"]["id"],
        "version": part["report"]["version"],
        "to_date": part["report"]["to_date"],
        **total,
        **flex_figures.counts(flex),
    }


def _summed(rows, codes) -> dict:
    summed = sum_rows(rows, codes)
    for key in FLEX_COUNTS:
        summed[key] = sum(r[key] for r in rows)
    return summed


def _sum_trends(trends) -> list[dict]:
    if not trends:
        return []
    out = []
    for i, first in enumerate(trends[0]):
        minutes = defaultdict(int)
        for trend in trends:
            for key, value in trend[i].items():
                if key.endswith("_minutes"):
                    minutes[key] += value
        out.append(trend_point(datetime.date.fromisoformat(first["month"] + "-01"), minutes))
    return out
