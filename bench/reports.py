"""Benchmark: all 32 borough reports and the Met-wide roll-up for a London-scale month, against
one hand-written SQL aggregate over the same rows, side by side.

    make bench                       # or: .venv/bin/python bench/run.py [--fresh]

It uses its own database (neighbourhood_ops_bench on the project's PostgreSQL) so the dev data is
untouched: created, migrated and loaded with London (679 wards), the demo teams and officers, then
a month (March 2026) of ~80,000 duties, ~8,000 abstractions and ~5,000 flex requests for every
neighbourhood officer. The data is built once and reused; --fresh rebuilds it.
"""

import argparse
import datetime
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "neighbourhood_ops_bench"
PG = ["-h", "127.0.0.1", "-p", "5544", "-U", "postgres"]
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5544/{BENCH_DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
MONTH = datetime.date(2026, 3, 1)
SHIFT_STARTS = (7, 14, 22)  # early, late, night (crosses midnight)


def ensure_database(fresh: bool) -> bool:
    """Create the bench database if needed; True if it is new."""
    exists = subprocess.run(
        ["psql", *PG, "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{BENCH_DB}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip() == "1"
    if exists and fresh:
        subprocess.run(["dropdb", *PG, BENCH_DB], check=True)
        exists = False
    if not exists:
        subprocess.run(["createdb", *PG, BENCH_DB], check=True)
    return not exists


def build(seed: int = 4) -> None:
    from django.core.management import call_command

    from teams.demo import seed_demo

    call_command("migrate", verbosity=0)
    call_command("load_london", verbosity=0)
    seed_demo(password="bench-password-not-for-use")
    generate_month(random.Random(seed))


def generate_month(rng: random.Random) -> None:
    from django.db import transaction

    from config.timeutils import LONDON
    from deployment.models import (
        Abstraction,
        AbstractionType,
        Commitment,
        Duty,
        FlexOfficer,
        FlexRequest,
        FlexStatus,
    )
    from teams.models import Posting, User

    by, _ = User.objects.get_or_create(username="bench", defaults={"role": "admin"})
    postings = list(
        Posting.objects.filter(is_primary=True, team__ward__isnull=False, end_date__isnull=True)
        .values("officer_id", "team__ward_id", "team__ward__borough_id")
    )
    wards_of = {}
    for p in postings:
        wards_of.setdefault(p["team__ward__borough_id"], set()).add(p["team__ward_id"])
    wards_of = {b: sorted(ws) for b, ws in wards_of.items()}
    types = list(AbstractionType.objects.values_list("id", flat=True))
    first, days = MONTH, 31

    with transaction.atomic():
        flexes = _flex_requests(rng, wards_of, by, first, FlexRequest, FlexStatus)
        flexes = FlexRequest.objects.bulk_create(flexes, batch_size=2000)
        flexes_of = {}
        for flex in flexes:
            if flex.status != FlexStatus.REJECTED:
                flexes_of.setdefault(flex.borough_id, []).append(flex)
        members, duties, abstractions = [], [], []
        for p in postings:
            officer, home = p["officer_id"], p["team__ward_id"]
            borough = p["team__ward__borough_id"]
            worked_days = sorted(rng.sample(range(days), 30))
            for day in worked_days:
                start_hour = rng.choice(SHIFT_STARTS)
                start = datetime.datetime.combine(
                    first + datetime.timedelta(days=day), datetime.time(start_hour), tzinfo=LONDON
                )
                end = start + datetime.timedelta(hours=8)  # 8 real hours, even at the clock change
                duty = Duty(officer_id=officer, home_ward_id=home, worked_ward_id=home,
                            starts_at=start, ends_at=end, recorded_by=by)
                roll = rng.random()
                if roll < 0.10:
                    duty.kind = Duty.Kind.ABSTRACTED
                    abstraction = Abstraction(
                        officer_id=officer, borough_id=borough,
                        abstraction_type_id=rng.choice(types),
                        starts_at=start, ends_at=end, significant_event="Bench event",
                        authorised_by_name="Supt Bench", recorded_by=by,
                    )
                    abstractions.append(abstraction)
                    duty.abstraction = abstraction
                elif roll < 0.18 and flexes_of.get(borough):
                    flex = rng.choice(flexes_of[borough])
                    duty.kind, duty.flex_request = Duty.Kind.FLEXED, flex
                    duty.worked_ward_id = flex.to_ward_id
                    members.append(FlexOfficer(flex_request=flex, officer_id=officer,
                                               from_ward_id=home))
                elif roll < 0.20:
                    duty.kind = Duty.Kind.FLEXED
                    duty.worked_ward_id = rng.choice(wards_of[borough])
                duties.append(duty)
        Abstraction.objects.bulk_create(abstractions, batch_size=5000)
        Commitment.objects.bulk_create(
            [Commitment(officer_id=a.officer_id, starts_at=a.starts_at, ends_at=a.ends_at,
                        abstraction=a) for a in abstractions],
            batch_size=5000,
        )
        for duty in duties:
            if duty.abstraction is not None:
                duty.abstraction_id = duty.abstraction.pk
        Duty.objects.bulk_create(duties, batch_size=5000)
        FlexOfficer.objects.bulk_create(members, batch_size=5000, ignore_conflicts=True)


def _flex_requests(rng, wards_of, by, first, FlexRequest, FlexStatus, count=5000):
    from config.timeutils import LONDON

    statuses = [FlexStatus.APPROVED, FlexStatus.ACTIVE, FlexStatus.ENDED, FlexStatus.ENDED,
                FlexStatus.REJECTED, FlexStatus.SUBMITTED]
    boroughs = sorted(wards_of)
    out = []
    for i in range(count):
        borough = boroughs[i % len(boroughs)]
        start = first + datetime.timedelta(days=rng.randrange(0, 28))
        end = start + datetime.timedelta(days=rng.randrange(3, 28))
        status = rng.choice(statuses)
        decided = datetime.datetime.combine(start, datetime.time(9), tzinfo=LONDON)
        out.append(FlexRequest(
            borough_id=borough, to_ward_id=rng.choice(wards_of[borough]), start_date=start,
            end_date=end, daily_start=datetime.time(8), daily_end=datetime.time(16),
            problem=f"Bench problem {i % 40}", expected_benefit="Fewer offences", status=status,
            requested_by=by, decided_at=decided if status != FlexStatus.SUBMITTED else None,
            decision_reason="Not intelligence-led" if status == FlexStatus.REJECTED else "",
            review_due=start + datetime.timedelta(days=14),
        ))
    return out


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

    MonthlyReport.objects.filter(month=MONTH).delete()
    started = time.perf_counter()
    per_borough = []
    for borough in Borough.objects.select_related("bcu").order_by("name"):
        t0 = time.perf_counter()
        report, _ = services.report_request(borough=borough, month=MONTH)
        services.report_produce(report.pk)
        per_borough.append((borough.name, time.perf_counter() - t0))
    t0 = time.perf_counter()
    rollup, _ = services.report_request(borough=None, month=MONTH)
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

    report, _ = services.report_request(borough=Borough.objects.get(pk=borough_id), month=MONTH)
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

    MonthlyReport.objects.filter(month=MONTH).delete()
    ids = list(Borough.objects.values_list("pk", flat=True))
    connection.close()
    with ProcessPoolExecutor(workers, initializer=_setup_worker) as pool:
        pool.submit(_setup_worker).result()  # start the processes before the clock
        started = time.perf_counter()
        list(pool.map(_produce, ids))
    rollup, _ = services.report_request(borough=None, month=MONTH)
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

    start, end = month_instants(MONTH)
    return _timed_sql(HAND_SQL, {"start": start, "end": end})


def same_figures_params() -> dict:
    from django.conf import settings

    from config.timeutils import LONDON, month_bounds
    from deployment.models import MAX_SHIFT_HOURS
    from reports.hours_figures import TREND_MONTHS
    from reports.measures import add_months, month_instants

    start, end = month_instants(MONTH)
    first, last = month_bounds(MONTH.year, MONTH.month)
    earlier = [month_instants(add_months(MONTH, n)) for n in range(-(TREND_MONTHS - 1), 0)]
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="Rebuild the bench database.")
    args = parser.parse_args()
    new = ensure_database(args.fresh)

    import django

    django.setup()
    from django.core.management import call_command

    from deployment.models import Duty, FlexRequest
    from teams.models import Officer
    from wards.models import Ward

    call_command("migrate", verbosity=0)  # the schema may have moved on since the data was built
    if new or not Duty.objects.exists():
        t0 = time.perf_counter()
        build()
        print(f"Built the bench month in {time.perf_counter() - t0:.1f} s")
    print(
        f"Data: {Ward.objects.count()} wards, {Officer.objects.count()} officers, "
        f"{Duty.objects.count()} duties, {FlexRequest.objects.count()} flex requests "
        f"({MONTH:%B %Y})"
    )
    time_hand_sql()  # warm the cache, as the reports' first query would
    hand_seconds, hand_rows = best_of(5, time_hand_sql)
    same_seconds, same_rows = best_of(5, time_same_figures_sql)
    total, per_borough, rollup_seconds, rollup = best_of(3, time_reports)
    parallel = best_of(3, lambda: time_reports_in_workers(2))
    hand_hours = sum(float(r[6]) for r in hand_rows) / 3600
    t = rollup["total"]
    print(f"\nBest of 3 runs (reports), of 5 (SQL).{'':1}{'seconds':>10}   reports take")
    print(f"{'32 borough reports + roll-up (stored)':38}{total:>10.3f}")
    print(f"{'  the same over 2 worker processes':38}{parallel:>10.3f}")
    print(f"{'  slowest borough':38}{max(s for _, s in per_borough):>10.3f}")
    print(f"{'  roll-up':38}{rollup_seconds:>10.3f}")
    print(f"{'hand SQL: the same figures, 1 statement':38}{same_seconds:>10.3f}"
          f"{total / same_seconds:>7.1f}x serial, {parallel / same_seconds:.1f}x on 2")
    print(f"{'hand SQL: one duty-hours aggregate':38}{hand_seconds:>10.3f}"
          f"{total / hand_seconds:>7.1f}x serial, {parallel / hand_seconds:.1f}x on 2")
    print(
        f"\nLondon, {MONTH:%B %Y}: rostered {t['rostered_hours']:.1f} h (hand SQL "
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
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
