"""The public pages (no sign-in: find your team, a team's page) served from the cache without
running their view, or the CSRF, authentication and messages work a page that is the same for
everyone does not need. The rate limits (config/guards.py, also at the view) still count every
request. The first request for a URL renders the page for an anonymous visitor (promises.public);
the response is kept, headers and all, with the versions of the tables its queries read
(config.datacache), and served again only while none of them has been written to, on the same
London day (a page says "this month" and lists events from today), and for at most
PUBLIC_PAGE_CACHE_SECONDS (the pages tell browsers the same): a new promise, activity, event,
priority or posting shows at once."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from config.datacache import (
    begin_recording,
    end_recording,
    still_current,
    used_nonce,
    with_fresh_nonce,
)

PREFIX = "public-page:v3:"  # v3: kept with the versions of the tables it read
# Headers that belong to one response, never to a copy (the CSP middleware writes its own).
_PERSONAL = {"set-cookie", "vary", "content-security-policy"}


def is_public(view_name: str | None) -> bool:
    return view_name in settings.PUBLIC_CACHED_PAGES


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
        if key and not getattr(request, "_public_page_hit", False) and self._keepable(response):
            if read and not wrote:
                headers = [(k, v) for k, v in response.items() if k.lower() not in _PERSONAL]
                kept = (response.content, headers, used_nonce(request), response.status_code, read)
                cache.set(key, kept, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method not in ("GET", "HEAD") or match is None or not is_public(
            match.view_name
        ):
            return None
        day = timezone.localdate().isoformat()
        path = f"{day}|{request.get_full_path()}".encode()
        request._public_page_key = PREFIX + hashlib.sha256(path).hexdigest()
        kept = cache.get(request._public_page_key)
        if kept is None or not still_current(kept[4]):
            # Made afresh: record the tables the view reads (ended in __call__).
            begin_recording()
            request._public_page_recording = True
            return None
        request._public_page_hit = True
        content, headers, nonce, status, _read = kept
        response = HttpResponse(with_fresh_nonce(request, content, nonce), status=status)
        for name, value in headers:
            response[name] = value
        return response

    @staticmethod
    def _keepable(response) -> bool:
        return (
            # A page, or a redirect (a full postcode found goes straight to its team's page).
            response.status_code in (200, 302)
            and not response.cookies
            and not response.streaming
            and "Cookie" not in response.get("Vary", "")
        )
