"""Who may see a victim's personal details, and the log of every time someone did.

Only staff of the crime's borough with a working need see names and contact details: borough
staff, sergeants, inspectors and chief inspectors. Commanders and HQ see figures only. Admins
maintain the system, not cases: they see no victim details either."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from config.access import Role, borough_ids
from victims.models import VictimViewLog

VICTIM_WORKER_ROLES = frozenset({Role.STAFF, Role.SERGEANT, Role.INSPECTOR, Role.CHIEF_INSPECTOR})
# Who may read the log of views of victim details.
VIEW_LOG_ROLES = frozenset({Role.HQ, Role.ADMIN})


def works_with_victims(user) -> bool:
    """The user's role handles victims (in their own boroughs)."""
    return user.is_authenticated and user.role in VICTIM_WORKER_ROLES


def can_see_victims(user, crime) -> bool:
    if not works_with_victims(user):
        return False
    ids = borough_ids(user)
    return ids is None or crime.borough_id in ids


def require_victim_worker(user, crime) -> None:
    if not can_see_victims(user, crime):
        raise PermissionDenied("Only staff of the crime's borough work with its victims.")


def log_views(user, victims, *, where: str) -> None:
    """One row per victim whose details were shown (one INSERT whatever the number)."""
    now = timezone.now()
    VictimViewLog.objects.bulk_create(
        [VictimViewLog(user=user, victim=v, at=now, where=where) for v in victims]
    )


def can_read_view_log(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in VIEW_LOG_ROLES)
