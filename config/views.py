"""The home dashboard and the GOV.UK error pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from wards.access import sees_all_boroughs
from wards.models import Borough
from wards.views import BOROUGH_COLUMNS, boroughs_with_cover


@login_required
def home(request):
    """The user's boroughs grouped by BCU (every borough for HQ and admins), each with how many
    of its wards are below minimum dedicated cover today."""
    boroughs = list(
        Borough.objects.for_user(request.user).select_related("bcu").order_by("bcu__name", "name")
    )
    return render(
        request,
        "home.html",
        {
            "boroughs": boroughs_with_cover(request.user, boroughs),
            "sees_all": sees_all_boroughs(request.user),
            "min_pcs": settings.WARD_MIN_DEDICATED_PCS,
            "min_pcsos": settings.WARD_MIN_DEDICATED_PCSOS,
            "columns": BOROUGH_COLUMNS,
        },
    )


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    # No request context: the database or session may be what failed.
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
