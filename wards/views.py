"""Pages for London's policing geography: a BCU, a borough and a ward. Everything is fetched
through the user's borough scope, so an outsider gets 404.

Most of what these pages show belongs to higher apps (officers and cover, deployment, promises):
they come as panels that those apps register (config.panels), so these pages import none of
them."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from config import panels
from config.access import get_for_user
from config.datacache import cached_page
from wards.models import Borough, Ward


@login_required
@cached_page
def bcu(request, code):
    boroughs = list(
        Borough.objects.for_user(request.user)
        .filter(bcu__code=code)
        .select_related("bcu")
        .order_by("name")
    )
    if not boroughs:
        raise Http404("No BCU found.")
    bcu = boroughs[0].bcu
    bcu.visible_boroughs = boroughs
    return render(
        request, "wards/bcu.html", {"bcu": bcu, "panels": panels.render("bcu", bcu, request)}
    )


@login_required
@cached_page
def borough(request, code):
    queryset = panels.select("borough", Borough.objects.select_related("bcu"))
    borough = get_for_user(queryset, request.user, code=code)
    return render(
        request,
        "wards/borough.html",
        {"borough": borough, "panels": panels.render("borough", borough, request)},
    )


@login_required
@cached_page
def ward(request, code):
    queryset = panels.select("ward", Ward.objects.select_related("borough__bcu", "cluster"))
    ward = get_for_user(queryset, request.user, code=code)
    return render(
        request, "wards/ward.html", {"ward": ward, "panels": panels.render("ward", ward, request)}
    )

