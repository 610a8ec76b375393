"""The demand profile page: CAD demand by hour of day × day of week as a heatmap and a table,
beside SN officer-hours on duty in the same hours, and its CSV."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from config.errors import DomainError
from config.listing import csv_response
from demand.selectors import freshness, selection
from planning import profile
from planning.areas import area_for
from planning.filters import ProfileFilter
from wards.models import Borough, Ward, WardCluster

HEAT_CLASSES = 5
PROFILE_CSV_COLUMNS = (
    "area", "weekday", "day", "hour", "calls", "asb_calls", "sn_officer_minutes",
    "sn_officer_hours", "high_demand_low_cover",
)  # fmt: skip


def _profile(request):
    filterset = ProfileFilter(
        request.GET or None, queryset=Ward.objects.for_user(request.user), request=request
    )
    if not request.GET or not filterset.is_valid():
        return filterset, None, None
    data = filterset.form.cleaned_data
    try:
        area = area_for(
            request.user,
            ward=data.get("ward"),
            cluster=data.get("cluster"),
            borough=data.get("borough"),
        )
        sel = selection(data.get("month_from"), data.get("month_to"), kind="cad")
    except DomainError as exc:
        filterset.form.add_error(exc.field, exc.message)
        return filterset, None, None
    return filterset, profile.build(area.label, area.ward_ids, sel), area


def heat(values, index) -> int:
    """0 (none) to HEAT_CLASSES: the value's class against the week's busiest hour."""
    top = max(values) or 1
    value = values[index]
    return 0 if value <= 0 else min(HEAT_CLASSES, 1 + (value * HEAT_CLASSES - 1) // top)


def _grid(prof):
    """Seven rows (days) of 24 cells each, for the heatmaps and the table."""
    cells = list(prof.cells())
    for cell in cells:
        slot = cell["weekday"] * 24 + cell["hour"]
        cell["calls_heat"] = heat(prof.calls, slot)
        cell["sn_heat"] = heat(prof.on_duty, slot)
    return [{"day": profile.DAYS[d], "cells": cells[d * 24 : (d + 1) * 24]} for d in range(7)]


@login_required
def profile_page(request):
    filterset, prof, area = _profile(request)
    user = request.user
    context = {
        "form": filterset.form,
        "boroughs": Borough.objects.for_user(user).order_by("name"),
        "clusters": WardCluster.objects.for_user(user).select_related("borough"),
        "wards": Ward.objects.for_user(user)
        .select_related("borough")
        .order_by("borough__name", "name")
        .only("code", "name", "borough__name"),
        "query": request.GET.urlencode(),
        "freshness": freshness(),
    }
    if prof is not None:
        context.update(
            profile=prof,
            area=area,
            grid=_grid(prof),
            hours=range(24),
            totals=prof.totals(),
            evenings=prof.evenings,
            weekends=prof.weekends,
        )
    return render(request, "planning/profile.html", context)


@login_required
def profile_csv(request):
    filterset, prof, area = _profile(request)
    if prof is None:
        errors = filterset.form.errors.as_text() or "Choose a ward, a cluster or a borough."
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    name = f"profile_{area.key}_{prof.selection.first:%Y-%m}_{prof.selection.last:%Y-%m}.csv"
    # Through the one CSV helper: the area's name is typed by people (a cluster's name), and a
    # cell that starts a formula must reach the spreadsheet as text.
    return csv_response(name, PROFILE_CSV_COLUMNS, prof.cells(), lambda cell: [
        area.name, cell["weekday"], cell["day"], cell["hour"], cell["calls"],
        cell["asb_calls"], cell["sn_officer_minutes"], cell["sn_officer_hours"],
        "yes" if cell["high_demand_low_cover"] else "no",
    ])  # fmt: skip
