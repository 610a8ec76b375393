"""What victims puts in the menu and on borough staff's home page (config.menu, config.panels):
the visit offers past their deadline, most overdue first. Registered in VictimsConfig.ready()."""

from config.access import Role
from victims.models import VisitOffer

# How many overdue offers the home page lists; its count says how many in all.
SHOWN = 5


def register() -> None:
    from config import menu, panels

    menu.register("victims.index", "Victims", url="victims:index", order=35)
    panels.register(
        "home", "victims.overdue_offers", template="victims/panels/home_overdue.html",
        context=overdue_offers, roles={Role.STAFF}, order=1,
    )  # fmt: skip


def overdue_offers(_, request) -> dict:
    """Visit offers still not made after their deadline (VisitOffer.objects.overdue), by crime
    reference and ward only: no victim's details on a home page. Two queries."""
    # As on the work list: an offer whose victim's details were removed can no longer be made.
    offers = VisitOffer.objects.for_user(request.user).overdue().filter(
        victim__anonymised_at__isnull=True
    )
    return {
        "count": offers.count(),
        "offers": offers.select_related("victim__crime__ward").order_by("due_date", "pk")[:SHOWN],
    }
