"""The performance framework's panels on the BCU, borough and ward pages: a link to the level's
performance (and, on a ward, to its one-page panel summary). No queries."""

from config import panels


def link(obj, request) -> dict:
    return {}


def register() -> None:
    # After the borough's supervision panel (35); after the ward's (45); after the BCU's
    # boroughs (10).
    for page, order in (("bcu", 20), ("borough", 38), ("ward", 48)):
        panels.register(
            page, f"reports.performance_{page}", template=f"reports/panels/performance_{page}.html",
            context=link, order=order,
        )  # fmt: skip
