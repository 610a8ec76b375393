"""Who may see and change what. Every view, API endpoint, form, admin page and report fetches
objects through here.

- A user sees the boroughs they belong to; HQ and admins see every borough.
- Outsiders (an object in a borough the user does not belong to) get 404: they learn nothing.
- Roles that may only read (commanders, HQ) get 403 when they try to change something.
- Constables (PCs and PCSOs) open only the few pages of their own work (CONSTABLE_PAGES): 403
  anywhere else, on the API too; within those pages, only their own duties and their own wards.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404


class Role(models.TextChoices):
    STAFF = "staff", "Borough staff"
    SERGEANT = "sergeant", "Sergeant"
    INSPECTOR = "inspector", "Inspector"
    CHIEF_INSPECTOR = "chief_inspector", "Chief Inspector"
    COMMANDER = "commander", "Borough commander"
    HQ = "hq", "HQ"
    ADMIN = "admin", "Administrator"
    CONSTABLE = "constable", "Constable (PC or PCSO)"


# Roles that see every borough in London.
LONDON_WIDE_ROLES = frozenset({Role.HQ, Role.ADMIN})
# Roles that change the borough's records: teams, officers, postings, places.
EDITOR_ROLES = frozenset(
    {Role.STAFF, Role.SERGEANT, Role.INSPECTOR, Role.CHIEF_INSPECTOR, Role.ADMIN}
)


# The pages a constable may open, by URL name: what anyone may open without signing in, their
# account, and their own work (log an activity, their duties, their ward's promises, their ward
# team's messages). Each of those pages narrows itself further to the constable's own officer
# and wards (`require_own`; the messages through contact.access).
CONSTABLE_PAGES = frozenset({
    "home", "login", "logout", "password_change", "password_change_done",
    "accessibility", "privacy", "cookies", "promises:find", "promises:public_team", "contact:send",
    "promises:activity_log", "promises:ward_delivery", "promises:promise",
    "deployment:officer_month",
    # their ward team's messages from the public (contact.access scopes them to the team)
    "contact:inbox", "contact:message", "contact:message_assign", "contact:message_reply",
    "contact:message_close",
})  # fmt: skip


def is_constable(user) -> bool:
    return bool(user.is_authenticated and getattr(user, "role", None) == Role.CONSTABLE)


def constable_may_open(user, view_name: str | None) -> bool:
    """Whether the user may open the page named `view_name` as far as the constable rule goes
    (everyone else may: their own rules apply in the view)."""
    return (
        not is_constable(user)
        or view_name in CONSTABLE_PAGES
        # The public data.police.uk-compatible API is open to anyone, signed in or not.
        or (view_name or "").startswith("policeuk:")
    )


def require_own(user, is_own: bool) -> None:
    """A constable sees only their own duties and their own wards' records: 403 for another
    officer or ward of their borough (the view has already answered 404 outside it)."""
    if is_constable(user) and not is_own:
        raise PermissionDenied("Constables see their own duties and their own ward's records.")


class ConstablePagesMiddleware:
    """After authentication: a constable meets 403 on every page not in CONSTABLE_PAGES. (The
    API's token authentication refuses constables in config.tokens.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_name = request.resolver_match.view_name if request.resolver_match else None
        if view_name in CONSTABLE_PAGES or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # Nothing to check: the session stays untouched, so public pages stay cacheable.
            return None
        if not constable_may_open(request.user, view_name):
            raise PermissionDenied("Constables log activities and see their own duties and "
                                   "their ward's promises.")
        return None


def sees_all_boroughs(user) -> bool:
    return user.is_superuser or getattr(user, "role", None) in LONDON_WIDE_ROLES


def borough_ids(user) -> set[int] | None:
    """The ids of the boroughs the user belongs to, or None for "every borough".

    Cached on the user object for the length of a request."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if sees_all_boroughs(user):
        return None
    return _own_borough_ids(user)


def _own_borough_ids(user) -> set[int]:
    """The boroughs the user belongs to by their grants, cached on the user object."""
    cached = getattr(user, "_borough_ids", None)
    if cached is None:
        cached = set(user.boroughs.values_list("id", flat=True))
        user._borough_ids = cached
    return cached


def remember_borough_ids(user, ids) -> None:
    """The user's boroughs, read with their row (the API token's query): borough_ids() then
    asks the database nothing more in this request."""
    user._borough_ids = set(ids)


def borough_ids_read(user) -> tuple[int, ...] | None:
    """The user's own boroughs if this request has read them already (sorted), else None: for a
    kept answer's key (config.datacache), since what was read before a view is not recorded."""
    cached = getattr(user, "_borough_ids", None)
    return None if cached is None else tuple(sorted(cached))


def can_edit(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in EDITOR_ROLES)


def has_role(user, roles) -> bool:
    """For administration and reading: a superuser holds every role. Operational decisions use
    `holds_role` instead."""
    return user.is_authenticated and (user.is_superuser or user.role in roles)


def holds_role(user, roles) -> bool:
    """For operational decisions (deciding a flex, accepting a ward below cover, authorising an
    abstraction): the user's own role, and nothing else. Being a superuser or an administrator
    grants none: administrators administer, they do not take operational decisions."""
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def member_of(user, borough_id) -> bool:
    """Whether the user belongs to the borough by their own grants. Seeing every borough (HQ,
    administrators, superusers) is not belonging to any. Cached on the user for the request."""
    if not user.is_authenticated or not user.is_active:
        return False
    return borough_id in _own_borough_ids(user)


class BoroughScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to a borough, reached through `borough_path`."""

    borough_path: str = "borough"

    def for_user(self, user):
        ids = borough_ids(user)
        if ids is None:
            return self
        return self.filter(**{f"{self.borough_path}__in": ids})

    def in_borough(self, borough):
        return self.filter(**{self.borough_path: borough})


def scoped_queryset(borough_path: str) -> type[BoroughScopedQuerySet]:
    """A BoroughScopedQuerySet subclass for models whose borough is at `borough_path`."""
    return type(
        f"ScopedBy_{borough_path}_QuerySet",
        (BoroughScopedQuerySet,),
        {"borough_path": borough_path, "__module__": __name__},
    )


def get_for_user(queryset, user, *, edit: bool = False, roles=None, **lookup):
    """The one object matching `lookup` that the user may see, else 404.

    With edit=True the user must hold an editing role (or one of `roles`), else 403."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset.objects.all()
    if any(isinstance(v, str) and "\x00" in v for v in lookup.values()):
        # PostgreSQL refuses NUL in text; no object can match it.
        raise Http404(f"No {queryset.model._meta.verbose_name} found.")
    try:
        obj = queryset.for_user(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No {queryset.model._meta.verbose_name} found.") from None
    if edit or roles:
        require_role(user, roles or EDITOR_ROLES)
    return obj


def require_role(user, roles) -> None:
    if not has_role(user, roles):
        raise PermissionDenied("Your role does not allow this.")
