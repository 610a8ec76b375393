"""One transaction per decision, tried again when PostgreSQL gives up on it.

Every decision service (deciding, reviewing or ending a flex, recording an abstraction or a
duty, importing a roster…) runs under `@decision`. The services take their locks in one order
(a borough's cover row, then officers in id order, then flex requests: deployment.locks), so
two decisions wait for each other rather than deadlock. Where PostgreSQL still gives up on one
(a deadlock it detected, a serialization failure), the whole transaction is rolled back and run
again, a bounded number of times, after a short random pause. When every try failed, the caller
gets a ConflictError (409 in the API, the error summary on a page), never a server error.

Only the outermost `@decision` retries: inside a transaction already open (one service calling
another, a view combining two), a failure belongs to the whole of it, so it rises to whoever
opened it."""

import functools
import logging
import random
import time

from django.db import OperationalError, connection, transaction

from config.errors import ConflictError

log = logging.getLogger(__name__)

# PostgreSQL's SQLSTATEs for a transaction it aborted so that another could go on: running it
# again is safe and usually succeeds.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure
# Tries in all (the first and the retries), and the longest pause before a retry, in seconds.
ATTEMPTS = 5
MAX_PAUSE = 0.2


def is_retryable(exc: BaseException) -> bool:
    """Whether `exc` (or an error it was raised from) is a deadlock or serialization failure."""
    while exc is not None:
        if getattr(exc, "sqlstate", None) in RETRYABLE_SQLSTATES:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class Busy(ConflictError):
    def __init__(self):
        super().__init__(
            "Others were changing the same records at the same moment. Nothing was saved: "
            "try again.",
            code="busy",
        )


def decision(fn):
    """Run `fn` in a transaction of its own, tried again on a deadlock or serialization failure
    (ATTEMPTS in all); then Busy (409)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        if connection.in_atomic_block:
            with transaction.atomic():
                return fn(*args, **kwargs)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    return fn(*args, **kwargs)
            except OperationalError as exc:
                if not is_retryable(exc):
                    raise
                log.warning("%s: %s (try %s of %s)", fn.__qualname__, exc, attempt, ATTEMPTS)
            if attempt < ATTEMPTS:
                time.sleep(random.uniform(0, MAX_PAUSE * attempt / ATTEMPTS))  # noqa: S311
        raise Busy()

    return run
