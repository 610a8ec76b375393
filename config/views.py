"""The home dashboard and the GOV.UK error pages. The dashboard's content comes from the panels
the apps register for "home" (config.panels)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from config import panels
from config.access import sees_all_boroughs


@login_required
def home(request):
    return render(
        request,
        "home.html",
        {
            "sees_all": sees_all_boroughs(request.user),
            "panels": panels.render("home", None, request),
        },
    )


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    # No request context: the database or session may be what failed.
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
