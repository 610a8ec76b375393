"""Who reads the inbox, and which messages: a message belongs to its ward's team.

- Borough staff, inspectors and chief inspectors read the messages of every ward of their
  boroughs (config.access).
- A sergeant reads those of the ward teams they are posted to today (any role: supervising,
  dedicated): a ward team's sergeant, not every sergeant of the borough. Another ward's message
  is a 404 to them, as another borough's is to everyone. (There is no constable role:
  constables answer through their sergeant; a team-scoped role added later joins TEAM_ROLES.)
- Commanders, HQ and administrators are refused (403): messages are personal data, and only
  those who answer them need to read them.

A message is assigned only to someone who may read it (`readers`)."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from config.access import Role
from teams.models import Posting, Team

INBOX_ROLES = frozenset({Role.STAFF, Role.SERGEANT, Role.INSPECTOR, Role.CHIEF_INSPECTOR})
# Roles that answer only for the ward teams they are posted to.
TEAM_ROLES = frozenset({Role.SERGEANT})


def _postings_today():
    return Posting.objects.current().filter(team__kind=Team.Kind.WARD)


def team_wards(user):
    """The ids of the wards whose teams the user's officer is posted to today (a subquery)."""
    return _postings_today().filter(officer__user=user).values("team__ward_id")


def scope_to_team(queryset, user, ward_field: str = "ward"):
    """`queryset` (already scoped to the user's boroughs) cut to the user's own ward teams when
    their role answers for teams only."""
    if getattr(user, "role", None) in TEAM_ROLES:
        return queryset.filter(**{f"{ward_field}__in": team_wards(user)})
    return queryset


def readers(message):
    """The active users who may read (and so be assigned) the message: the borough's inbox
    roles, sergeants only if posted to the message's ward team today."""
    posted = _postings_today().filter(team__ward_id=message.ward_id).values("officer_id")
    return (
        get_user_model()
        .objects.filter(boroughs=message.borough_id, role__in=INBOX_ROLES, is_active=True)
        .filter(~Q(role__in=TEAM_ROLES) | Q(officer_id__in=posted))
        .select_related("officer")
        .order_by("last_name", "first_name", "pk")
    )
