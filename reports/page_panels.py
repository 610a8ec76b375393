"""What reports puts in the menu and on pages (config.menu, config.panels): Grip and Pace and
the latest monthly reports on the senior team's home page, and the performance framework's link
on the BCU, borough and ward pages (on a ward, also to its one-page panel summary). Registered
in ReportsConfig.ready()."""

from django.urls import reverse

from config.access import Role
from reports.access import REPORT_READER_ROLES
from reports.models import MonthlyReport
from wards.models import Borough

# Who has Grip and Pace and the latest reports on their home page: the borough's senior team
# and HQ (an inspector reads them too, from the menu).
SENIOR_ROLES = frozenset({Role.CHIEF_INSPECTOR, Role.COMMANDER, Role.HQ})
# How many of the latest reports a home page lists.
SHOWN = 5


def register() -> None:
    from config import menu, panels

    menu.register("reports.grip_and_pace", "Grip and Pace", href=_grip_and_pace_href,
                  roles=REPORT_READER_ROLES, order=15)
    menu.register("reports.list", "Reports", url="reports:list", roles=REPORT_READER_ROLES,
                  order=50)
    panels.register("home", "reports.senior", template="reports/panels/home_senior.html",
                    context=senior, roles=SENIOR_ROLES, order=1)  # fmt: skip
    # After the borough's supervision panel (35); after the ward's (45); after the BCU's
    # boroughs (10).
    for page, order in (("bcu", 20), ("borough", 38), ("ward", 48)):
        panels.register(
            page, f"reports.performance_{page}", template=f"reports/panels/performance_{page}.html",
            context=link, order=order,
        )  # fmt: skip


def link(obj, request) -> dict:
    """The performance panels need nothing but the page's own object: no queries."""
    return {}


def _grip_and_pace_href(user, boroughs) -> str:
    """A single borough's Grip and Pace; for several (a commander, HQ), the home page's list of
    them."""
    if len(boroughs) == 1:
        return reverse("reports:grip_and_pace", args=[boroughs[0].code])
    return reverse("home") + "#grip-and-pace"


def senior(_, request) -> dict:
    """Each of the user's boroughs with its Grip and Pace link (every borough for HQ), and the
    latest reports. Two queries."""
    user = request.user
    return {
        "grip_boroughs": Borough.objects.for_user(user).order_by("name").only("code", "name"),
        "reports": MonthlyReport.objects.for_user(user).listed().select_related("borough")
        .order_by("-month", "-version", "-pk")[:SHOWN],
    }
