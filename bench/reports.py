"""The report part of `make bench`: all 32 borough reports and the Met-wide roll-up for the
last whole month of the London-scale data, against hand-written SQL over the same rows, side by
side (bench/same_figures.sql and one duty-hours aggregate). It checks that, for every borough,
the reports and the statement agree, and fails if they differ.

Run by bench/run.py on the bench database (Django set up by it)."""

import datetime
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def report_month() -> datetime.date:
    """The last whole month: the bench data holds a year before the current month."""
    from django.utils import timezone

    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


HAND_SQL = """
SELECT w.borough_id, d.home_ward_id, d.kind, a.abstraction_type_id,
       d.flex_request_id IS NULL, COUNT(*),
       SUM(EXTRACT(EPOCH FROM LEAST(d.ends_at, %(end)s))
           - EXTRACT(EPOCH FROM GREATEST(d.starts_at, %(start)s)))
FROM deployment_duty d
JOIN wards_ward w ON w.id = d.home_ward_id
LEFT JOIN deployment_abstraction a ON a.id = d.abstraction_id
WHERE d.starts_at < %(end)s AND d.ends_at > %(start)s
GROUP BY 1, 2, 3, 4, 5
"""


def time_reports():
    from reports import services
    from reports.models import MonthlyReport
    from wards.models import Borough

    MonthlyReport.objects.filter(month=report_month()).delete()
    started = time.perf_counter()
    per_borough = []
    for borough in Borough.objects.select_related("bcu").order_by("name"):
        t0 = time.perf_counter()
        report, _ = services.report_request(borough=borough, month=report_month())
        services.report_produce(report.pk)
        per_borough.append((borough.name, time.perf_counter() - t0))
    t0 = time.perf_counter()
    rollup, _ = services.report_request(borough=None, month=report_month())
    rollup = services.report_produce(rollup.pk)
    rollup_seconds = time.perf_counter() - t0
    total = time.perf_counter() - started
    return total, per_borough, rollup_seconds, rollup.figures


def _setup_worker():
    import django

    django.setup()


def _produce(borough_id):
    from reports import services
    from wards.models import Borough

    borough = Borough.objects.get(pk=borough_id)
    report, _ = services.report_request(borough=borough, month=report_month())
    services.report_produce(report.pk)
    return borough_id


def time_reports_in_workers(workers=2):
    """As the Celery workers do it: the boroughs spread over `workers` processes (one per core),
    then the roll-up."""
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connection

    from reports import services
    from reports.models import MonthlyReport
    from wards.models import Borough

    MonthlyReport.objects.filter(month=report_month()).delete()
    ids = list(Borough.objects.values_list("pk", flat=True))
    connection.close()
    with ProcessPoolExecutor(workers, initializer=_setup_worker) as pool:
        pool.submit(_setup_worker).result()  # start the processes before the clock
        started = time.perf_counter()
        list(pool.map(_produce, ids))
    rollup, _ = services.report_request(borough=None, month=report_month())
    services.report_produce(rollup.pk)
    return time.perf_counter() - started


def _timed_sql(sql, params):
    """One statement, timed to its last row. JIT is off for it: on this statement PostgreSQL's
    JIT only adds compile time (about 80 ms), and the baseline should be the best hand SQL."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        t0 = time.perf_counter()
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        seconds = time.perf_counter() - t0
        cursor.execute("RESET jit")
    return seconds, rows


def time_hand_sql():
    from reports.measures import month_instants

    start, end = month_instants(report_month())
    return _timed_sql(HAND_SQL, {"start": start, "end": end})


def same_figures_params() -> dict:
    from django.conf import settings

    from config.timeutils import LONDON, month_bounds
    from deployment.models import MAX_SHIFT_HOURS
    from reports.hours_figures import TREND_MONTHS
    from reports.measures import add_months, month_instants

    start, end = month_instants(report_month())
    first, last = month_bounds(report_month().year, report_month().month)
    earlier = [month_instants(add_months(report_month(), n)) for n in range(-(TREND_MONTHS - 1), 0)]
    return {
        "start": start, "end": end, "first": first, "last": last,
        "today": datetime.datetime.now(LONDON).date(), "tz": str(LONDON),
        "longest": datetime.timedelta(hours=MAX_SHIFT_HOURS),
        "idx": list(range(len(earlier))),
        "starts": [b[0] for b in earlier], "ends": [b[1] for b in earlier],
        "min_pcs": settings.WARD_MIN_DEDICATED_PCS,
        "min_pcsos": settings.WARD_MIN_DEDICATED_PCSOS,
    }


def time_same_figures_sql():
    """bench/same_figures.sql: the reports' deployment figures for all boroughs, hand-written."""
    return _timed_sql((ROOT / "bench" / "same_figures.sql").read_text(), same_figures_params())


CHECKED = ("duties", "rostered_hours", "abstracted_hours", "unauthorised_flex_hours",
           "cover_gap_days", "authorised_flex_requests", "refused_requests", "overdue_reviews")


def same_figures_by_borough(rows) -> dict:
    """{borough code: the CHECKED figures} from the hand-written statement's rows."""
    from wards.models import Borough

    codes = dict(Borough.objects.values_list("pk", "code"))
    seconds = {}
    out = {code: dict.fromkeys(CHECKED, 0) for code in codes.values()}
    for section, borough, k1, _k2, key, n, secs in rows:
        row = out[codes[borough]]
        if section == "duty":
            kind, _type_id, authorised = key.split(":")
            row["duties"] += n
            acc = seconds.setdefault(borough, {"rostered": 0, "abstracted": 0, "unauth": 0})
            acc["rostered"] += secs
            if kind == "abstracted":
                acc["abstracted"] += secs
            if kind == "flexed" and authorised == "false":
                acc["unauth"] += secs
        elif section == "flex":
            row["authorised_flex_requests"] = k1
        elif section == "cover":
            row["cover_gap_days"] += n
        elif section == "refused":
            row["refused_requests"] = n
        elif section == "overdue":
            row["overdue_reviews"] = n
    for borough, acc in seconds.items():
        row = out[codes[borough]]
        row["rostered_hours"] = round(float(acc["rostered"]) / 3600, 2)
        row["abstracted_hours"] = round(float(acc["abstracted"]) / 3600, 2)
        row["unauthorised_flex_hours"] = round(float(acc["unauth"]) / 3600, 2)
    return out


def rollup_by_borough(fig) -> dict:
    return {b["borough_code"]: {k: b[k] for k in CHECKED} for b in fig["boroughs"]}


def best_of(runs, fn):
    """The fastest of `runs` runs of fn(), and that run's result (timings vary run to run on a
    shared machine; the fastest is the least disturbed)."""
    results = [fn() for _ in range(runs)]
    return min(results, key=lambda r: r[0] if isinstance(r, tuple) else r)


def run() -> bool:
    """Time and check; print the table. True when the reports agree with the statement."""
    from deployment.models import Duty

    month = report_month()
    print(f"\n== Reports against hand-written SQL, {month:%B %Y} "
          f"({Duty.objects.count():,} duties in the bench data)")
    time_hand_sql()  # warm the cache, as the reports' first query would
    hand_seconds, hand_rows = best_of(5, time_hand_sql)
    same_seconds, same_rows = best_of(5, time_same_figures_sql)
    total, per_borough, rollup_seconds, rollup = best_of(3, time_reports)
    parallel = best_of(3, lambda: time_reports_in_workers(2))
    hand_hours = sum(float(r[6]) for r in hand_rows) / 3600
    t = rollup["total"]
    print(f"Best of 3 runs (reports), of 5 (SQL).{'':1}{'seconds':>10}   reports take")
    print(f"{'32 borough reports + roll-up (stored)':38}{total:>10.3f}")
    print(f"{'  the same over 2 worker processes':38}{parallel:>10.3f}")
    print(f"{'  slowest borough':38}{max(s for _, s in per_borough):>10.3f}")
    print(f"{'  roll-up':38}{rollup_seconds:>10.3f}")
    print(f"{'hand SQL: the same figures, 1 statement':38}{same_seconds:>10.3f}"
          f"{total / same_seconds:>7.1f}x serial, {parallel / same_seconds:.1f}x on 2")
    print(f"{'hand SQL: one duty-hours aggregate':38}{hand_seconds:>10.3f}"
          f"{total / hand_seconds:>7.1f}x serial, {parallel / hand_seconds:.1f}x on 2")
    print(
        f"London, {month:%B %Y}: rostered {t['rostered_hours']:.1f} h (hand SQL "
        f"{hand_hours:.1f} h), abstracted {t['abstracted_hours']:.1f} h, rate "
        f"{t['abstraction_rate'] * 100:.1f}%, unauthorised flex {t['unauthorised_flex_hours']:.1f}"
        f" h, ward-days below cover {t['cover_gap_days']}"
    )
    ours, theirs = rollup_by_borough(rollup), same_figures_by_borough(same_rows)
    differ = {
        code: (ours[code], theirs.get(code)) for code in ours if ours[code] != theirs.get(code)
    }
    print(f"The {len(ours)} borough reports and the hand-written statement agree on "
          f"{', '.join(CHECKED)}: " + ("yes" if not differ else f"NO, {differ}"))
    return not differ
