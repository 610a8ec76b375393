"""The menu: what each signed-in person can reach from every page, by role. Like the panels
(config.panels), each app registers its own entries in its AppConfig.ready(), and config names
none of them:

    # deployment/apps.py
    menu.register("deployment.record_duty", "Record duty", url="deployment:duty_new",
                  roles={Role.STAFF}, order=40)

- `url`: a URL name without arguments, or `href(user, boroughs)` returning the address (or None
  to leave the entry out for this user); `boroughs` is the user's own boroughs, read once.
- `roles`: only users holding one of these roles see the entry (config.access.has_role); None:
  everyone but a constable, who sees only the entries naming their role (their own work).
- `order`: lower first. Home comes first and Sign out last, for everyone.

Entries a user would meet 403 on are not shown. Building the menu reads the user's boroughs
once (the borough links use the same list) and nothing else, whatever the role, except what an
entry's `href` reads (a constable's own ward and duties)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from config.access import has_role, is_constable


@dataclass(frozen=True)
class Entry:
    name: str
    text: str
    order: int
    url: str | None = None
    href: Callable | None = None
    roles: frozenset | None = None


_registry: dict[str, Entry] = {}


def register(name: str, text: str, *, order: int, url: str | None = None, href=None,
             roles=None) -> Entry:
    """Add an entry to the menu (registering a name again replaces it)."""
    entry = Entry(name, text, order, url, href, frozenset(roles) if roles else None)
    _registry[name] = entry
    return entry


def unregister(name: str) -> None:
    _registry.pop(name, None)


def _shown(entry: Entry, user) -> bool:
    if entry.roles is None:
        return not is_constable(user)
    return has_role(user, entry.roles)


def entries(user, boroughs) -> list[tuple[str, str]]:
    """(address, text) of each entry the user sees, in order."""
    found = []
    for entry in sorted(_registry.values(), key=lambda e: (e.order, e.name)):
        if not _shown(entry, user):
            continue
        href = reverse(entry.url) if entry.url else entry.href(user, boroughs)
        if href:
            found.append((href, entry.text))
    return found


def navigation(request) -> dict:
    """`menu.entries` and `menu.boroughs` for the service navigation. Lazy: a page that never
    shows the menu (the public pages) does not touch the session, so it stays cacheable."""

    def build() -> dict:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {"entries": [], "boroughs": []}
        boroughs = [] if is_constable(user) else list(user.boroughs.all())
        return {"entries": entries(user, boroughs), "boroughs": boroughs}

    return {"menu": SimpleLazyObject(build)}
