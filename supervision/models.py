"""Shared supervision: the weights a borough scores its wards' workload with, and the commander's
decisions on which wards share a sergeant, each applied as dated supervision groups."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from config.access import scoped_queryset
from config.decisions import BoroughDecision, BoroughWeights, DecidedQuerySet
from teams.models import Officer
from wards.models import Borough, Ward

WEIGHT_FIELD = {
    "max_digits": 7,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10000))],
}

# London-wide defaults when HQ has recorded none (product assumptions, README "Shared
# supervision"): a crime or an ASB call counts 1; a hospital, a college or a nightclub in the
# ward adds the work of that many incidents a year.
DEFAULT_WEIGHTS = {
    "crime": Decimal(1),
    "asb_call": Decimal(1),
    "hospital": Decimal(250),
    "college": Decimal(100),
    "nightclub": Decimal(150),
}


class WorkloadWeights(BoroughWeights):
    """How much each thing counts in a ward's workload: a row per borough its commander edits,
    and one row without a borough, HQ's London-wide defaults."""

    crime = models.DecimalField(help_text="Per crime (TNO, not ASB) in 12 months.", **WEIGHT_FIELD)
    asb_call = models.DecimalField(help_text="Per ASB CAD call in 12 months.", **WEIGHT_FIELD)
    hospital = models.DecimalField(help_text="Per hospital in the ward.", **WEIGHT_FIELD)
    college = models.DecimalField(help_text="Per college in the ward.", **WEIGHT_FIELD)
    nightclub = models.DecimalField(help_text="Per nightclub in the ward.", **WEIGHT_FIELD)

    class Meta:
        verbose_name_plural = "workload weights"
        constraints = [
            models.UniqueConstraint(
                fields=["borough"],
                nulls_distinct=False,
                name="one_weights_row_per_borough_and_one_for_london",
            )
        ]

    def __str__(self):
        return f"Workload weights: {self.borough or 'London default'}"

    def as_dict(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in DEFAULT_WEIGHTS}


class SupervisionDecision(BoroughDecision):
    """A commander's decision on which wards of a borough share a sergeant, from a date."""

    effective_from = models.DateField(help_text="The first day the new groups supervise.")
    objective_proposal = models.IntegerField(
        help_text="The largest group workload of the recommendation when decided."
    )
    objective_decided = models.IntegerField(help_text="The largest group workload decided.")
    objective_today = models.IntegerField(
        help_text="The largest group workload of the arrangement it replaced."
    )

    def __str__(self):
        return f"Supervision of {self.borough} from {self.effective_from:%d %B %Y}"


class SupervisionGroupQuerySet(DecidedQuerySet):
    """Groups; `in_force(on)` gives those of each borough's decision in force."""


class SupervisionGroup(models.Model):
    """One sergeant's wards under a decision, from its date until a later decision."""

    decision = models.ForeignKey(
        SupervisionDecision, on_delete=models.PROTECT, related_name="groups"
    )
    sergeant = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    wards = models.ManyToManyField(Ward, related_name="+")
    workload = models.IntegerField()
    reasons = models.JSONField(default=list)

    objects = SupervisionGroupQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "sergeant"], name="one_group_per_sergeant_per_decision"
            )
        ]

    def __str__(self):
        return f"{self.sergeant} ({self.decision})"


class Consultation(models.Model):
    """Who was consulted on a borough's supervision proposal, when, and what they said."""

    class Consulted(models.TextChoices):
        WARD_PANEL = "ward_panel", "Ward panel"
        KIN = "kin", "Key Individual Network (KIN)"
        LOCAL_AUTHORITY = "local_authority", "The local authority"
        MP = "mp", "Member of Parliament"
        OTHER = "other", "Other"

    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="+")
    consulted = models.CharField(max_length=20, choices=Consulted.choices)
    who = models.CharField(max_length=200, help_text="The person or body, e.g. Belsize ward panel.")
    on = models.DateField(help_text="When they were consulted.")
    said = models.TextField(max_length=4000, help_text="What they said.")
    recorded_by = models.ForeignKey("teams.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("borough").as_manager()

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self):
        return f"{self.who} on {self.on:%d %B %Y}"
