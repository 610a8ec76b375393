"""What promises puts in the menu and on the home page of those who do the work (config.menu,
config.panels): "Log an activity", one tap from home, and the promises at risk of their wards.
Registered in PromisesConfig.ready()."""

from django.urls import reverse

from config.access import Role, is_constable
from config.timeutils import today
from promises.delivery import AT_RISK, MISSED, deliveries
from promises.models import Promise
from promises.services import ACTIVITY_LOGGER_ROLES
from teams.authority import own_ward, own_ward_ids

# Who has the log and their promises at risk on their home page: those who patrol.
FIELD_ROLES = frozenset({Role.SERGEANT, Role.CONSTABLE})
# How many promises at risk a home page lists.
SHOWN = 5


def register() -> None:
    from config import menu, panels

    menu.register("promises.log", "Log activity", url="promises:activity_log",
                  roles=ACTIVITY_LOGGER_ROLES, order=5)
    menu.register("promises.own_ward", "Your ward's promises", href=_own_ward_href,
                  roles={Role.CONSTABLE}, order=14)
    menu.register("promises.list", "Promises", url="promises:promise_list", order=30)
    panels.register("home", "promises.log", template="promises/panels/home_log.html",
                    context=lambda _, request: {}, roles=FIELD_ROLES, order=0)
    panels.register("home", "promises.at_risk", template="promises/panels/home_at_risk.html",
                    context=at_risk, roles=FIELD_ROLES, order=4)  # fmt: skip


def _own_ward_href(user, _boroughs) -> str | None:
    ward = own_ward(user)
    return reverse("promises:ward_delivery", args=[ward.code]) if ward else None


def at_risk(_, request) -> dict:
    """The running promises of the user's own wards (their boroughs' when their login is not
    linked to a posted officer; a constable's own wards only) that are missed or at risk, worst
    first (promises.delivery). A fixed number of queries."""
    user = request.user
    on = today()
    promises = Promise.objects.for_user(user).filter(start__lte=on).exclude(end__lt=on)
    wards = own_ward_ids(user)
    if wards or is_constable(user):
        promises = promises.of_wards(wards)
    found = [
        d for d in deliveries(promises.select_related("ward", "team", "borough"), on)
        if d.status in (AT_RISK, MISSED)
    ]
    return {"deliveries": found[:SHOWN], "count": len(found), "own_wards": bool(wards)}
