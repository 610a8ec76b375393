"""The public pages: no login. "Find your neighbourhood team" and a team's page.

Public means: ward and borough names, the team's public email and phone, officers' names and
ranks (never shoulder numbers, user accounts or emails), open priorities, this month's promises
with their delivery figures (never activity notes, officers' names on activities or who logged
them), and upcoming events. Pages render with an anonymous user and no messages, so nothing of a
signed-in visitor's session leaks into a cached copy."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from promises.delivery import deliveries
from promises.forms import FindForm, LocationForm
from promises.models import EngagementEvent, Promise, WardPriority
from promises.wording import in_plain_words
from teams.models import RANK_ORDER, Posting
from wards.models import Ward
from wards.page_panels import outline_map
from wards.postcodes import (
    LocationNotFound,
    PostcodeNotFound,
    locate,
    parse_postcode,
    postcode_lookup,
)
from wards.search import MAX_RESULTS, wards_named

PUBLIC = {"user": AnonymousUser(), "messages": ()}
NEXT_EVENTS = 10
POSTCODE_COLUMNS = ("Ward", "Borough", "Postcodes")


def _public_render(request, template, context, status=200):
    return render(request, template, {**PUBLIC, **context}, status=status)


# A POST from the public find page carries only the browser's location, read and forgotten: it
# changes nothing, so there is nothing for a forged request to do, and the page (the same for
# everyone, served from the cache) cannot carry a per-visitor CSRF token. POST keeps the location
# out of addresses, logs and browser history.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def find(request):
    """Find your neighbourhood team by postcode (full: straight to the team; partial: the wards
    it spans), by a ward's or borough's name (typos allowed), or by the browser's location."""
    if request.method == "POST":
        return _find_by_location(request)
    form = FindForm(request.GET if "q" in request.GET else None)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        q = form.cleaned_data["q"]
        if parse_postcode(q) is None:
            context["wards"] = wards_named(q)
            context["max_results"] = MAX_RESULTS
        else:
            try:
                match = postcode_lookup(q)
            except PostcodeNotFound as exc:
                context["postcode_not_found"] = exc.postcode
            else:
                if match.ward is not None:
                    return redirect("promises:public_team", code=match.ward.code)
                context.update(postcode_match=match, postcode_columns=POSTCODE_COLUMNS)
    return _public_render(request, "promises/public/find.html", context)


def _find_by_location(request):
    location_form = LocationForm(request.POST)
    context = {"form": FindForm(), "location_form": location_form}
    if location_form.is_valid():
        try:
            location = locate(location_form.cleaned_data["lat"], location_form.cleaned_data["lng"])
        except LocationNotFound:
            context["location_not_found"] = True
        else:
            if location.ward is not None:
                return redirect("promises:public_team", code=location.ward.code)
            context["location_in_city"] = True
    return _public_render(request, "promises/public/find.html", context)


# Kept by config.publiccache until a table it read changes (not Django's cache_page, which
# would keep it for a fixed time whatever changed); browsers may keep it this long.
@cache_control(public=True, max_age=settings.PROMISES_PUBLIC_CACHE_SECONDS)
def team(request, code):
    """A ward team's public page: contact, officers (those who publish), priorities, this
    period's promises in plain words, the next events, and the ward on a map."""
    if "\x00" in code:
        raise Http404("No ward found.")
    ward = (
        Ward.objects.select_related("borough", "team", "cluster__inpt")
        .filter(code=code)
        .first()
    )
    if ward is None:
        raise Http404("No ward found.")
    team = getattr(ward, "team", None)
    promises = (
        Promise.objects.filter(start__lte=timezone.localdate())
        .exclude(end__lt=timezone.localdate())
        .select_related("team")
    )
    promises = promises.of_ward(ward)
    delivered = sorted(deliveries(promises), key=lambda d: d.promise.title)
    return _public_render(
        request,
        "promises/public/team.html",
        {
            "ward": ward,
            "team": team,
            "officers": _officers(team),
            "priorities": WardPriority.objects.filter(ward=ward).open(),
            "deliveries": delivered,
            "promises_in_words": [(d, in_plain_words(d)) for d in delivered],
            "events": EngagementEvent.objects.upcoming().filter(ward=ward)[:NEXT_EVENTS],
            "map_label": f"Map of {ward.name} ward",
            **outline_map(ward),
        },
    )


def _officers(team):
    """Name and rank of each officer posted to the team today, most senior first; never one
    who opted out of being published (Officer.publish, as data.police.uk's people)."""
    if team is None:
        return []
    postings = (
        Posting.objects.current()
        .filter(team=team, officer__active=True, officer__publish=True)
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
