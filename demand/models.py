"""Demand on neighbourhood policing: recorded crime and anti-social behaviour as data.police.uk
publishes it, calls for service (CAD), and the counts every page reads instead of the rows.

- `StreetCrime` holds police.uk's street-level rows, each placed in a 2022 ward through the LSOA
  lookup of the file's vintage. `WardMonthCount` holds their counts per ward, month, category and
  kind of location, refreshed by every import, so no query scans the rows.
- `CadCall` holds calls for service (no personal data, no free text), scoped to the ward's
  borough. `CadWardMonth` holds their counts per ward, month and type, with the 168 hours of the
  week (Monday 00:00 first, London time) so a demand profile never scans the calls.
- `Lsoa`, `Deprivation` and `WardPopulation` are the reference data (demand/data/PROVENANCE.md).
- `Theme` and `ReductionTarget` are MOPAC's hotspot themes and its crime-reduction target:
  records HQ edits, not constants.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from config.access import borough_ids, scoped_queryset
from demand.locations import LocationKind
from wards.models import Borough, Ward

HOURS_IN_WEEK = 168


class Category(models.Model):
    """A data.police.uk crime category: its API slug and the "Crime type" its CSV files use."""

    slug = models.SlugField(max_length=40, unique=True, help_text="data.police.uk's API slug.")
    name = models.CharField(
        max_length=60, unique=True, help_text='The "Crime type" column of the CSV, exactly.'
    )
    is_asb = models.BooleanField(default=False, help_text="Anti-social behaviour, not a crime.")
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class Lsoa(models.Model):
    """A Lower Layer Super Output Area of one census vintage, with the 2022 ward it falls in
    (best fit). The codes of the two vintages overlap but their wards may differ, so a file is
    mapped with one vintage's rows only."""

    class Vintage(models.IntegerChoices):
        LSOA_2011 = 2011, "LSOA 2011"
        LSOA_2021 = 2021, "LSOA 2021"

    vintage = models.PositiveSmallIntegerField(choices=Vintage.choices)
    code = models.CharField(max_length=9)
    name = models.CharField(max_length=80)
    ward_code = models.CharField(max_length=9, help_text="2022 ward (best fit).")
    borough_code = models.CharField(max_length=9)

    class Meta:
        ordering = ["vintage", "code"]
        verbose_name = "LSOA"
        constraints = [
            models.UniqueConstraint(fields=["vintage", "code"], name="lsoa_code_unique_in_vintage")
        ]

    def __str__(self):
        return f"{self.code} {self.name} ({self.vintage})"


class Deprivation(models.Model):
    """The English Index of Multiple Deprivation of one LSOA: IMD 2019 is published on LSOA 2011,
    IMD 2025 on LSOA 2021. Rank 1 is the most deprived LSOA in England; decile 1 the most deprived
    tenth. `domains` holds the seven domains' deciles, ranks and (2025 only) scores."""

    class Edition(models.IntegerChoices):
        IMD_2019 = 2019, "IMD 2019"
        IMD_2025 = 2025, "IMD 2025"

    lsoa = models.ForeignKey(Lsoa, on_delete=models.CASCADE, related_name="deprivation")
    edition = models.PositiveSmallIntegerField(choices=Edition.choices)
    imd_rank = models.PositiveIntegerField()
    imd_decile = models.PositiveSmallIntegerField()
    imd_score = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    domains = models.JSONField(default=dict)

    class Meta:
        ordering = ["edition", "lsoa__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["lsoa", "edition"], name="deprivation_once_per_edition"
            ),
            models.CheckConstraint(
                condition=Q(imd_decile__gte=1, imd_decile__lte=10), name="imd_decile_1_to_10"
            ),
        ]

    def __str__(self):
        return f"{self.lsoa.code} {self.get_edition_display()}: decile {self.imd_decile}"


class WardPopulation(models.Model):
    """Census 2021 usual residents, summed from LSOA 2021 to the 2022 ward by best fit: an
    approximation, labelled so wherever a rate uses it."""

    ward = models.OneToOneField(Ward, on_delete=models.CASCADE, related_name="population")
    residents = models.PositiveIntegerField()
    source = models.CharField(
        max_length=120, default="Census 2021 usual residents, best fit from LSOA 2021"
    )

    objects = scoped_queryset("ward__borough").as_manager()

    def __str__(self):
        return f"{self.ward}: {self.residents:,} residents"


class DataImportQuerySet(models.QuerySet):
    def for_user(self, user):
        """police.uk imports are London's public data; a CAD import is its borough's."""
        ids = borough_ids(user)
        if ids is None:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(kind=DataImport.Kind.POLICE_UK) | Q(borough__in=ids))


class DataImport(models.Model):
    """One import of a file: who, when, the file's SHA-256, what it held and what became of each
    row. Rows are never dropped silently: every row read is imported, outside the Met (another
    force, or an LSOA outside the 32 boroughs), without a location, or rejected with a reason."""

    class Kind(models.TextChoices):
        POLICE_UK = "police_uk", "data.police.uk street-level crime"
        CAD = "cad", "Calls for service (CAD)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=60, blank=True, help_text="What the import is doing now.")
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField(default=0)
    # A CAD import belongs to the importer's borough (null for a London-wide importer); a
    # police.uk import is London's public data.
    borough = models.ForeignKey(
        Borough, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank for the command line and the demo.",
    )
    source = models.CharField(max_length=20, default="page", help_text="page, api or command.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a worker claimed it (a claim older than the task "
        "time limit belongs to a worker that died: the import may be claimed again).",
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    vintage = models.PositiveSmallIntegerField(choices=Lsoa.Vintage.choices, null=True, blank=True)
    months = ArrayField(models.DateField(), default=list, blank=True)
    categories = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    other_force = models.PositiveIntegerField(default=0)
    outside_met = models.PositiveIntegerField(
        default=0, help_text="LSOA outside the 32 boroughs (the City, Epping, Dartford…)."
    )
    unlocated = models.PositiveIntegerField(default=0, help_text="Rows with no LSOA or location.")
    rejected = models.PositiveIntegerField(default=0)
    # [[line, reason], …], the first REJECTIONS_KEPT of them; `rejected` counts them all.
    rejections = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True, help_text="What the import decided, said.")
    error = models.TextField(blank=True)
    seconds = models.FloatField(null=True, blank=True)
    # The uploaded file while it waits for the worker; emptied once the import has run.
    payload = models.BinaryField(null=True, blank=True, editable=False)

    objects = DataImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "status", "-finished_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("demand:import", args=[self.pk])

    @property
    def outside(self) -> int:
        return self.other_force + self.outside_met


class StreetCrime(models.Model):
    """One row of a data.police.uk street-level file, placed in a ward. The point is police.uk's
    anonymous map point, kept as given: never finer. No victim data exists here."""

    month = models.DateField(help_text="The first day of the month.")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+")
    crime_id = models.CharField(max_length=64, blank=True, help_text="Empty for ASB.")
    lsoa_code = models.CharField(max_length=9)
    lng = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    location_kind = models.CharField(
        max_length=12, choices=LocationKind.choices, default=LocationKind.OTHER
    )
    outcome = models.CharField(max_length=120, blank=True)
    # No database constraint: checking it row by row would slow every bulk load for a link that
    # only records provenance (import records are never deleted).
    data_import = models.ForeignKey(
        DataImport, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )

    class Meta:
        indexes = [
            models.Index(fields=["month", "category"]),
            models.Index(fields=["ward", "month"]),
            # The public API's outcomes-for-crime/{persistent_id} (policeuk); ASB rows have none.
            models.Index(
                fields=["crime_id"], condition=~Q(crime_id=""), name="street_crime_by_crime_id"
            ),
        ]

    def __str__(self):
        return f"{self.category} {self.month:%Y-%m} in {self.ward_id}"


class DataMonth(models.Model):
    """Which months of which categories hold data, and from which import: what a comparison with
    the year before needs to know (a month without data is not a month without crime), and what
    pages say about how fresh the data is."""

    month = models.DateField()
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    rows = models.PositiveIntegerField(help_text="Rows imported (placed in a ward).")
    data_import = models.ForeignKey(DataImport, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "category"], name="data_month_once")
        ]

    def __str__(self):
        return f"{self.category_id} {self.month:%Y-%m}: {self.rows} rows"


class WardMonthCount(models.Model):
    """Rows of StreetCrime counted per ward, month, category and kind of location."""

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    location_kind = models.CharField(max_length=12, choices=LocationKind.choices)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "ward", "category", "location_kind"],
                name="ward_month_count_once",
            )
        ]
        indexes = [
            models.Index(fields=["ward", "month"]),
            # A category's (or a theme's categories') counts over months, read from the index
            # alone.
            models.Index(
                fields=["category", "month"],
                include=["ward", "location_kind", "count"],
                name="ward_month_count_by_category",
            ),
        ]

    def __str__(self):
        return f"{self.count} {self.category_id} in {self.ward_id}, {self.month:%Y-%m}"


class WardMonthTotal(models.Model):
    """WardMonthCount summed per ward and month: crimes (every category but ASB) and ASB. What
    "all crime" reads, so London's map over a year sums 8,000 rows, not 130,000."""

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    crimes = models.PositiveIntegerField()
    asb = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "ward"], name="ward_month_total_once")
        ]
        indexes = [models.Index(fields=["ward", "month"])]

    def __str__(self):
        return f"{self.crimes} crimes, {self.asb} ASB in {self.ward_id}, {self.month:%Y-%m}"


class CadCall(models.Model):
    """A call for service as CAD records it: when, which ward, ASB or other, and its grade. No
    caller, no number, no free text."""

    class Kind(models.TextChoices):
        ASB = "asb", "Anti-social behaviour"
        OTHER = "other", "Other"

    class Grade(models.TextChoices):
        IMMEDIATE = "I", "I: immediate"
        SIGNIFICANT = "S", "S: significant"
        EXTENDED = "E", "E: extended"
        REFERRED = "R", "R: referred"

    reference = models.CharField(max_length=30, unique=True, help_text="The CAD reference.")
    received_at = models.DateTimeField()
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    grade = models.CharField(max_length=1, choices=Grade.choices)
    # No database constraint: checking it row by row would slow every bulk load for a link that
    # only records provenance (import records are never deleted).
    data_import = models.ForeignKey(
        DataImport, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )

    objects = scoped_queryset("ward__borough").as_manager()

    class Meta:
        verbose_name = "CAD call"
        indexes = [models.Index(fields=["ward", "received_at"])]

    def __str__(self):
        return f"CAD {self.reference}"


class CadWardMonth(models.Model):
    """CAD calls of one ward, month (London time) and type: the total and, in `by_hour`, the
    count in each hour of the week (index = weekday × 24 + hour, Monday 00:00 first)."""

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    kind = models.CharField(max_length=5, choices=CadCall.Kind.choices)
    calls = models.PositiveIntegerField()
    by_hour = ArrayField(models.PositiveIntegerField(), size=HOURS_IN_WEEK)

    objects = scoped_queryset("ward__borough").as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "ward", "kind"], name="cad_ward_month_once")
        ]
        indexes = [models.Index(fields=["ward", "month"])]

    def __str__(self):
        return f"{self.calls} {self.kind} calls in {self.ward_id}, {self.month:%Y-%m}"


class Theme(models.Model):
    """A MOPAC hotspot theme: a named group of categories, counted wherever they happen, plus
    crimes at certain kinds of location. `proxy` says, in words, what stands for the theme."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    categories = models.ManyToManyField(
        Category, blank=True, related_name="themes", help_text="Counted wherever they happen."
    )
    at_locations = ArrayField(
        models.CharField(max_length=12, choices=LocationKind.choices),
        default=list,
        blank=True,
        help_text="Kinds of police.uk location where crime also counts.",
    )
    at_location_categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="+",
        help_text="The categories that count at those locations (none chosen: every crime).",
    )
    proxy = models.TextField(help_text="What stands for the theme in police.uk data, and why.")
    ordering = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["ordering", "name"]

    def __str__(self):
        return self.name


class ReductionTarget(models.Model):
    """MOPAC's target: a reduction of a set of key neighbourhood crimes, against the 12 months
    from a baseline month, to be reached over the 12 months ending at the target month."""

    name = models.CharField(max_length=120, unique=True)
    categories = models.ManyToManyField(Category, related_name="+")
    baseline_from = models.DateField(help_text="First month of the 12-month baseline.")
    reduction_percent = models.DecimalField(
        max_digits=4, decimal_places=1, help_text="The reduction sought, e.g. 20 for 20%."
    )
    target_month = models.DateField(help_text="The last month of the 12 months that must meet it.")
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-active", "target_month", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reduction_percent__gt=0, reduction_percent__lt=100),
                name="target_reduction_between_0_and_100",
            ),
            models.CheckConstraint(
                condition=Q(target_month__gt=F("baseline_from")),
                name="target_after_baseline",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        for name in ("baseline_from", "target_month"):
            value = getattr(self, name)
            if value and value.day != 1:
                raise ValidationError({name: "Give a month (its first day)."})
