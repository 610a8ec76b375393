"""What every request passes before a view sees it. One middleware, three checks, in this order:

1. the rate limit of endpoints anyone may call without signing in (429 with Retry-After);
2. no NUL character in the address (a path: 404; a query parameter: 400), which PostgreSQL
   cannot store or compare, so no view, filter or lookup ever meets one;
3. the request body's size, by kind of endpoint, whatever its content type (413).
MethodNotAllowedPageMiddleware, last in the list, turns a page's bare 405 into a GOV.UK page.

Which endpoints are limited, and how far, is declared once in config/settings/security.py
(RATE_LIMITS and RATE_LIMITED_ENDPOINTS, REQUEST_BODY_LIMITS and IMPORT_ENDPOINTS), by URL name.
The API answers in its JSON error shape, pages with a GOV.UK page."""

import math

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from config import publiccache, ratelimit

MB = 1024 * 1024
API_PREFIX = "/api/"


def body_limit(view_name: str | None) -> int:
    """The largest body, in bytes, that the endpoint named `view_name` accepts."""
    kind = "import" if view_name in settings.IMPORT_ENDPOINTS else "default"
    return settings.REQUEST_BODY_LIMITS[kind]


def describe_size(size: int) -> str:
    return f"{size // MB} MB" if size >= MB else f"{math.ceil(size / 1024)} KB"


def is_api(request) -> bool:
    """Whether the request is for the API (answered in JSON) rather than a page."""
    return request.path_info.startswith(API_PREFIX)


def problem(request, status: int, message: str, *, code: str, title: str, headers=None):
    """An error answer: the API's `{"detail", "code"}` or a GOV.UK page with an error summary."""
    if is_api(request):
        response = JsonResponse({"detail": message, "code": code}, status=status)
    else:
        context = {"title": title, "message": message}
        response = render(request, "errors/problem.html", context, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def not_found_response(request):
    if is_api(request):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return render(request, "errors/404.html", status=404)


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_name = request.resolver_match.view_name
        return (
            self.rate_limited(request, view_name)
            or self.nul_in_address(request)
            or self.body_too_large(request, view_name)
        )

    @staticmethod
    def rate_limited(request, view_name):
        scope = settings.RATE_LIMITED_ENDPOINTS.get(view_name)
        if scope is None:
            return None
        # A sliding window per client address (config/ratelimit.py), its rate read when the
        # request comes so a changed setting takes effect at once. The public cache's kept copy
        # comes in the same round trip to Redis (config/publiccache.py).
        also = publiccache.prefetch_keys(request)
        wait, found = ratelimit.hit(request, scope, settings.RATE_LIMITS[scope], also)
        if wait is None:
            publiccache.prefetched(request, found)
            return None
        wait = max(1, math.ceil(wait))
        return problem(
            request, 429, f"Too many requests. Try again in {wait} seconds.",
            code="throttled", title="Too many requests", headers={"Retry-After": str(wait)},
        )

    @staticmethod
    def nul_in_address(request):
        if "\x00" in request.path_info:
            return not_found_response(request)
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            return problem(
                request, 400, "The address contains a NUL character, which is never valid.",
                code="invalid", title="There is a problem with the address",
            )
        return None

    @staticmethod
    def body_too_large(request, view_name):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return problem(
                request, 400, "The Content-Length header is not a number.",
                code="invalid", title="There is a problem with the request",
            )
        limit = body_limit(view_name)
        if length <= limit:
            return None
        message = (
            f"The request is {describe_size(length)}: the most this accepts is "
            f"{describe_size(limit)}."
        )
        if view_name in settings.IMPORT_ENDPOINTS:
            message += " Split the file into smaller ones."
        return problem(
            request, 413, message, code="too_large", title="The file or form is too large"
        )


class MethodNotAllowedPageMiddleware:
    """Django's 405 is empty: a blank screen for a person who followed a link (an old bookmark,
    a shared address) to an address that only takes a form. A page gets a GOV.UK page with a way
    home instead; the API keeps DRF's JSON. Last in settings.MIDDLEWARE, so the middleware above
    it (headers, CSRF cookie) treat the new answer as any other."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or is_api(request):
            return response
        return problem(
            request, 405, "This address only takes a form sent from its page.",
            code="method_not_allowed", title="This page cannot be opened from a link",
            headers={"Allow": response.get("Allow", "")},
        )
