"""What deployment puts in the menu and on each role's home page (config.menu, config.panels):
an inspector's decisions waiting and reviews due, a sergeant's own flex requests, staff's recent
recording with the ways to record, a constable's own duties. Registered in
DeploymentConfig.ready(). Each panel reads a fixed number of rows, whatever the borough."""

import datetime

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from config import datacache
from config.access import EDITOR_ROLES, Role
from deployment.flex_permissions import DECIDER_ROLES, REQUESTER_ROLES
from deployment.models import Abstraction, Duty, FlexChange, FlexRequest, FlexStatus

# How many rows a home panel lists; its count says how many there are in all.
SHOWN = 5
# What "recent" recording is on staff's home page.
RECENT_DAYS = 7
# A sergeant's requests still going somewhere, most in need of them first.
OPEN_STATUSES = (FlexStatus.DRAFT, FlexStatus.SUBMITTED, FlexStatus.APPROVED, FlexStatus.ACTIVE)


def register() -> None:
    from config import menu, panels

    menu.register("deployment.queue", "Decisions", url="deployment:flex_queue",
                  roles=DECIDER_ROLES, order=10)
    menu.register("deployment.own_duties", "Your duties", href=_own_duties_href,
                  roles={Role.CONSTABLE}, order=12)
    menu.register("deployment.flexes", "Flex requests", url="deployment:flex_list", order=25)
    for order, (name, text) in enumerate(RECORDING_LINKS, start=40):
        menu.register(name, text, url=name, roles={Role.STAFF}, order=order)

    for name, context, roles, order in (
        ("decisions", decisions, DECIDER_ROLES, 1),
        ("recording", recording, {Role.STAFF}, 2),
        ("flexes", own_flexes, {Role.SERGEANT}, 3),
        ("duties", own_duties, {Role.CONSTABLE}, 3),
    ):
        panels.register("home", f"deployment.{name}", context=context, roles=roles, order=order,
                        template=f"deployment/panels/home_{name}.html")


# The pages borough staff record with, by URL name, in the menu and on their home page.
RECORDING_LINKS = (
    ("deployment:duty_new", "Record duty"),
    ("deployment:abstraction_new", "Record abstraction"),
    ("deployment:roster_import", "Upload roster"),
)
# On the home page only (the menu keeps to the three above: it must fit a phone's header).
HOME_ONLY_RECORDING_LINKS = (("deployment:rest_day_new", "Record rest days"),)


def _own_duties_href(user, _boroughs) -> str | None:
    officer = user.officer if user.officer_id else None
    return reverse("deployment:officer_month", args=[officer.shoulder_number]) if officer else None


def decisions(_, request) -> dict:
    """What waits for an inspector in their boroughs: requests to decide (oldest first), changes
    to decide and reviews due (FlexRequest.objects.reviews_due, the queue's own rule). Two
    queries."""
    flexes = FlexRequest.objects.for_user(request.user)
    reviews = FlexRequest.objects.reviews_due(timezone.localdate()).values("pk")
    changing = FlexChange.objects.filter(status=FlexChange.Status.PROPOSED).values(
        "flex_request_id"
    )
    counts = flexes.aggregate(
        waiting=Count("pk", filter=Q(status=FlexStatus.SUBMITTED)),
        changes=Count("pk", filter=Q(status=FlexStatus.ACTIVE, pk__in=changing)),
        reviews=Count("pk", filter=Q(pk__in=reviews)),
    )
    oldest = (
        flexes.filter(status=FlexStatus.SUBMITTED)
        .select_related("to_ward", "borough")
        .order_by("submitted_at", "pk")[:SHOWN]
    )
    return {**counts, "total": sum(counts.values()), "oldest": oldest}


def own_flexes(_, request) -> dict:
    """The sergeant's own requests still open: submitted first (waiting on someone), then
    drafts, approved and active, each soonest-starting first. One query."""
    user = request.user
    rank = {status: n for n, status in enumerate(OPEN_STATUSES)}
    rank[FlexStatus.SUBMITTED], rank[FlexStatus.DRAFT] = -1, 0
    flexes = sorted(
        FlexRequest.objects.for_user(user)
        .filter(requested_by=user, status__in=OPEN_STATUSES)
        .select_related("to_ward"),
        key=lambda flex: (rank[flex.status], flex.start_date, flex.pk),
    )
    return {"flexes": flexes[:SHOWN], "count": len(flexes),
            "may_raise": user.role in REQUESTER_ROLES}


def recording(_, request) -> dict:
    """What the staff member recorded in the last RECENT_DAYS days, and the ways to record.
    Two queries."""
    user = request.user
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    duties = Duty.objects.for_user(user).filter(recorded_by=user, recorded_at__gte=since)
    abstractions = Abstraction.objects.for_user(user).filter(
        recorded_by=user, recorded_at__gte=since
    )
    return {
        "duties": _recent_count(duties),
        "abstractions": _recent_count(abstractions),
        "days": RECENT_DAYS,
        "links": [
            (reverse(name), text)
            for name, text in RECORDING_LINKS + HOME_ONLY_RECORDING_LINKS
        ],
        "may_record": user.role in EDITOR_ROLES,
    }


def _recent_count(recorded) -> int:
    """How many were recorded in the last RECENT_DAYS days. One query. The count falls when the
    oldest of them passes out of the window: a kept home page (config.datacache) is made again
    then."""
    found = recorded.aggregate(n=Count("pk"), oldest=Min("recorded_at"))
    if found["oldest"] is not None:
        datacache.changes_at(found["oldest"] + datetime.timedelta(days=RECENT_DAYS))
    return found["n"]


def own_duties(_, request) -> dict | None:
    """The constable's next duties, from now. One query (two with the officer)."""
    user = request.user
    if not user.officer_id:
        return None
    upcoming = list(
        Duty.objects.for_user(user)
        .filter(officer_id=user.officer_id, ends_at__gte=timezone.now())
        .select_related("worked_ward")
        .order_by("starts_at")[:SHOWN]
    )
    if upcoming:  # a kept home page (config.datacache) is made again when the first one ends
        datacache.changes_at(min(duty.ends_at for duty in upcoming))
    return {"duties": upcoming, "month_href": _own_duties_href(user, None)}
