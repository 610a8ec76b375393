"""Pages and API lists cached until the data they were made from changes.

Every table has a version in the cache (Redis), moved on after each committed write to it: every
INSERT, UPDATE, DELETE or TRUNCATE that goes through Django's database connection (the ORM,
bulk writes, raw SQL), in every process (web, Celery, commands), once the transaction commits.
A cached response records which tables its queries read and their versions then; it is served
again only while all of them are unchanged, to the same user (and, for a page, the same session
and CSRF cookie, so that its forms stay valid) on the same day (pages say "today", "overdue").
A response whose making wrote anything (a victim view log) is never cached, nor one that sets a
cookie, carries a message, or is not a 200.

Rows written without Django's connection (PostgreSQL's COPY, another program) must call
`bump(*tables)` after they commit."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import threading
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.utils import timezone

from config.access import borough_ids_read

VERSION_PREFIX = "datav:"
ENTRY_PREFIX = "datac:"
# A statement's written tables. It writes where it starts (INSERT, UPDATE, DELETE, MERGE,
# TRUNCATE: every table named), or, starting WITH, in any data-modifying CTE of it ("WITH moved
# AS (UPDATE ...) SELECT ..."): a SELECT alone writes nothing. Row locks ("FOR UPDATE") and
# upserts' "DO UPDATE" name no table of their own.
_WRITE_RE = re.compile(
    r'(FOR\s+(?:NO\s+KEY\s+)?|DO\s+)?\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO'
    r'|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?((?:"?\w+"?\s*,\s*)*"?\w+"?)',
    re.I,
)
_STARTS_WITH_WRITE_RE = re.compile(
    r"\s*(?:/\*.*?\*/\s*|--[^\n]*\n\s*)*(?:INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b", re.I | re.S
)
_STARTS_WITH_CTE_RE = re.compile(r"\s*(?:/\*.*?\*/\s*|--[^\n]*\n\s*)*WITH\b", re.I | re.S)
_READ_RE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.I)
_reading = threading.local()


# --- versions ---------------------------------------------------------------------------------


def bump(*tables: str) -> None:
    """The tables changed: every response made from them is out of date."""
    for table in tables:
        key = VERSION_PREFIX + table
        try:
            cache.incr(key)
        except ValueError:  # never seen, or evicted: any new value differs from what was read
            cache.set(key, secrets.randbelow(2**62), timeout=None)


def versions(tables) -> dict[str, int]:
    keys = [VERSION_PREFIX + t for t in tables]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, secrets.randbelow(2**62), timeout=None)
            found[key] = cache.get(key)
    return {key[len(VERSION_PREFIX):]: value for key, value in found.items()}


def _bump_written(db, table: str) -> None:
    """At once, so that the transaction itself (and a test inside one) sees its change; and
    again when it commits, so that a response made meanwhile from the rows before it (recorded
    with the first bump's version) is stale too. Once per table and transaction at commit: a
    callback registered in an enclosing savepoint (or this one) already covers it."""
    bump(table)
    if not db.in_atomic_block:
        return
    current = set(db.savepoint_ids)
    for sids, func, *_ in db.run_on_commit:
        if getattr(func, "table", None) == table and set(sids) <= current:
            return

    def after_commit():
        bump(table)

    after_commit.table = table
    transaction.on_commit(after_commit, using=db.alias)


def _track(execute, sql, params, many, context):
    recording = getattr(_reading, "versions", None)
    if recording is not None:
        # A table's version is taken before its first read: a write committed after it, even
        # while the response is being made, leaves the entry stale at once.
        new = {t for t in _READ_RE.findall(sql) if t not in recording}
        if new:
            recording.update(versions(new))
    result = execute(sql, params, many, context)
    written = written_tables(sql)
    for table in written:
        _bump_written(context["connection"], table)
    if written and recording is not None:
        _reading.wrote = True
    return result


def written_tables(sql: str) -> list[str]:
    """The tables `sql` writes to (see _WRITE_RE). Only a statement that starts with a write or
    a WITH is searched: most statements are SELECTs, and a SELECT writes nothing."""
    if _STARTS_WITH_WRITE_RE.match(sql):
        found = _WRITE_RE.search(sql)
        found = [found] if found else []
    elif _STARTS_WITH_CTE_RE.match(sql):
        found = list(_WRITE_RE.finditer(sql))
    else:
        return []
    tables = []
    for match in found:
        if match.group(1) or match.group(2).upper() == "SET":  # a lock, an upsert, a MERGE's arm
            continue
        for name in match.group(2).split(","):
            name = name.strip().strip('"')
            if name not in tables:
                tables.append(name)
    return tables


def _install(sender, connection, **kwargs):
    if _track not in connection.execute_wrappers:
        connection.execute_wrappers.append(_track)


connection_created.connect(_install)


def changes_at(moment) -> None:
    """The answer being made changes by itself at `moment` (an aware datetime), with nothing
    written: it lists rows "from now on" (events not yet ended, duties to come), and the first
    of them leaves it then. A kept copy is not served from that moment (the day in the key
    covers what changes at midnight). Give the earliest such moment among the rows shown."""
    if getattr(_reading, "versions", None) is None:
        return
    until = getattr(_reading, "until", None)
    _reading.until = moment if until is None else min(until, moment)


def _merge(read: dict[str, int], wrote: bool, until=None) -> None:
    """What a response made (or found cached) inside another recording read goes into that
    recording too: the public cache (config.publiccache) records around views whose answers
    come from cached(). Two versions of one table mean it changed meanwhile: not to be kept."""
    outer = getattr(_reading, "versions", None)
    if outer is None:
        return
    for table, version in read.items():
        if outer.setdefault(table, version) != version:
            wrote = True
    _reading.wrote = getattr(_reading, "wrote", False) or wrote
    if until is not None:
        changes_at(until)


@contextmanager
def _recording():
    """The versions of the tables the queries inside read, and whether any of them wrote; an
    enclosing recording gets them too."""
    _install(None, connection)
    outer = (getattr(_reading, "versions", None), getattr(_reading, "wrote", False),
             getattr(_reading, "until", None))
    _reading.versions, _reading.wrote, _reading.until = {}, False, None
    try:
        yield _reading
    finally:
        read, wrote, until = _reading.versions or {}, _reading.wrote, _reading.until
        _reading.versions, _reading.wrote, _reading.until = outer
        _merge(read, wrote, until)


def begin_recording() -> None:
    """As _recording, for a caller that cannot wrap the work in a `with` (a middleware that
    starts in process_view and ends in __call__): end_recording() must follow."""
    _install(None, connection)
    _reading.versions, _reading.wrote, _reading.until = {}, False, None


def end_recording() -> tuple[dict[str, int], bool]:
    """The versions of the tables read since begin_recording(), and whether anything wrote (or
    the answer changes by itself later on: changes_at(); the public pages keep theirs for
    minutes, and an answer with a moment is simply not kept)."""
    read, wrote = dict(getattr(_reading, "versions", None) or {}), getattr(_reading, "wrote", False)
    wrote = wrote or getattr(_reading, "until", None) is not None
    _reading.versions, _reading.until = None, None
    return read, wrote


def entry_keys(key: str, tables=()) -> list[str]:
    """The cache keys current_entry() reads: the entry and the versions of `tables`."""
    return [key, *(VERSION_PREFIX + t for t in tables)]


def current_entry(
    key: str, read_of, tables=(), found: dict | None = None
) -> tuple[object | None, tuple[str, ...]]:
    """The cache's value at `key` while the tables it was made from (`read_of(value)`, as
    recorded) are unchanged, else None; and those tables. Asked with the tables the caller
    expects (those of the last value found), the entry and their versions come in one round
    trip to Redis; a table not expected costs a second one. `found`: the values at
    entry_keys(key, tables), already read by the caller (in the rate limit's round trip)."""
    if found is None:
        found = cache.get_many(entry_keys(key, tables))
    found = dict(found)
    value = found.pop(key, None)
    if value is None:
        return None, tuple(tables)
    read = read_of(value)  # empty for an answer made from no table (a form, a fixed list)
    known = {k[len(VERSION_PREFIX):]: v for k, v in found.items()}
    missing = [t for t in read if t not in known]
    if missing:
        known.update(versions(missing))
    current = all(known[t] == v for t, v in read.items())
    return (value if current else None), tuple(read)


# --- cached responses -------------------------------------------------------------------------


def _key(*parts) -> str:
    day = timezone.localdate().isoformat()
    digest = hashlib.sha256("\x1f".join(map(str, (day, *parts))).encode()).hexdigest()
    return ENTRY_PREFIX + digest


# The tables each family of entries (one view's) was last made from: asked for with the entry,
# its versions come in the same round trip to Redis (current_entry). One item per view.
_family_tables: dict[str, tuple[str, ...]] = {}


def cached(key_parts, make, family: str | None = None):
    """`make()`'s value, from the cache while the tables it read are unchanged. `make` returns
    (value, cacheable). Entries of one `family` (a view) read the same tables: given, a found
    entry costs one round trip to Redis instead of two."""
    if not settings.DATA_CACHE_SECONDS:
        return make()[0]
    key = _key(*key_parts)
    entry, tables = current_entry(key, _entry_versions, _family_tables.get(family, ()))
    if family is not None and tables:
        _family_tables[family] = tables
    until = entry.get("until") if entry is not None else None
    if entry is not None and (until is None or timezone.now() <= until):
        _merge(entry["versions"], False, until)
        return entry["value"]
    with _recording() as recorded:
        value, cacheable = make()
        read, wrote, until = dict(recorded.versions), recorded.wrote, recorded.until
    seconds = _lifetime(until)
    if cacheable and not wrote and read and seconds > 0:
        cache.set(key, {"versions": read, "value": value, "until": until}, seconds)
    return value


def _lifetime(until) -> int:
    """Seconds an entry may be kept: DATA_CACHE_SECONDS, or until the moment it changes by
    itself (changes_at), rounded up: it expires at most a second after."""
    if until is None:
        return settings.DATA_CACHE_SECONDS
    left = (until - timezone.now()).total_seconds()
    return min(settings.DATA_CACHE_SECONDS, math.ceil(left)) if left > 0 else 0


def _entry_versions(entry) -> dict[str, int]:
    return entry["versions"]


def used_nonce(request) -> str | None:
    """The Content-Security-Policy nonce the response was made with, if it used one."""
    nonce = getattr(request, "_csp_nonce", None)
    return str(nonce) if nonce else None


def with_fresh_nonce(request, content: bytes, nonce: str | None) -> bytes:
    """A kept copy's nonce replaced by this response's own: a nonce is never sent twice."""
    if not nonce:
        return content
    return content.replace(nonce.encode(), str(request.csp_nonce).encode())


def _page_identity(request):
    """Who the page is for: the signed-in user with their role, their session and CSRF cookie.
    None when the page must be made afresh (a message waits to be shown, or no CSRF cookie yet:
    the page would set one). The role is in the key because the user's row is read before the
    view, where nothing records it: a page that shows a role's links or forms would otherwise
    keep them after the role changed. (Their boroughs are read inside the view, and recorded.)"""
    user = getattr(request, "user", None)
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if user is None or not user.is_authenticated or not csrf or "messages" in request.COOKIES:
        return None
    return (*_grants(user), request.session.session_key, csrf)


def _grants(user) -> tuple:
    """The user and what their own row grants, for a kept answer's key: the row is read before
    the view (by the session or the token), where nothing records it, so a role or superuser
    change would otherwise leave the answers made under the old grants in place (an HQ user made
    borough staff kept every borough's rows). Their boroughs are read inside, and recorded; or,
    read before the view (with an API token), named here."""
    return (user.pk, getattr(user, "role", None), user.is_superuser, borough_ids_read(user))


def cached_page(view):
    """Cache a signed-in page (GET) until the data it shows changes (see the module)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        identity = _page_identity(request) if request.method == "GET" else None
        if identity is None:
            return view(request, *args, **kwargs)

        def make():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            ok = response.status_code == 200 and not response.cookies and not response.streaming
            if not ok:  # e.g. a list's CSV download, streamed: it has no `content` to keep
                return response, False
            return (response.content, response["Content-Type"], used_nonce(request)), True

        value = cached((request.get_full_path(), *identity), make,
                       family=f"{view.__module__}.{view.__qualname__}")
        if isinstance(value, tuple):
            content, content_type, nonce = value
            return HttpResponse(with_fresh_nonce(request, content, nonce),
                                content_type=content_type)
        return value

    return wrapper


def cached_api_response(view, request, parts, make):
    """A DRF view's answer (`make()`, a Response) kept under `parts` (which name the user's
    grants and the query) and the format asked for, until a table it read is written: only a
    200 is kept. JSON is kept as the bytes sent: JSON's rendering depends only on the data and
    the media type asked for (its indent), so a copy served again is the same bytes without
    unpickling the data and encoding it again (most of a kept answer's time). The browsable API,
    whose page carries the user's forms and CSRF token, keeps the data and is rendered each
    time. One family per view: a found answer costs one round trip to Redis."""
    from rest_framework.renderers import JSONRenderer
    from rest_framework.response import Response

    as_bytes = isinstance(request.accepted_renderer, JSONRenderer)
    # The host and scheme too: a list's next and previous links are absolute addresses.
    parts = (*parts, request.scheme, request.get_host(), request.accepted_renderer.format,
             as_bytes and request.accepted_media_type)

    def make_value():
        response = make()
        ok = response.status_code == 200
        if not (as_bytes and ok):
            return (response.data if ok else response), ok
        # What DRF's finalize_response gives a response before rendering (not called here: it
        # would take the view's Vary header off the response actually sent).
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = view.get_renderer_context()
        response.render()
        return (response.content, response["Content-Type"]), True

    value = cached(parts, make_value, family=type(view).__name__)
    if isinstance(value, tuple):
        content, content_type = value
        return HttpResponse(content, content_type=content_type)
    return value if isinstance(value, HttpResponse) else Response(value)


class CachedListMixin:
    """For a DRF viewset: its list is cached per user (and their role), query and format until
    the data changes (DRF has authenticated the request and checked its permissions before
    list() runs). A viewset with its own list defines `uncached_list` instead. Kept as
    cached_api_response keeps an answer."""

    def list(self, request, *args, **kwargs):
        return cached_api_response(
            self, request, (type(self).__name__, *_grants(request.user), request.get_full_path()),
            lambda: self.uncached_list(request, *args, **kwargs),
        )

    def uncached_list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
