"""The performance framework's records: the bands HQ edits, the commentary each level's
commander writes, and the imported public attitude survey results."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from config.access import borough_ids
from reports.performance.bands import HIGHER_IS_BETTER, Measure
from wards.models import Borough, Ward


class Level(models.TextChoices):
    WARD = "ward", "Ward"
    BOROUGH = "borough", "Borough"
    BCU = "bcu", "BCU"
    LONDON = "london", "London"


class RatingBand(models.Model):
    """The limits that rate one measure (reports.performance.bands says how). One per measure,
    London-wide: HQ edits them in the admin and on the bands page."""

    measure = models.CharField(max_length=20, choices=Measure.choices, unique=True)
    green_limit = models.DecimalField(max_digits=7, decimal_places=2)
    amber_limit = models.DecimalField(max_digits=7, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure"]
        constraints = [
            # Green is the better side of amber: more for a higher-is-better measure, less for
            # the others. Limits are percentages between -1000 and 1000.
            models.CheckConstraint(
                condition=Q(measure__in=sorted(HIGHER_IS_BETTER), green_limit__gte=models.F(
                    "amber_limit")) | (~Q(measure__in=sorted(HIGHER_IS_BETTER)) & Q(
                    green_limit__lte=models.F("amber_limit"))),
                name="rating_band_green_on_the_better_side",
                violation_error_message="Green must be on the better side of amber: at least "
                "amber's limit where higher is better, at most it where lower is better.",
            ),
            models.CheckConstraint(
                condition=Q(green_limit__gte=-1000, green_limit__lte=1000,
                            amber_limit__gte=-1000, amber_limit__lte=1000),
                name="rating_band_limits_in_range",
                violation_error_message="Each limit is a percentage from -1000 to 1000.",
            ),
        ]

    def __str__(self):
        return self.get_measure_display()


class Commentary(models.Model):
    """What the level's commander (or inspector, for a ward; HQ for London) says about a month."""

    level = models.CharField(max_length=10, choices=Level.choices)
    area_code = models.CharField(max_length=9, blank=True, help_text="Empty for London.")
    month = models.DateField(help_text="The first day of the month.")
    text = models.TextField(max_length=5000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "commentaries"
        constraints = [
            models.UniqueConstraint(
                fields=["level", "area_code", "month"], name="commentary_one_per_area_month"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="commentary_month_first_day"),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.area_code} {self.month:%Y-%m}"


class ConfidenceResultQuerySet(models.QuerySet):
    def for_user(self, user):
        ids = borough_ids(user)
        if ids is None:
            return self
        return self.filter(Q(borough__in=ids) | Q(ward__borough__in=ids))


class ConfidenceResult(models.Model):
    """One public attitude survey result: the share of respondents in a borough or a ward who
    are confident in the police locally, for a quarter (the file's format:
    reports.performance.confidence)."""

    borough = models.ForeignKey(
        Borough, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    quarter = models.DateField(help_text="The first day of the quarter.")
    share_confident = models.DecimalField(max_digits=5, decimal_places=2)
    respondents = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now=True)

    objects = ConfidenceResultQuerySet.as_manager()

    class Meta:
        ordering = ["-quarter"]
        constraints = [
            models.CheckConstraint(
                condition=Q(borough__isnull=True) ^ Q(ward__isnull=True),
                name="confidence_borough_or_ward",
            ),
            models.CheckConstraint(
                condition=Q(share_confident__gte=0, share_confident__lte=100),
                name="confidence_share_0_to_100",
            ),
            models.CheckConstraint(condition=Q(respondents__gte=1),
                                   name="confidence_has_respondents"),
            models.CheckConstraint(
                condition=Q(quarter__day=1, quarter__month__in=[1, 4, 7, 10]),
                name="confidence_quarter_first_day",
            ),
            models.UniqueConstraint(fields=["borough", "quarter"], name="confidence_one_borough"),
            models.UniqueConstraint(fields=["ward", "quarter"], name="confidence_one_ward"),
        ]

    def __str__(self):
        return f"{self.ward_id or self.borough_id} {self.quarter:%Y-%m}: {self.share_confident}%"
