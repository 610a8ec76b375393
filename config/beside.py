"""Two independent reads at once: one in a thread on its own database connection, while the
caller goes on with others on its own.

A monthly report is a dozen statements that do not depend on one another, and PostgreSQL runs
each on one core while the worker's Python waits for it; between statements, the worker's Python
builds the figures while PostgreSQL waits. Started beside the caller, the heaviest statements run
on a second connection while the caller's own statements and Python run on the first, so that
both cores work (as PostgreSQL's parallel workers do inside one large statement).

Inside a transaction, a second connection would not see the transaction's own rows (nor a test's,
which runs in one), so there the work runs at once, in turn, on the caller's connection: the
answers and the queries counted on that connection are the same either way."""

import threading

from django.conf import settings
from django.db import connection, connections


class Beside:
    """`fn()` started beside the caller; `.result()` waits for it and gives its value (or raises
    its exception)."""

    def __init__(self, fn):
        self._value = self._error = None
        if connection.in_atomic_block or not settings.READS_BESIDE:
            self._thread = None
            self._run(fn, close=False)
            return
        self._thread = threading.Thread(target=self._run, args=(fn, True), daemon=True)
        self._thread.start()

    def _run(self, fn, close: bool) -> None:
        try:
            self._value = fn()
        except BaseException as exc:  # re-raised in the caller, by result()
            self._error = exc
        finally:
            if close:  # the thread's own connections: never left open behind it
                connections.close_all()

    def result(self):
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value
