"""A commander's dated decision for a borough, kept as history: its shape and its rules, once.

Safer Schools allocations (schools.AllocationDecision) and shared supervision
(supervision.SupervisionDecision) are both such decisions: a borough, the first day it holds,
why, who decided and when; the one in force on a day is the borough's latest from that day or
before. The rules are the same for both:
- only commanders (and admins) decide (DECIDER_ROLES); borough staff read;
- a rationale is required, at most RATIONALE_MAX characters;
- a decision takes effect today or later: one already past would rewrite history;
- one decision at a time per borough (the borough's row is the lock, taken first), and never
  one from a date on or before a later one already recorded, so the history only grows.
`config/` names apps only as strings: the borough and user models are named, not imported."""

from __future__ import annotations

import datetime

from django.db import models

from config.access import Role, borough_ids, require_role, scoped_queryset
from config.errors import ConflictError, DomainError
from config.limits import PLANNED, check_dates
from config.transactions import decision

DECIDER_ROLES = frozenset({Role.COMMANDER, Role.ADMIN})
RATIONALE_MAX = 4000


class BoroughDecision(models.Model):
    """The fields every borough decision has; each app adds what it decided."""

    borough = models.ForeignKey("wards.Borough", on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField()
    rationale = models.TextField(max_length=RATIONALE_MAX)
    decided_by = models.ForeignKey("teams.User", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("borough").as_manager()

    class Meta:
        abstract = True
        ordering = ["-effective_from", "-pk"]


class WeightsQuerySet(models.QuerySet):
    def for_user(self, user):
        """A borough's weights to its users; the London defaults (no borough) to everyone."""
        ids = borough_ids(user)
        if ids is None:
            return self
        return self.filter(models.Q(borough__isnull=True) | models.Q(borough__in=ids))


class BoroughWeights(models.Model):
    """What a decision's recommendation weighs things by: a row per borough its commander edits
    (from the first change), and one without a borough, HQ's London-wide defaults. Each app adds
    its weights and the constraint of one row per borough and one for London."""

    borough = models.OneToOneField(
        "wards.Borough", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        "teams.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = WeightsQuerySet.as_manager()

    class Meta:
        abstract = True


class DecidedQuerySet(scoped_queryset("decision__borough")):
    """What decisions decided (rows with a `decision` foreign key to a BoroughDecision), seen
    through the decision's borough."""

    def in_force(self, on: datetime.date):
        """The rows of each borough's latest decision in force on `on`: its history holds every
        earlier decision, and the one in force is the latest from `on` or before."""
        decisions = self.model._meta.get_field("decision").related_model
        latest = (
            decisions.objects.filter(borough=models.OuterRef("decision__borough"),
                                     effective_from__lte=on)
            .order_by("-effective_from", "-pk")
            .values("pk")[:1]
        )  # fmt: skip
        return self.filter(decision=models.Subquery(latest))


def _lock(borough) -> None:
    """One decision at a time per borough: the borough's row is the lock, taken first (its model
    from the row given: config names no app's model)."""
    type(borough).objects.select_for_update().get(pk=borough.pk)


@decision
def weights_write(model: type[BoroughWeights], *, borough, values: dict, defaults: dict, by):
    """Save the borough's weights (the fields named in `defaults`, from `values`) on its own row,
    made from `defaults` at the first change. Commanders and admins; under the borough's lock,
    taken first like every decision's."""
    require_role(by, DECIDER_ROLES)
    _lock(borough)
    row, _ = model.objects.select_for_update().get_or_create(
        borough=borough, defaults={**defaults, "updated_by": by}
    )
    for name in defaults:
        setattr(row, name, values[name])
    row.updated_by = by
    row.save()
    return row


def decision_rationale(rationale: str | None) -> str:
    """The rationale as recorded (stripped); a DomainError if there is none or it is too long."""
    rationale = (rationale or "").strip()
    if not rationale:
        raise DomainError(
            "Say why: the rationale is recorded with the decision.", field="rationale"
        )
    if len(rationale) > RATIONALE_MAX:
        raise DomainError(f"At most {RATIONALE_MAX} characters.", field="rationale")
    return rationale


def check_decision_date(effective_from: datetime.date, today: datetime.date, *, past: str) -> None:
    """A planned date in range, today or later; `past` says why an earlier one is refused."""
    check_dates(PLANNED, effective_from=effective_from)
    if effective_from < today:
        raise DomainError(past, field="effective_from")


def lock_borough_decisions(
    model: type[BoroughDecision], borough, effective_from: datetime.date, *, later: str
) -> None:
    """Take the borough's lock (in a transaction), then refuse a decision from a date on or
    before one already recorded. `later` is the message, formatted with the later decision's
    date as `date`."""
    _lock(borough)
    found = (
        model.objects.filter(borough=borough, effective_from__gte=effective_from)
        .order_by("-effective_from")
        .first()
    )
    if found is not None:
        raise ConflictError(later.format(date=found.effective_from), field="effective_from")
