"""Independent reads at once: each in a thread with a database connection of its own, while the
caller goes on with others on its connection.

A monthly report is a dozen statements that do not depend on one another. In turn, PostgreSQL
runs each on one core while the worker's Python waits for it, and between statements the
worker's Python builds the figures while PostgreSQL waits. Started beside the caller, the
heaviest statements run on other connections while the caller's own statements and Python run
on its connection, so that both cores work (as PostgreSQL's parallel workers do inside one large
statement).

The threads and their connections are kept, a few per process (THREADS), and made again in a
forked child: a connection opened for one report would spend much of the report warming its
server process's catalogue caches. A kept connection is closed and reopened as Django's are, once
older than CONN_MAX_AGE or broken (close_old_connections, before each use), and `close()` closes
them all (the test run does, before the test database is dropped).

Inside a transaction, another connection would not see the transaction's own rows (nor a test's,
which runs in one), so there the work runs at once, in turn, on the caller's connection: the
answers, and the queries counted on that connection, are the same either way."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connection, connections

THREADS = 2
_pool: ThreadPoolExecutor | None = None
_pool_pid: int | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool, _pool_pid
    with _pool_lock:
        if _pool is None or _pool_pid != os.getpid():  # a forked child has no threads
            _pool = ThreadPoolExecutor(THREADS, thread_name_prefix="beside")
            _pool_pid = os.getpid()
        return _pool


_local = threading.local()


def _on_own_connection(fn):
    close_old_connections()
    connection.ensure_connection()
    if getattr(_local, "prepared", None) is not connection.connection:
        # Both cores are already at work (this thread's statement, the caller's, their
        # Python): a parallel worker for a statement of a few thousand rows would only wait
        # for a core and add its start-up.
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
        _local.prepared = connection.connection
    return fn()


class Beside:
    """`fn()` started beside the caller; `.result()` waits for it and gives its value (or raises
    its exception, as `fn()` would have)."""

    def __init__(self, fn):
        self._future = None
        if connection.in_atomic_block or not settings.READS_BESIDE:
            self._value = fn()
        else:
            self._future = _executor().submit(_on_own_connection, fn)

    def result(self):
        if self._future is not None:
            return self._future.result()
        return self._value


def close() -> None:
    """Close the kept threads' connections and end the threads."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is None or _pool_pid != os.getpid():
        return
    # One closing task per thread: each waits until all have started, so no thread takes two.
    everyone = threading.Barrier(THREADS)

    def close_mine():
        everyone.wait(timeout=30)
        connections.close_all()

    for future in [pool.submit(close_mine) for _ in range(THREADS)]:
        future.result()
    pool.shutdown(wait=True)
