"""Who reads the inbox, and which messages: a message belongs to its ward's team.

- Borough staff, inspectors and chief inspectors read the messages of every ward of their
  boroughs (config.access).
- A sergeant or a constable reads those of the ward teams they are posted to today (any
  posting role: supervising, dedicated): a ward team's own sergeants and constables, not every
  one of the borough. Another ward's message is a 404 to them, as another borough's is to
  everyone.
- A constable changes only their own assignment: they take a message nobody has (assign it to
  themselves) or hand back their own; the rest (reading, answering, closing) as a sergeant.
- Commanders, HQ and administrators are refused (403): messages are personal data, and only
  those who answer them need to read them.

A message is assigned only to someone who may read it (`readers`), by someone who may assign
it to them (`assignees`)."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from config.access import Role
from teams.models import Posting, Team

INBOX_ROLES = frozenset(
    {Role.STAFF, Role.SERGEANT, Role.INSPECTOR, Role.CHIEF_INSPECTOR, Role.CONSTABLE}
)
# Roles that answer only for the ward teams they are posted to.
TEAM_ROLES = frozenset({Role.SERGEANT, Role.CONSTABLE})
# Roles that assign a message only to themselves (and hand back only their own).
SELF_ASSIGN_ROLES = frozenset({Role.CONSTABLE})


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
    roles, sergeants and constables only if posted to the message's ward team today."""
    posted = _postings_today().filter(team__ward_id=message.ward_id).values("officer_id")
    return (
        get_user_model()
        .objects.filter(boroughs=message.borough_id, role__in=INBOX_ROLES, is_active=True)
        .filter(~Q(role__in=TEAM_ROLES) | Q(officer_id__in=posted))
        .select_related("officer")
        .order_by("last_name", "first_name", "pk")
    )


def assigns_only_self(user) -> bool:
    return getattr(user, "role", None) in SELF_ASSIGN_ROLES


def may_assign(message, *, to, by) -> bool:
    """Whether `by` may change the message's assignment to `to` (a reader, or None): anyone of
    the inbox may, except that a constable only takes an unassigned message for themselves or
    hands back their own."""
    if not assigns_only_self(by):
        return True
    own = {None, by.pk}
    return message.assigned_to_id in own and (to.pk if to else None) in own


def assignees(message, by):
    """Whom `by` is offered as the message's assignee: its readers; for a constable, only
    themselves (and only while the message is nobody's or theirs)."""
    people = readers(message)
    if assigns_only_self(by):
        people = people.filter(pk=by.pk) if may_assign(message, to=None, by=by) else people.none()
    return people
