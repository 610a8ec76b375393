"""gunicorn's settings, for `make run` and `make bench` alike (`gunicorn -c config/gunicorn.py
config.wsgi`). Every value can be set from the environment.

Sizing: gthread workers, one process per core plus one, each with a few threads. A page spends
part of its time waiting on PostgreSQL and Redis; the threads let a process serve another request
meanwhile, without the memory of more processes. Measured with `make bench` on the project's
2-core machine (README, "Benchmark")."""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("WEB_THREADS", 4))
# A request that takes longer than this is killed: imports big enough to need more run in Celery.
timeout = int(os.environ.get("WEB_TIMEOUT", 30))
graceful_timeout = 10
keepalive = 5
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
# gunicorn's runtime control socket is one path per user (~/.gunicorn/gunicorn.ctl): several
# servers on one machine (make run, make bench, other checkouts) would take it from each other.
control_socket_disable = True
