"""Panels: how a page that shows several apps' records gets them without importing the apps.

The home page and the BCU, borough and ward pages belong to low layers (config, wards), but show
what higher apps know about the place: its officers and cover (teams), its deployment calendar
(deployment), its promises (promises)… Each app registers its panels for a named page in its
AppConfig.ready(); the page renders every registered panel, in order, and imports none of them.

    # teams/apps.py
    def ready(self):
        from config import panels
        from teams import page_panels

        panels.register(
            "ward", "teams.cover", template="teams/panels/ward_cover.html",
            context=page_panels.ward_cover, order=10,
            select=lambda wards: with_strength(wards).select_related("team"),
        )

- `context(obj, request)` returns the panel's template context, or None to leave the panel out
  (nothing to show for this object or user). It runs only when the page is rendered. Keep it to a
  fixed number of queries, whatever the size of the place.
- `select(queryset)`, optional, refines the page's own queryset before it fetches the object (a
  ward page's panels can annotate the ward or join what they read), so the page still fetches its
  object in one query.
- `roles`, optional: only users holding one of these roles see the panel (config.access.has_role),
  for role-specific panels on the home page. The panel's context function is not called for the
  others. A constable sees only the panels that name their role.
- `order` places the panel on the page: lower first, then by name. Every panel's template gets its
  own context plus `request`, `user` (the usual context processors) and the page's object under
  the page's name (`ward`, `borough`, `bcu`; nothing on "home").

The pages and what their object is:
  home:    None (the user's home dashboard)
  bcu:     the BCU, with `visible_boroughs`: the user's boroughs in it, by name, BCU joined
  borough: the Borough, with its BCU joined
  ward:    the Ward, with its borough (and BCU) and cluster joined

Orders in use (leave gaps for new panels): home 10 teams.boroughs; bcu 10 teams.boroughs,
20 reports.performance_bcu; borough 10 teams.cover, 15 wards.map, 20 promises.delivery,
30 teams.clusters, 38 reports.performance_borough; ward 10 teams.cover, 20 deployment.calendar,
30 promises.links, 40 teams.team, 48 reports.performance_ward, 90 wards.places."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.template.loader import render_to_string

from config.access import has_role, is_constable

PAGES = ("home", "bcu", "borough", "ward")


@dataclass(frozen=True)
class Panel:
    page: str
    name: str
    template: str
    context: Callable[[object, object], dict | None]
    order: int
    roles: frozenset | None = None
    select: Callable[[QuerySet], QuerySet] | None = None


_registry: dict[str, dict[str, Panel]] = {page: {} for page in PAGES}


def register(
    page: str,
    name: str,
    *,
    template: str,
    context: Callable[[object, object], dict | None],
    order: int,
    roles=None,
    select: Callable[[QuerySet], QuerySet] | None = None,
) -> Panel:
    """Add a panel to `page` (one of PAGES). Registering a name again replaces that panel."""
    if page not in _registry:
        raise ImproperlyConfigured(f"No page {page!r} takes panels; the pages are {PAGES}.")
    panel = Panel(page, name, template, context, order, frozenset(roles) if roles else None,
                  select)
    _registry[page][name] = panel
    return panel


def unregister(page: str, name: str) -> None:
    _registry[page].pop(name, None)


def panels(page: str) -> list[Panel]:
    """The panels of `page`, in the order they are shown."""
    return sorted(_registry[page].values(), key=lambda p: (p.order, p.name))


def select(page: str, queryset: QuerySet) -> QuerySet:
    """The page's queryset for its object, refined by each of its panels."""
    for panel in panels(page):
        if panel.select is not None:
            queryset = panel.select(queryset)
    return queryset


def render(page: str, obj, request) -> list[str]:
    """Each panel of `page` that has something for this object and user, rendered (safe HTML)."""
    rendered = []
    for panel in panels(page):
        if panel.roles is None and is_constable(request.user):
            continue  # a constable sees only what is theirs: the panels made for their role
        if panel.roles is not None and not has_role(request.user, panel.roles):
            continue
        context = panel.context(obj, request)
        if context is None:
            continue
        page_object = {} if page == "home" else {page: obj}
        rendered.append(render_to_string(panel.template, {**page_object, **context}, request))
    return rendered
