"""The answers that are the same for everyone, served from the cache without running their view,
or the CSRF, authentication and messages work they do not need: the public pages (find your
team, a team's page) and the data.police.uk-compatible API's answers. The rate limits
(config/guards.py, before this) still count every request, and the CORS middleware (before it
too) adds its headers to every answer.

The first GET for an address renders it for an anonymous visitor; the response is kept, headers
and all, with the versions of the tables its queries read (config.datacache; an answer the view
took from datacache.cached() counts that entry's tables), and served again only while none of
them has been written to, on the same London day (a page says "this month" and lists events from
today), and for at most its lifetime: a page PUBLIC_PAGE_CACHE_SECONDS (the pages tell browsers
the same), an API answer DATA_CACHE_SECONDS (browsers revalidate it with its ETag). A new
promise, activity, event, priority, posting or crime shows at once. A kept answer with an ETag
answers a matching If-None-Match with 304. Only GET and HEAD: a POST (crimes-street's area as
form data) always reaches its view.

A page with a form anyone may send (PUBLIC_VISITOR_PAGES: the contact form) is kept the same way,
but the parts of it that belong to one visitor are marked by its view (`per_visitor`: the CSRF
token, the form's signed timestamp) and made afresh for each answer, as the CSP nonce is: the page
posts and validates exactly as one rendered for that visitor, and the CSRF middleware (after this)
sets the visitor's cookie as it would have.

A hit costs one round trip to Redis in all: the rate limit (config/guards.py, config/ratelimit.py)
reads the kept copy and the versions of the tables it read (those the same view read last time,
remembered per process) in the same script that counts the request."""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils import timezone
from django.utils.http import parse_etags
from django.utils.module_loading import import_string

from config.datacache import (
    begin_recording,
    current_entry,
    end_recording,
    entry_keys,
    used_nonce,
    with_fresh_nonce,
)

# v6: a kept copy's CSRF token is filled by csrf_token (v5: holds its per-visitor parts too; v4:
# keyed by host: an API answer holds absolute addresses)
PREFIX = "public-page:v6:"
# Headers that belong to one response, never to a copy (the CSP middleware writes its own).
_PERSONAL = {"set-cookie", "vary", "content-security-policy"}
# A 304 carries the answer's headers but not those describing a body it does not have.
_BODY = {"content-type", "content-length"}
CSRF_FILL = "config.publiccache.csrf_token"
# The CSRF middleware's alphabet. A random byte under _UNIFORM is a uniform draw of one of its
# characters (_AS_CHAR); the bytes from _UNIFORM up are dropped, so no character is likelier.
_INDEX = {c: i for i, c in enumerate(CSRF_ALLOWED_CHARS)}
_UNIFORM = 256 - 256 % len(CSRF_ALLOWED_CHARS)
_AS_CHAR = bytes(
    ord(CSRF_ALLOWED_CHARS[b % len(CSRF_ALLOWED_CHARS)]) if b < _UNIFORM else 0 for b in range(256)
)
_DROPPED = bytes(range(_UNIFORM, 256))
# The tables each view's kept answer read last time, so that a hit asks for the copy and their
# versions at once. One entry per view name (a few dozen), shared by the process's threads.
_tables: dict[str, tuple[str, ...]] = {}


def is_public(view_name: str | None) -> bool:
    return (
        view_name in settings.PUBLIC_CACHED_PAGES
        or view_name in settings.PUBLIC_CACHED_API
        or view_name in settings.PUBLIC_VISITOR_PAGES
    )


def lifetime(view_name: str) -> int:
    """Seconds a kept copy may be served (0: never kept)."""
    if view_name in settings.PUBLIC_CACHED_PAGES or view_name in settings.PUBLIC_VISITOR_PAGES:
        return settings.PUBLIC_PAGE_CACHE_SECONDS
    return settings.DATA_CACHE_SECONDS


def not_modified(request, etag: str) -> bool:
    """Whether a GET or HEAD's If-None-Match already names `etag` (or any: "*")."""
    if request.method not in ("GET", "HEAD"):
        return False
    sent = parse_etags(request.headers.get("If-None-Match", ""))
    return etag in sent or "*" in sent


def prefetch_keys(request) -> list[str]:
    """The cache keys a hit for this request reads (its kept copy and the versions of the tables
    the view read last time), for the rate limit to read in its own round trip; none when the
    answer is not one kept here."""
    key = getattr(request, "_public_page_key", None)
    match = request.resolver_match
    if key is None:
        if request.method not in ("GET", "HEAD") or match is None or not is_public(
            match.view_name
        ) or not lifetime(match.view_name):
            return []
        day = timezone.localdate().isoformat()
        path = f"{day}|{request.scheme}://{request.get_host()}{request.get_full_path()}"
        key = request._public_page_key = PREFIX + hashlib.sha256(path.encode()).hexdigest()
    return entry_keys(key, _tables.get(match.view_name, ()))


def prefetched(request, found: dict) -> None:
    """The values at prefetch_keys(request), read by the rate limit (config/guards.py)."""
    if getattr(request, "_public_page_key", None):
        request._public_page_found = found


def per_visitor(request, value: str, fill: str) -> str:
    """`value`, written into the page being made, belongs to this visitor alone (a CSRF token, a
    form's signed timestamp): a kept copy is served with a fresh one in its place, from `fill`,
    the dotted path of a function of the request. Only for PUBLIC_VISITOR_PAGES."""
    request._public_fills = (*getattr(request, "_public_fills", ()), (value, fill))
    return value


def _random_chars(n: int) -> str:
    """`n` characters of the CSRF alphabet, uniformly, from the operating system's CSPRNG in one
    read (Django's get_random_string makes a system call for each character)."""
    out = b""
    while len(out) < n:
        out += secrets.token_bytes(n + 4).translate(_AS_CHAR, _DROPPED)
    return out[:n].decode()


def csrf_token(request) -> str:
    """What django.middleware.csrf.get_token(request) gives: the visitor's CSRF secret (a new one
    when they have none, which the CSRF middleware then sets as their cookie) masked afresh, in
    two reads of randomness instead of 64 (9 µs against 125 on the bench's machine). The contact
    form's kept copy makes one for every answer, mostly for visitors with no cookie yet."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = _random_chars(CSRF_SECRET_LENGTH)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # the middleware sends (renews) the cookie
    mask = _random_chars(CSRF_SECRET_LENGTH)
    n = len(CSRF_ALLOWED_CHARS)
    return mask + "".join(
        CSRF_ALLOWED_CHARS[(_INDEX[s] + _INDEX[m]) % n] for s, m in zip(secret, mask, strict=True)
    )


def _filled(request, content: bytes, fills) -> bytes:
    for value, fill in fills:
        content = content.replace(value.encode(), import_string(fill)(request).encode())
    return content


def _read_of(kept) -> dict[str, int]:
    return kept[4]


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            recorded = getattr(request, "_public_page_recording", False)
            read, wrote = end_recording() if recorded else ({}, True)
        key = getattr(request, "_public_page_key", None)
        hit = getattr(request, "_public_page_hit", False)
        if key and not hit and self._keepable(request, response):
            if recorded and not wrote:  # read may be empty: made from no table at all
                headers = [(k, v) for k, v in response.items() if k.lower() not in _PERSONAL]
                fills = getattr(request, "_public_fills", ())
                kept = (
                    response.content, headers, used_nonce(request), response.status_code, read,
                    fills,
                )
                cache.set(key, kept, lifetime(request.resolver_match.view_name))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        keys = prefetch_keys(request)
        if not keys:
            return None
        match = request.resolver_match
        kept, tables = current_entry(
            request._public_page_key, _read_of, _tables.get(match.view_name, ()),
            getattr(request, "_public_page_found", None),
        )
        if tables:
            _tables[match.view_name] = tables
        if kept is None:
            # Made afresh: record the tables the view reads (ended in __call__).
            begin_recording()
            request._public_page_recording = True
            return None
        request._public_page_hit = True
        return self._copy(request, kept)

    @staticmethod
    def _copy(request, kept):
        content, headers, nonce, status, _read, fills = kept
        etag = next((v for k, v in headers if k.lower() == "etag"), None)
        if etag and not_modified(request, etag):
            response = HttpResponseNotModified()
            headers = [(k, v) for k, v in headers if k.lower() not in _BODY]
        else:
            content = _filled(request, with_fresh_nonce(request, content, nonce), fills)
            response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response

    @staticmethod
    def _keepable(request, response) -> bool:
        # A page made with per-visitor parts sets the CSRF cookie (and so varies by it) when its
        # token is one of them: a hit calls csrf_token() again, and the cookie follows.
        fills = {fill for _value, fill in getattr(request, "_public_fills", ())}
        refilled = {settings.CSRF_COOKIE_NAME} if CSRF_FILL in fills else set()
        session = getattr(request, "session", None)
        return (
            # A page, or a redirect (a full postcode found goes straight to its team's page).
            response.status_code in (200, 302)
            and set(response.cookies) <= refilled
            and not response.streaming
            and ("Cookie" not in response.get("Vary", "") or (
                refilled and not (session is not None and session.accessed)
            ))
        )
