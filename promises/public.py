"""The public pages: no login. "Find your neighbourhood team" and a team's page.

Public means: ward and borough names, the team's public email and phone, officers' names and
ranks (never shoulder numbers, user accounts or emails), open priorities, this month's promises
with their delivery figures (never activity notes, officers' names on activities or who logged
them), and upcoming events. Pages render with an anonymous user and no messages, so nothing of a
signed-in visitor's session leaks into a cached copy."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control, cache_page

from promises.delivery import deliveries
from promises.forms import FindForm
from promises.models import EngagementEvent, Promise, WardPriority
from teams.models import RANK_ORDER, Posting
from wards.models import Ward

MAX_RESULTS = 40
PUBLIC = {"user": AnonymousUser(), "messages": ()}


def _public_render(request, template, context, status=200):
    return render(request, template, {**PUBLIC, **context}, status=status)


def find(request):
    form = FindForm(request.GET or None)
    wards, searched, not_found = [], False, False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("lat") is not None:
            found = Ward.objects.containing(data["lat"], data["lng"])
            if found:
                return redirect("promises:public_team", code=found[0].code)
            not_found = True
        elif data.get("q", "").strip():
            searched = True
            q = data["q"].strip()
            wards = list(
                Ward.objects.filter(Q(name__icontains=q) | Q(borough__name__icontains=q))
                .select_related("borough")
                .defer("boundary")
                .order_by("borough__name", "name")[:MAX_RESULTS]
            )
    return _public_render(
        request,
        "promises/public/find.html",
        {
            "form": form,
            "wards": wards,
            "searched": searched,
            "not_found": not_found,
            "max_results": MAX_RESULTS,
        },
    )


@cache_control(public=True, max_age=settings.PROMISES_PUBLIC_CACHE_SECONDS)
@cache_page(settings.PROMISES_PUBLIC_CACHE_SECONDS, key_prefix="public-team")
def team(request, code):
    if "\x00" in code:
        raise Http404("No ward found.")
    ward = (
        Ward.objects.select_related("borough", "team", "cluster__inpt")
        .defer("boundary")
        .filter(code=code)
        .first()
    )
    if ward is None:
        raise Http404("No ward found.")
    team = getattr(ward, "team", None)
    now = timezone.now()
    promises = (
        Promise.objects.filter(start__lte=timezone.localdate())
        .exclude(end__lt=timezone.localdate())
        .select_related("team")
    )
    promises = promises.of_ward(ward)
    return _public_render(
        request,
        "promises/public/team.html",
        {
            "ward": ward,
            "team": team,
            "officers": _officers(team),
            "priorities": WardPriority.objects.filter(ward=ward).open(),
            "deliveries": sorted(deliveries(promises), key=lambda d: d.promise.title),
            "events": EngagementEvent.objects.filter(ward=ward, ends_at__gte=now)[:10],
        },
    )


def _officers(team):
    """Name and rank of each officer posted to the team today, most senior first."""
    if team is None:
        return []
    postings = (
        Posting.objects.current()
        .filter(team=team, officer__active=True)
        .select_related("officer")
        .order_by("officer__last_name")
    )
    seen, officers = set(), []
    for posting in postings:
        officer = posting.officer
        if officer.pk not in seen:
            seen.add(officer.pk)
            officers.append(
                {
                    "name": officer.full_name,
                    "rank": officer.get_rank_display(),
                    "order": -RANK_ORDER.index(officer.rank),
                }
            )
    return sorted(officers, key=lambda o: (o["order"], o["name"]))
