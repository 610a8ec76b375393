"""Safer Schools: the schools of each borough with what is known of their need, the weights the
borough scores them with, and the commander's dated allocation decisions (which schools have a
dedicated Safer Schools officer, and every other school's point of contact in its ward team)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from config.access import scoped_queryset
from config.decisions import BoroughDecision, BoroughWeights, DecidedQuerySet
from teams.models import Officer
from wards.models import Borough, Ward

# The criteria of the 2011 SN report (paragraph 19), in the order the pages show them. Each is
# (name, label, higher means more need): attainment is the one where a higher value means less.
CRITERIA: tuple[tuple[str, str, bool], ...] = (
    ("deprivation", "Deprivation (ward IMD 2025 score)", True),
    ("attainment", "GCSE attainment (Attainment 8 against England)", False),
    ("exclusions", "Permanent exclusions (% of pupils)", True),
    ("absence", "Unauthorised absence (% of sessions)", True),
    ("free_meals", "Free school meals (% of pupils)", True),
    ("asb", "ASB around the school", True),
    ("crime", "Crime around the school", True),
    ("youth_violence", "Serious youth violence (incidents)", True),
    ("first_time_entrants", "First-time entrants to the justice system", True),
    ("victims", "Pupils who were victims of crime", True),
    ("gang", "Gang intelligence", True),
    ("weapon", "Weapon intelligence", True),
)
CRITERION_NAMES = tuple(name for name, _label, _more in CRITERIA)
CRITERION_LABELS = {name: label for name, label, _more in CRITERIA}

WEIGHT_FIELD = {
    "max_digits": 6,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
}
# London-wide defaults (a product assumption, README "Safer Schools"): every criterion counts the
# same, so the score is the mean of the school's normalised criteria.
DEFAULT_WEIGHTS = dict.fromkeys(CRITERION_NAMES, Decimal(1))
# The seed (2011 SN report, paragraph 19): 253 Safer Schools police officers across the 32
# boroughs, about 8 each. The London default; each borough's commander sets its own number.
DEFAULT_OFFICERS = 8
OFFICERS_MAX = 500


class School(models.Model):
    """A school, college or pupil referral unit, placed in a ward, with the criteria of its need
    that are known. Empty criteria are missing: the school is scored on the others."""

    class Kind(models.TextChoices):
        SECONDARY = "secondary", "Secondary school"
        PRIMARY = "primary", "Primary school"
        PRU = "pru", "Pupil referral unit"
        COLLEGE = "college", "College of further education"
        SPECIAL = "special", "Special school"

    class Placed(models.TextChoices):
        COORDINATES = "coordinates", "By its published coordinates"
        POSTCODE = "postcode", "By its postcode"
        UNPLACED = "unplaced", "Not placed"

    urn = models.CharField(max_length=8, unique=True, help_text="DfE unique reference number.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="+")
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    postcode = models.CharField(max_length=8, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    placed = models.CharField(max_length=12, choices=Placed.choices, default=Placed.UNPLACED)
    source = models.CharField(max_length=120, default="DfE KS4 performance tables 2023/24")
    # Criteria from the data files (load_schools): Attainment 8 against England's average.
    attainment = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # Around the school (schools.surroundings): within SCHOOL_RADIUS_M, in the months stated.
    crime = models.PositiveIntegerField(null=True, blank=True)
    asb = models.PositiveIntegerField(null=True, blank=True)
    around_months = models.CharField(max_length=40, blank=True)
    # Imported per school (schools.importing).
    exclusions = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    absence = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    free_meals = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    youth_violence = models.PositiveIntegerField(null=True, blank=True)
    first_time_entrants = models.PositiveIntegerField(null=True, blank=True)
    victims = models.PositiveIntegerField(null=True, blank=True)
    gang = models.BooleanField(null=True, blank=True)
    weapon = models.BooleanField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        "teams.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = scoped_queryset("borough").as_manager()

    class Meta:
        ordering = ["borough__name", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(urn__regex=r"^[0-9]{6,7}$"), name="school_urn"),
            models.CheckConstraint(
                condition=Q(exclusions__gte=0, exclusions__lte=100)
                & Q(absence__gte=0, absence__lte=100)
                & Q(free_meals__gte=0, free_meals__lte=100),
                name="school_percentages_0_to_100",
            ),
        ]

    def __str__(self):
        return self.name


class SchoolWeights(BoroughWeights):
    """How much each criterion counts in a school's score, and how many Safer Schools officers
    the borough has: a row per borough its commander edits, and HQ's London-wide row."""

    officers = models.PositiveSmallIntegerField(
        default=DEFAULT_OFFICERS,
        validators=[MaxValueValidator(OFFICERS_MAX)],
        help_text="The borough's number of Safer Schools officers.",
    )
    deprivation = models.DecimalField(**WEIGHT_FIELD)
    attainment = models.DecimalField(**WEIGHT_FIELD)
    exclusions = models.DecimalField(**WEIGHT_FIELD)
    absence = models.DecimalField(**WEIGHT_FIELD)
    free_meals = models.DecimalField(**WEIGHT_FIELD)
    asb = models.DecimalField(**WEIGHT_FIELD)
    crime = models.DecimalField(**WEIGHT_FIELD)
    youth_violence = models.DecimalField(**WEIGHT_FIELD)
    first_time_entrants = models.DecimalField(**WEIGHT_FIELD)
    victims = models.DecimalField(**WEIGHT_FIELD)
    gang = models.DecimalField(**WEIGHT_FIELD)
    weapon = models.DecimalField(**WEIGHT_FIELD)

    class Meta:
        verbose_name_plural = "school weights"
        constraints = [
            models.UniqueConstraint(
                fields=["borough"],
                nulls_distinct=False,
                name="one_school_weights_row_per_borough_and_one_for_london",
            )
        ]

    def __str__(self):
        return f"Safer Schools weights: {self.borough or 'London default'}"

    def as_dict(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in CRITERION_NAMES}


class AllocationDecision(BoroughDecision):
    """A commander's decision on which of the borough's schools have a Safer Schools officer,
    from a date, reviewed a year on (2011 SN report, paragraph 21)."""

    effective_from = models.DateField(help_text="The first day the allocation holds.")
    review_due = models.DateField(help_text="A year on: the allocation is reviewed yearly.")
    officers = models.PositiveSmallIntegerField(help_text="Safer Schools officers allocated.")
    weights = models.JSONField(default=dict, help_text="The weights the ranking used.")

    class Meta(BoroughDecision.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(review_due__gt=models.F("effective_from")),
                name="allocation_review_after_start",
            )
        ]

    def __str__(self):
        return f"Safer Schools allocation of {self.borough} from {self.effective_from:%d %B %Y}"


class AllocationQuerySet(DecidedQuerySet):
    """Allocations; `in_force(on)` gives those of each borough's decision in force."""


class Allocation(models.Model):
    """One school under a decision: its rank and score then, and whether it has a Safer Schools
    officer or a named point of contact in its ward team."""

    class Kind(models.TextChoices):
        OFFICER = "officer", "Safer Schools officer"
        POINT_OF_CONTACT = "point_of_contact", "Point of contact in the ward team"

    decision = models.ForeignKey(
        AllocationDecision, on_delete=models.PROTECT, related_name="allocations"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="allocations")
    rank = models.PositiveIntegerField()
    score = models.DecimalField(max_digits=6, decimal_places=2)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    contact = models.ForeignKey(
        Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The named point of contact (a dedicated officer of the school's ward).",
    )  # fmt: skip
    missing = models.JSONField(default=list, help_text="The criteria it was scored without.")

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "school"], name="one_allocation_a_school")
        ]

    def __str__(self):
        return f"{self.school}: {self.get_kind_display()}"
