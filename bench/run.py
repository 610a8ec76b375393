"""`make bench`: London at scale, every key page under load beside a bare view, and the monthly
reports against hand-written SQL. Exits non-zero when a target of issue 13 is missed or the
reports disagree with the SQL.

    make bench                                    # everything (about 25 minutes)
    .venv/bin/python bench/run.py --fresh         # rebuild the London data first
    .venv/bin/python bench/run.py --pages-only --duration 3 --runs 1 --only ward

The data lives in its own database (BENCH_DB, default neighbourhood_ops_bench) on the project's
PostgreSQL (PG_PORT), built by bench/london.py. The database's comment holds the fingerprint of
what built it (the generator, the migrations and the month); when it differs, the data is built
again. The pages are served on BENCH_PORT (default PORT + 1000) with Redis database 2.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DB", "neighbourhood_ops_bench")
PG_PORT = os.environ.get("PG_PORT", "5544")
REDIS_PORT = os.environ.get("REDIS_PORT", "6390")
BENCH_PORT = int(os.environ.get("BENCH_PORT", int(os.environ.get("PORT", "8000")) + 1000))
PG = ["-h", "127.0.0.1", "-p", PG_PORT, "-U", "postgres"]
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/{BENCH_DB}"
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/2"
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["REDIS_URL"] = REDIS_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["DEBUG"] = "false"  # as `make run` serves; DEBUG would also keep every query's SQL


def psql(sql: str) -> str:
    return subprocess.run(["psql", *PG, "-d", "postgres", "-Atc", sql], capture_output=True,
                          text=True, check=True).stdout.strip()


def built_fingerprint() -> str | None:
    """The fingerprint the bench database was built with, or None when there is none."""
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{BENCH_DB}'") == "1"
    if not exists:
        return None
    return psql(
        f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = "
        f"'{BENCH_DB}'"
    ) or ""


def ensure_data(fresh: bool) -> None:
    from django.db import connection

    from bench import london

    want = london.fingerprint(_today())
    have = built_fingerprint()
    if have == want and not fresh:
        print(f"London data: reusing {BENCH_DB} (built as {want})")
        return
    print(f"London data: building {BENCH_DB} ({'asked' if fresh else 'fingerprint changed'})")
    subprocess.run(["dropdb", *PG, "--if-exists", "--force", BENCH_DB], check=True)
    subprocess.run(["createdb", *PG, BENCH_DB], check=True)
    t0 = time.perf_counter()
    counts = london.build()
    with connection.cursor() as cur:
        cur.execute(f"COMMENT ON DATABASE {BENCH_DB} IS %s", [want])
    print(f"Built in {time.perf_counter() - t0:.0f} s: "
          + ", ".join(f"{n:,} {what}" for what, n in counts.items()))


def _today():
    from django.utils import timezone

    return timezone.localdate()


def page_targets() -> dict:
    """The busiest borough, its busiest ward, an officer with history, and last month's report:
    the records the page bench opens."""
    from django.db.models import Count
    from shapely.geometry import shape

    from bench import london
    from bench.reports import report_month
    from reports.models import MonthlyReport
    from teams.models import Officer
    from wards.models import Ward

    borough = london.busiest_borough()
    ward = (Ward.objects.filter(borough=borough).annotate(n=Count("team__postings"))
            .order_by("-n", "code").first())
    officer = (Officer.objects.filter(borough=borough).annotate(n=Count("postings"))
               .order_by("-n", "shoulder_number").first())
    report = (MonthlyReport.objects.filter(borough=borough, month=report_month())
              .order_by("-pk").first())
    inside = shape(ward.boundary).representative_point()  # a point the public API places there
    return {
        "username": london.LOGIN, "password": london.PASSWORD, "borough": borough.code,
        "borough_name": borough.name, "ward": ward.code, "ward_name": ward.name,
        "officer": officer.shoulder_number, "report": report.pk,
        "lat": f"{inside.y:.6f}", "lng": f"{inside.x:.6f}", "month": f"{report_month():%Y-%m}",
    }


def run_demand() -> bool:
    """bench/demand.py (the demand pages' own bench), when it exists."""
    script = ROOT / "bench" / "demand.py"
    if not script.exists():
        return True
    return subprocess.run([sys.executable, str(script)], cwd=ROOT).returncode == 0


def run_imports() -> int:
    """bench/imports.py (the large imports), in its own process and database: its exit code."""
    return subprocess.run([sys.executable, str(ROOT / "bench" / "imports.py")], cwd=ROOT).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="Rebuild the London data.")
    parser.add_argument("--pages-only", action="store_true", help="Skip the reports.")
    parser.add_argument("--reports-only", action="store_true", help="Skip the pages.")
    parser.add_argument("--cold", action="store_true",
                        help="Also time the reports with no closed month stored (minutes).")
    parser.add_argument("--duration", type=float, default=10, help="Seconds per measurement.")
    parser.add_argument("--runs", type=int, default=3, help="Rounds; the median is kept.")
    parser.add_argument("--warmup", type=float, default=2, help="Warm-up seconds per page.")
    parser.add_argument("--bare-duration", type=float, default=3,
                        help="Seconds the bare view is measured just before each page.")
    parser.add_argument("--only", action="append", help="Pages whose name contains this.")
    parser.add_argument(
        "--imports-only", action="store_true",
        help="Only time the 100,000-row roster and crimes imports (bench/imports.py).",
    )  # fmt: skip
    args = parser.parse_args()
    if args.imports_only:
        return run_imports()

    import django

    django.setup()
    ensure_data(args.fresh)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    failures = []
    if not args.pages_only:
        from bench import reports

        failures += reports.run(cold=args.cold)
    elif not page_targets_ready():
        from bench import reports

        reports.time_reports()  # the report page needs last month's reports
    if not args.reports_only:
        from django.db import connections

        from bench import pages

        targets = page_targets()
        connections.close_all()
        failures += pages.run(targets=targets, database_url=DATABASE_URL, redis_url=REDIS_URL,
                              port=BENCH_PORT, duration=args.duration, runs=args.runs,
                              warmup=args.warmup, bare_duration=args.bare_duration,
                              only=args.only)
        if not args.only and not run_demand():
            failures.append("bench/demand.py failed")
        if not args.only and run_imports():
            failures.append("bench/imports.py: a large import missed its target")
    if failures:
        print("\nMISSED:\n  " + "\n  ".join(failures))
        return 1
    print("\nEvery target met.")
    return 0


def page_targets_ready() -> bool:
    from bench import london
    from bench.reports import report_month
    from reports.models import MonthlyReport

    return MonthlyReport.objects.filter(
        borough=london.busiest_borough(), month=report_month()
    ).exists()


if __name__ == "__main__":
    sys.exit(main())
