"""gunicorn's settings, for `make run` and `make bench` alike (`gunicorn -c config/gunicorn.py
config.wsgi`). Every value can be set from the environment.

Sizing: gthread workers, one process per core plus one, each with two threads. A page spends
part of its time waiting on PostgreSQL and Redis; a second thread lets a process serve another
request meanwhile, without the memory of more processes. More threads than that only queue for
the process's one interpreter lock: on the project's 2-core machine (`make bench`, 1 December
2026, wrk at 20 connections) 3 processes of 4 threads gave the ward page, the borough page, the
panel summary and the crimes, promises and performance APIs a p99 of 166-321 ms, and of 2
threads 107-216 ms at the same or better throughput (README, "Benchmark"). The cost: 6 requests
at once on this machine, so a few slow ones (a PDF, a CSV download) hold more of the capacity; a
deployment whose database is further away, where requests wait longer, may want WEB_THREADS=4."""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("WEB_THREADS", 2))
# A request that takes longer than this is killed: imports big enough to need more run in Celery.
timeout = int(os.environ.get("WEB_TIMEOUT", 30))
graceful_timeout = 10
keepalive = 5
# Each worker process listens on its own socket (SO_REUSEPORT) and the kernel spreads new
# connections over them. On one shared socket, whichever process woke first accepted a burst of
# connections, and a kept-alive connection stays with the process that accepted it: wrk's 20
# connections all went to one process in most runs, which (Python's GIL) serves on one core, so
# any page measured at about half its throughput and a pause in that process held every request.
reuse_port = os.environ.get("WEB_REUSE_PORT", "true").lower() != "false"
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
# gunicorn's runtime control socket is one path per user (~/.gunicorn/gunicorn.ctl): several
# servers on one machine (make run, make bench, other checkouts) would take it from each other.
control_socket_disable = True


def post_worker_init(worker):
    """Once the worker has loaded the app: import the views too (the URLconf, otherwise loaded
    by the first request), then move everything loaded so far out of the garbage collector's
    reach (gc.freeze). A full collection walks every tracked object: with Django, DRF and the
    apps loaded, 145,000 of them, 70-90 ms of CPU with every thread of the process stopped, a few
    times in a 10 s run under load; frozen, it walks only what requests created since (6-11 ms)."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every view module)
    gc.collect()
    gc.freeze()
