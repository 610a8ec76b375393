"""The home dashboard and the GOV.UK error pages. The dashboard's content comes from the panels
the apps register for "home" (config.panels)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

from config import panels
from config.access import Role, sees_all_boroughs
from config.datacache import cached_page
from config.guards import is_api, not_found_response, problem


@login_required
@cached_page
def home(request):
    return render(
        request,
        "home.html",
        {
            "sees_all": sees_all_boroughs(request.user),
            "panels": panels.render("home", None, request),
        },
    )


def information(request, page):
    """The accessibility statement, privacy notice and cookies page, linked from every footer.
    Their figures come from the settings that decide them."""
    context = {
        "victim_retention_days": settings.VICTIM_DATA_RETENTION_DAYS,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }
    return render(request, f"information/{page}.html", context)


# The handlers Django calls when a view raises (DEBUG is off everywhere but `make dev`): a GOV.UK
# page, or the API's JSON error shape under /api/. Neither ever shows the URL patterns, the
# exception or a traceback.

def not_found(request, exception=None):
    return not_found_response(request)


# What each role can do instead, on the 403 page: who can make the change for them.
FORBIDDEN_ADVICE = {
    Role.STAFF: (
        "Borough staff record officers, duties, crimes and places. Decisions on flex requests "
        "are for an inspector of your borough: ask them."
    ),
    Role.SERGEANT: (
        "Sergeants raise flex requests and log their team's work. An inspector of your borough "
        "decides requests; borough staff keep the records of officers and crimes."
    ),
    Role.INSPECTOR: (
        "Inspectors decide flex requests for their own boroughs. A gap below minimum cover needs "
        "a chief inspector; records of crimes and victims are kept by borough staff."
    ),
    Role.CHIEF_INSPECTOR: (
        "Chief inspectors decide for their own boroughs only. Records of crimes and victims are "
        "kept by borough staff."
    ),
    Role.COMMANDER: (
        "Borough commanders read their boroughs' records and ask for reports, but do not change "
        "records. Ask the borough's staff, a sergeant or an inspector to make the change."
    ),
    Role.HQ: (
        "HQ reads every borough's records but does not change them. Ask the borough's staff, a "
        "sergeant or an inspector of that borough to make the change."
    ),
}
FORBIDDEN_DEFAULT = "Ask someone whose role allows it, in the borough the record belongs to."


def forbidden(request, exception=None):
    if is_api(request):
        return JsonResponse(
            {"detail": "You do not have permission to do this.", "code": "permission_denied"},
            status=403,
        )
    # The views' PermissionDenied messages are written for the person reading them.
    reason = str(exception or "")
    advice = FORBIDDEN_ADVICE.get(getattr(request.user, "role", None), FORBIDDEN_DEFAULT)
    return render(
        request, "errors/403.html", {"reason": reason, "advice": advice}, status=403
    )


def bad_request(request, exception=None):
    # Raised before a view could answer (a bad Host header, too many form fields…).
    return problem(
        request, 400, "The request could not be understood.", code="bad_request",
        title="There is a problem with the request",
    )


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW. Django's reason is for developers (and the log), not the
    person holding the phone."""
    return problem(
        request, 403,
        "The form was open too long or your browser did not send its cookie. Nothing was saved: "
        "go back, reload the page and send the form again.",
        code="csrf_failed", title="The form could not be sent",
    )


def server_error(request):
    if is_api(request):
        return JsonResponse(
            {"detail": "Sorry, there is a problem with the service.", "code": "server_error"},
            status=500,
        )
    # No request context: the database or session may be what failed.
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))


def bench_bare(request):
    """`make bench`'s yardstick: one query and a few bytes, through the same middleware as every
    page. Routed only when settings.BENCH_BARE_VIEW is on, which production refuses."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM wards_borough ORDER BY id LIMIT 1")
        (name,) = cursor.fetchone()
    return HttpResponse(name, content_type="text/plain; charset=utf-8")
