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
older than CONN_MAX_AGE or broken (close_old_connections, before each use), so a worker process
holds at most THREADS connections more than before, idle between monthly runs; `close()` closes
them (the test run does, before the test database is dropped).

Work the caller abandons (an error, the task's soft time limit) is cancelled (`abandoned`): what
has not started never starts, and a statement running is cancelled on the server, so that the
next report does not queue behind it and no lock it holds outlives the report.

Inside a transaction, or with autocommit off, another connection would not see the caller's
uncommitted rows (nor a test's, which runs in a transaction), so there the work runs at once, in
turn, on the caller's connection: the answers, and the queries counted on that connection, are
the same either way."""

import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connection, connections

THREADS = 2
_pool: ThreadPoolExecutor | None = None
_pool_pid: int | None = None
_pool_lock = threading.Lock()
_local = threading.local()


def _executor() -> ThreadPoolExecutor:
    global _pool, _pool_pid
    with _pool_lock:
        if _pool is None or _pool_pid != os.getpid():  # a forked child has no threads
            _pool = ThreadPoolExecutor(THREADS, thread_name_prefix="beside")
            _pool_pid = os.getpid()
        return _pool


def _prepared_connection():
    """This thread's connection, open and set for work beside another."""
    close_old_connections()
    connection.ensure_connection()
    if getattr(_local, "prepared", None) is not connection.connection:
        # Both cores are already at work (this thread's statement, the caller's, their
        # Python): a parallel worker for a statement of a few thousand rows would only wait
        # for a core and add its start-up.
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
        _local.prepared = connection.connection
    return connection.connection


class Beside:
    """`fn()` started beside the caller; `.result()` waits for it and gives its value (or raises
    its exception, as `fn()` would have)."""

    def __init__(self, fn):
        self._future = None
        self._running_on = None  # the psycopg connection while fn() runs beside
        self._lock = threading.Lock()
        if (connection.in_atomic_block or not connection.get_autocommit()
                or not settings.READS_BESIDE):
            self._value = fn()
        else:
            self._future = _executor().submit(self._run, fn)

    def _run(self, fn):
        with self._lock:
            self._running_on = _prepared_connection()
        try:
            return fn()
        finally:
            with self._lock:  # cancel() never reaches the statement of the next piece of work
                self._running_on = None

    def result(self):
        if self._future is not None:
            return self._future.result()
        return self._value

    def unqueue(self) -> bool:
        """Not started: it never starts (True)."""
        return self._future is None or self._future.cancel()

    def cancel(self) -> None:
        """Not started: it never starts. Running: its statement is cancelled on the server (it
        then fails in its thread, and nobody reads the result)."""
        if self.unqueue():
            return
        with self._lock:
            if self._running_on is not None:
                with contextlib.suppress(Exception):  # gone already: nothing left to cancel
                    self._running_on.cancel_safe(timeout=5)


@contextlib.contextmanager
def abandoned(*besides: Beside):
    """Around the caller's work while `besides` run: if it fails (or is interrupted), they are
    cancelled before the exception goes on."""
    try:
        yield
    except BaseException:
        for beside in besides:  # first what waits, or a thread freed below would start it
            beside.unqueue()
        for beside in besides:
            beside.cancel()
        raise


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
        everyone.wait(timeout=60)
        connections.close_all()

    for future in [pool.submit(close_mine) for _ in range(THREADS)]:
        future.result()
    pool.shutdown(wait=True)
