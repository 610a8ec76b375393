"""Profile the bench's pages one request at a time, on the bench database: for each page its
time, its queries and their time, and the slowest queries.

    .venv/bin/python bench/profile.py [--only ward] [--repeat 20] [--sql] [--cold]

For where the Python time goes, run `make bench` and attach py-spy to a gunicorn worker:
`py-spy record -o profile.svg -p <pid>` (py-spy is in the dev extras)."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench.run as bench_run  # noqa: E402  (sets the bench database's environment)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sql", action="store_true", help="Print each page's queries.")
    parser.add_argument("--cold", action="store_true",
                        help="Empty the cache before each request: the first view after a change.")
    args = parser.parse_args()
    os.environ["BENCH_BARE_VIEW"] = "true"
    os.environ["ALLOWED_HOSTS"] = "testserver"

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import pages as bench_pages
    from teams.models import User

    targets = bench_run.page_targets()
    user = User.objects.get(username=targets["username"])
    from config.tokens import issue_token

    token, _ = issue_token(user)
    cache.clear()
    client = Client()
    client.force_login(user)
    pages = [bench_pages.Page("bare view", "/bench/bare/"), *bench_pages.pages_for(targets)]
    if args.only:
        pages = [p for p in pages if any(o.lower() in p.name.lower() for o in args.only)]
    print(f"{'page':28} {'ms':>7} {'queries':>7} {'db ms':>7}  slowest query")
    for page in pages:
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if page.auth == "token" else {}
        get = (Client() if page.auth != "session" else client).get
        response = get(page.path, **headers)  # warm
        assert response.status_code == 200, (page.path, response.status_code)
        times = []
        for _ in range(args.repeat):
            if args.cold:
                cache.clear()
            started = time.perf_counter()
            get(page.path, **headers)
            times.append(time.perf_counter() - started)
        if args.cold:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            get(page.path, **headers)
        queries = [(float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries]
        slowest = max(queries, default=(0, ""))
        print(f"{page.name:28} {statistics.median(times) * 1000:>7.1f} {len(queries):>7} "
              f"{sum(t for t, _ in queries):>7.1f}  {slowest[0]:.1f} ms {slowest[1][:90]}")
        if args.sql:
            for t, sql in queries:
                print(f"    {t:6.1f} ms  {sql[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
