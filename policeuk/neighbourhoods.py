"""The force, its neighbourhoods (one per ward: the ward's code plus N) and what each ward team
publishes, in data.police.uk's shapes.

Only public data goes out: the ward's name, centre, boundary and population; the team's public
email and phone; the names and ranks of the officers posted to it today who have not opted out
(`Officer.publish`; never shoulder numbers, accounts or emails); its open priorities and its
events from today on. Nothing of victims, CAD or deployment is read here."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404
from django.utils import timezone
from django.utils.html import linebreaks
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from demand.models import WardPopulation
from policeuk import geometry
from policeuk.models import SeniorOfficer
from promises.models import EngagementEvent, WardPriority
from teams.models import RANK_ORDER, Posting, Rank
from wards.models import Ward

FORCE_ID = "metropolitan"
FORCE_NAME = "Metropolitan Police Service"
# The Met's public details, as data.police.uk publishes them for `forces/metropolitan`.
FORCE = {
    "description": "<p>The Metropolitan Police Service polices the 32 London boroughs.</p>",
    "url": "https://www.met.police.uk/",
    "engagement_methods": [],
    "telephone": "101",
    "id": FORCE_ID,
    "name": FORCE_NAME,
}
SUFFIX = "N"
# The ward boundaries are simplified (about 100 m): a point this close to a ward but outside
# every polygon is still answered with the nearest ward.
LOCATE_FALLBACK_M = 250


def check_force(force: str) -> None:
    if force != FORCE_ID:
        raise Http404("No such force.")


def local_text(moment: datetime.datetime | None) -> str | None:
    """data.police.uk's date: London time, no zone, `YYYY-MM-DDTHH:MM:SS`."""
    if moment is None:
        return None
    try:
        moment = timezone.localtime(moment)
    except OverflowError:  # within a day of year 1 or 9999: London's offset leaves the range
        moment = moment.astimezone(datetime.UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


def ward_of(force: str, neighbourhood: str) -> Ward:
    check_force(force)
    code = neighbourhood[: -len(SUFFIX)] if neighbourhood.endswith(SUFFIX) else None
    wards = Ward.objects.select_related("borough", "team")
    ward = wards.filter(code=code).first() if code else None
    if ward is None:
        raise Http404("No such neighbourhood.")
    return ward


def senior_officers() -> list[dict]:
    return [
        {"name": o.name, "rank": o.rank, "bio": o.bio or None, "contact_details": o.contact_details}
        for o in SeniorOfficer.objects.all()
    ]


def neighbourhoods() -> list[dict]:
    wards = Ward.objects.order_by("name", "code").values_list("code", "name")
    return [{"id": code + SUFFIX, "name": name} for code, name in wards]


def _team_contact(ward: Ward) -> dict:
    team = getattr(ward, "team", None)
    if team is None:
        return {}
    methods = {"email": team.email, "telephone": team.phone}
    return {key: value for key, value in methods.items() if value}


def neighbourhood(ward: Ward, team_url: str) -> dict:
    population = WardPopulation.objects.filter(ward=ward).values_list("residents", flat=True)
    return {
        "url_force": team_url,
        "contact_details": _team_contact(ward),
        "name": ward.name,
        "links": [],
        "centre": {"latitude": str(ward.centroid_lat), "longitude": str(ward.centroid_lng)},
        "locations": [],
        "description": f"<p>The {ward.name} ward of {ward.borough.name}.</p>",
        "id": ward.code + SUFFIX,
        "population": str(population.first() or 0),
    }


def boundary(ward: Ward) -> list[dict]:
    """The outline of the ward's largest part (a client passes it back as `poly`: one ring)."""
    if not ward.boundary:
        return []
    outline = shape(ward.boundary)
    parts = getattr(outline, "geoms", [outline])
    largest = max(parts, key=lambda p: p.area)
    return [{"latitude": str(lat), "longitude": str(lng)} for lng, lat in largest.exterior.coords]


def _rank(officer) -> str:
    if officer.is_detective and officer.rank == Rank.PC:
        return "Detective Constable"
    name = officer.get_rank_display()
    return f"Detective {name}" if officer.is_detective else name


def people(ward: Ward) -> list[dict]:
    """The ward team's officers today, most senior first, unless they opted out."""
    postings = (
        Posting.objects.current()
        .filter(team__ward=ward, officer__active=True, officer__publish=True)
        .select_related("officer")
    )
    officers = {p.officer.pk: p.officer for p in postings}.values()
    ordered = sorted(officers, key=lambda o: (-RANK_ORDER.index(o.rank), o.last_name, o.pk))
    return [
        {"name": o.full_name, "rank": _rank(o), "bio": None, "contact_details": {}}
        for o in ordered
    ]


def _event_contact(event, team_contact: dict) -> dict:
    try:
        validate_email(event.contact)
        return {"email": event.contact}
    except ValidationError:
        return team_contact


def events(ward: Ward) -> list[dict]:
    """Events that have not ended before today (London): EngagementEvent.objects.upcoming."""
    contact = _team_contact(ward)
    return [
        {
            "contact_details": _event_contact(e, contact),
            "description": e.description or None,
            "title": e.title,
            "address": e.address,
            "type": e.kind,
            "start_date": local_text(e.starts_at),
            "end_date": local_text(e.ends_at),
        }
        for e in EngagementEvent.objects.upcoming().filter(ward=ward)
    ]


def priorities(ward: Ward) -> list[dict]:
    """Open priorities. `issue` is plain text here and HTML at data.police.uk: it is escaped;
    `action` is HTML already sanitised when saved (promises.services)."""
    return [
        {
            "action": p.action or None,
            "issue-date": local_text(p.issue_date),
            "action-date": local_text(p.action_date),
            "issue": linebreaks(p.issue, autoescape=True),
        }
        for p in WardPriority.objects.filter(ward=ward).open()
    ]


def _nearest(lat: float, lng: float, radius_m: float) -> Ward | None:
    dlat, dlng = geometry.degrees_around(lat, radius_m)
    candidates = Ward.objects.filter(
        bbox_south__lte=lat + dlat, bbox_north__gte=lat - dlat,
        bbox_west__lte=lng + dlng, bbox_east__gte=lng - dlng,
    ).exclude(boundary__isnull=True)
    best, best_m = None, radius_m
    point = Point(lng, lat)
    for ward in candidates.order_by("code"):
        near = nearest_points(shape(ward.boundary), point)[0]
        distance = geometry.metres(lat, lng, near.y, near.x)
        if distance <= best_m:
            best, best_m = ward, distance
    return best


def locate(lat: float, lng: float) -> dict:
    """The ward containing the point; else the nearest within LOCATE_FALLBACK_M; else 404."""
    inside = sorted(Ward.objects.containing(lat, lng), key=lambda w: w.code)
    ward = inside[0] if inside else _nearest(lat, lng, LOCATE_FALLBACK_M)
    if ward is None:
        raise Http404("No neighbourhood contains that point.")
    return {"force": FORCE_ID, "neighbourhood": ward.code + SUFFIX}
