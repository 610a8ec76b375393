"""Demand benchmark: a year of London crime (about a million police.uk rows) and of CAD calls,
imported the way a user imports them, then the demand profile of a borough and the London
choropleth, timed with the cache cleared.

    python bench/demand.py [--fresh] [--runs 30]     # or call run() from bench/run.py

It uses its own database (neighbourhood_ops_bench_demand on the project's PostgreSQL, the port
from scripts/env.sh), so the dev data is untouched. The data is built once and reused; --fresh
rebuilds it. Targets (issue 15): a month's police.uk import within 30 s; a profile or a
choropleth for any range of months at p95 under 200 ms.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "neighbourhood_ops_bench_demand"
PG_PORT = os.environ.get("PG_PORT", "5544")
PG = ["-h", "127.0.0.1", "-p", PG_PORT, "-U", "postgres"]
CRIME_LAST = datetime.date(2025, 1, 1)  # the real burglary files end here
CAD_LAST_DAY = datetime.date(2025, 1, 31)  # CAD over the same 12 months as the crime
PROFILE_BOROUGH = "E09000007"  # Camden
TARGET_IMPORT_S = 30.0
TARGET_P95_MS = 200.0


def setup_django(database: str = BENCH_DB) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{PG_PORT}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()


def ensure_database(fresh: bool) -> bool:
    """Create the bench database if needed; True if it is new."""
    query = f"SELECT 1 FROM pg_database WHERE datname = '{BENCH_DB}'"
    found = subprocess.run(["psql", *PG, "-Atc", query], capture_output=True, text=True, check=True)
    exists = found.stdout.strip() == "1"
    if exists and fresh:
        subprocess.run(["dropdb", *PG, BENCH_DB], check=True)
        exists = False
    if not exists:
        subprocess.run(["createdb", *PG, BENCH_DB], check=True)
    return not exists


def build(say=print) -> dict:
    """London, the reference data, officers, a year of a borough's duties, then the imports,
    each timed. Returns {"crime": [(month, rows, seconds)], "cad": [...]}."""
    from django.core.management import call_command

    from demand.reference import load_reference
    from teams.demo import seed_demo

    call_command("migrate", verbosity=0)
    call_command("load_london", verbosity=0)
    load_reference()
    seed_demo(password="bench-password-not-for-use")
    duties = borough_year_of_duties(PROFILE_BOROUGH)
    say(f"duties for {PROFILE_BOROUGH}'s year: {duties:,}")
    return {"crime": import_crime_year(say), "cad": import_cad_year(say)}


def import_crime_year(say=print) -> list[tuple]:
    from demand import generator, importing, police_uk
    from demand.models import DataImport

    timings = []
    for month in generator.months_before(CRIME_LAST, 12):
        raw = generator.crime_month_csv(month)
        record = importing.create_record(
            kind=DataImport.Kind.POLICE_UK,
            raw=raw,
            payload=False,
            file_name=f"bench_{month:%Y-%m}.csv.gz",
            source="bench",
        )
        began = time.monotonic()
        police_uk.import_file(record, raw)
        seconds = time.monotonic() - began
        timings.append((f"{month:%Y-%m}", record.rows_read, seconds))
        say(f"police.uk {month:%Y-%m}: {record.rows_read:,} rows in {seconds:.1f} s")
    return timings


def import_cad_year(say=print) -> list[tuple]:
    from demand import cad, generator, importing
    from demand.models import DataImport
    from wards.models import Ward

    wards = list(Ward.objects.values_list("code", "population__residents"))
    timings = []
    for month in generator.months_before(CAD_LAST_DAY.replace(day=1), 12):
        days = (generator.add_months(month, 1) - month).days
        raw = generator.cad_csv(month, days, wards)
        record = importing.create_record(
            kind=DataImport.Kind.CAD,
            raw=raw,
            payload=False,
            file_name=f"bench_cad_{month:%Y-%m}.csv",
            source="bench",
        )
        began = time.monotonic()
        cad.import_file(record, raw)
        seconds = time.monotonic() - began
        timings.append((f"{month:%Y-%m}", record.rows_read, seconds))
        say(f"CAD {month:%Y-%m}: {record.rows_read:,} calls in {seconds:.1f} s")
    return timings


def borough_year_of_duties(code: str) -> int:
    """Every SN officer of the borough on early, late and night shifts (the night crossing
    midnight) five days in seven, over the bench's year: about 30,000 duties."""
    from config.timeutils import LONDON
    from deployment.models import Duty
    from teams.models import Posting, User

    by, _ = User.objects.get_or_create(username="bench", defaults={"role": "admin"})
    if Duty.objects.filter(home_ward__borough__code=code).exists():
        return Duty.objects.filter(home_ward__borough__code=code).count()
    postings = Posting.objects.filter(
        is_primary=True, team__ward__borough__code=code, end_date__isnull=True
    ).values_list("officer_id", "team__ward_id")
    first = CRIME_LAST.replace(year=CRIME_LAST.year - 1) + datetime.timedelta(days=31)
    duties = []
    for n, (officer, ward) in enumerate(postings):
        for day_number in range(366):
            if (day_number + n) % 7 in (5, 6):
                continue
            day = first + datetime.timedelta(days=day_number)
            start_hour = (7, 14, 22)[(day_number // 7 + n) % 3]
            starts = datetime.datetime.combine(day, datetime.time(start_hour), tzinfo=LONDON)
            duties.append(
                Duty(
                    officer_id=officer,
                    home_ward_id=ward,
                    worked_ward_id=ward,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=8),
                    recorded_by=by,
                )
            )
    Duty.objects.bulk_create(duties, batch_size=5000)
    return len(duties)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def time_requests(urls: list[str], runs: int) -> dict[str, dict]:
    """Each URL `runs` times through Django (middleware, view, JSON), the cache cleared before
    each request; milliseconds."""
    from django.core.cache import cache
    from django.test import Client
    from django.urls import get_resolver

    from teams.models import User

    user, _ = User.objects.get_or_create(username="bench-hq", defaults={"role": "hq"})
    client = Client()
    client.force_login(user)
    # As the server runs: gunicorn's workers import the views and move what is loaded out of
    # the garbage collector's reach before their first request (config/gunicorn.py,
    # post_worker_init). Without it, one request in about thirty here met a full collection of
    # every module's objects (+170 ms).
    get_resolver().url_patterns  # noqa: B018  (imports every view module)
    gc.collect()
    gc.freeze()
    for url in urls:
        client.get(url, HTTP_HOST="127.0.0.1")  # the first request warms Python, not the data
    results = {}
    for url in urls:
        samples = []
        for _ in range(runs):
            cache.clear()
            began = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1")
            samples.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        results[url] = {
            "p50": statistics.median(samples),
            "p95": p95(samples),
            "bytes": len(response.content),
        }
    return results


QUERIES = [
    f"/api/v1/demand/profile/?borough={PROFILE_BOROUGH}&month_from=2024-02&month_to=2025-01",
    f"/api/v1/demand/profile/?borough={PROFILE_BOROUGH}&month_from=2024-12&month_to=2024-12",
    "/api/v1/demand/profile/?ward=E05013660&month_from=2024-02&month_to=2025-01",
    "/api/v1/demand/map/?month_from=2024-02&month_to=2025-01",
    "/api/v1/demand/map/?month_from=2025-01&month_to=2025-01",
    "/api/v1/demand/map/?month_from=2024-02&month_to=2025-01&theme=night-time-economy",
    "/api/v1/demand/map/?month_from=2015-02&month_to=2025-01&category=burglary",
    f"/api/v1/demand/map/?borough={PROFILE_BOROUGH}&month_from=2024-02&month_to=2025-01",
    "/api/v1/demand/wards/?month_from=2024-02&month_to=2025-01&page_size=1000",
]


def run(*, fresh: bool = False, runs: int = 30, say=print) -> dict:
    """Build (or reuse) the bench data and time the queries. Returns the figures."""
    new = ensure_database(fresh)
    setup_django()
    saved = ROOT / ".local" / "bench-demand-imports.json"
    if new:
        imports = build(say)
        saved.parent.mkdir(exist_ok=True)
        saved.write_text(json.dumps(imports))
    else:  # the imports' times from when the data was built
        imports = json.loads(saved.read_text()) if saved.exists() else {"crime": [], "cad": []}
    timings = time_requests(QUERIES, runs)
    report(imports, timings, say)
    return {"imports": imports, "timings": timings}


def report(imports, timings, say=print) -> None:
    if imports["crime"]:
        crime = imports["crime"]
        slowest = max(s for _m, _r, s in crime)
        say(
            f"police.uk: {sum(r for _m, r, _s in crime):,} rows in {len(crime)} imports, "
            f"{sum(s for *_x, s in crime):.0f} s; slowest month {slowest:.1f} s "
            f"(target {TARGET_IMPORT_S:.0f} s: {'met' if slowest < TARGET_IMPORT_S else 'MISSED'})"
        )
    if imports["cad"]:
        cad = imports["cad"]
        say(
            f"CAD: {sum(r for _m, r, _s in cad):,} calls in {len(cad)} imports, "
            f"{sum(s for *_x, s in cad):.0f} s; slowest month {max(s for *_x, s in cad):.1f} s"
        )
    for url, t in timings.items():
        verdict = "met" if t["p95"] < TARGET_P95_MS else "MISSED"
        say(
            f"p50 {t['p50']:6.1f} ms  p95 {t['p95']:6.1f} ms  {t['bytes'] / 1024:6.0f} KB  "
            f"{verdict:6}  {url}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench database")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    figures = run(fresh=args.fresh, runs=args.runs)
    missed = [u for u, t in figures["timings"].items() if t["p95"] >= TARGET_P95_MS]
    slow_imports = [m for m, _r, s in figures["imports"]["crime"] if s >= TARGET_IMPORT_S]
    sys.exit(1 if missed or slow_imports else 0)


if __name__ == "__main__":
    main()
