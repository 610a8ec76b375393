"""The public pages (no sign-in: find your team, a team's page) served from the cache before the
rest of the middleware: no session, CSRF, authentication or messages work for a page that is the
same for everyone. The first request for a URL goes through the whole stack and the view, which
renders it for an anonymous visitor (promises.public); the response is kept, headers and all,
for PUBLIC_PAGE_CACHE_SECONDS (the pages say how long browsers may keep them, too)."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve

PREFIX = "public-page:"
# Headers that belong to one response, never to a copy.
_PERSONAL = {"set-cookie", "vary"}


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not self._is_public(request.path_info):
            return self.get_response(request)
        key = PREFIX + request.get_full_path()
        kept = cache.get(key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            if "Cookie" not in response.get("Vary", ""):
                headers = [(k, v) for k, v in response.items() if k.lower() not in _PERSONAL]
                cache.set(key, (response.content, headers), settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _is_public(path: str) -> bool:
        try:
            match = resolve(path)
        except Resolver404:
            return False
        return match.view_name in settings.PUBLIC_CACHED_PAGES
