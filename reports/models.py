"""A monthly report is an immutable snapshot: once ready, its figures never change. Regenerating
adds a new version and keeps the old ones."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from config.access import borough_ids
from wards.models import Borough


class MonthlyReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """A borough's reports for its people; the Met-wide roll-up (no borough) only for
        London-wide roles."""
        ids = borough_ids(user)
        if ids is None:
            return self
        return self.filter(borough__in=ids)

    def listed(self):
        """For lists: without the figures (tens of KB each), with whether each is "to date"."""
        from django.db.models.fields.json import KT

        return self.defer("figures", "source").annotate(figures_to_date=KT("figures__to_date"))

    def latest_versions(self):
        """The newest version of each borough and month."""
        return self.order_by("borough_id", "month", "-version").distinct("borough_id", "month")


class MonthlyReport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Being produced"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    borough = models.ForeignKey(
        Borough,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monthly_reports",
        help_text="Empty for the Met-wide roll-up.",
    )
    month = models.DateField(help_text="The first day of the month reported on.")
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    figures = models.JSONField(null=True, blank=True)
    source = models.JSONField(
        null=True, blank=True, help_text="What it was computed from: row counts, max ids/times."
    )
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Refreshed by the worker holding the claim; a running claim older than the task time limit
    # belongs to a dead worker and may be taken over.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=36, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        # The table it had when reports lived in the deployment app: moving the model between
        # apps moved no data (migrations reports/0001 and deployment/0007).
        db_table = "deployment_monthlyreport"
        ordering = ["-month", "borough__name", "-version"]
        constraints = [
            # One row per borough, month and version: the claim. NULL (the roll-up) counts as
            # one value, so two roll-ups of a month cannot both be version 1.
            models.UniqueConstraint(
                fields=["borough", "month", "version"],
                name="monthly_report_one_per_version",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="monthly_report_month_is_first_day"
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(figures__isnull=False, computed_at__isnull=False),
                name="monthly_report_ready_has_figures",
            ),
        ]

    def __str__(self):
        return f"{self.scope_name} {self.month:%B %Y} v{self.version}"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def scope_name(self) -> str:
        return self.borough.name if self.borough_id else "Metropolitan Police (all boroughs)"

    @property
    def is_rollup(self) -> bool:
        return self.borough_id is None

    @property
    def month_label(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def month_ended_at(self) -> datetime.datetime:
        """London midnight at the start of the next month."""
        from config.timeutils import london_midnight

        nxt = (self.month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return london_midnight(nxt)

    @property
    def is_partial(self) -> bool:
        """Computed before its month was over: "to date", a snapshot of the month so far (as its
        figures say, when they were read)."""
        if self.computed_at is None:
            return False
        figures = self.__dict__.get("figures")  # not fetched when deferred
        if isinstance(figures, dict) and "to_date" in figures:
            return bool(figures["to_date"])
        flag = self.__dict__.get("figures_to_date")  # MonthlyReportQuerySet.listed()
        if flag is not None:
            return flag == "true"  # the JSON boolean as text
        return self.computed_at < self.month_ended_at

    @property
    def period_label(self) -> str:
        """"to date" or "whole month": how every surface labels the version."""
        return "to date" if self.is_partial else "whole month"

    @property
    def previous_month(self) -> datetime.date:
        return (self.month - datetime.timedelta(days=1)).replace(day=1)


class StoredWardMonth(models.Model):
    """A closed month's minutes for one ward, stored once: the minutes statement of
    reports.hours_figures (the one definition) run for that month as it stood at its end, kept so
    that the 12-month trend of later reports reads the month instead of computing it again.

    A cache, never a second formula: a row is written only from the statement's own rows, and
    it is forgotten (database triggers of migration 0002) whenever a duty, abstraction, flex
    request, flex member or flex transition dated in or next to its month is added, changed or
    deleted, or a ward changes borough. Reading it (hours_figures.stored_months) also skips a
    month whose flexes changed status after the month's end, when the report reads their status
    at another instant."""

    borough = models.ForeignKey(Borough, on_delete=models.CASCADE, related_name="+")
    ward = models.ForeignKey("wards.Ward", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    # The fingerprint of the definition the figures were computed by: rows of another one are
    # never read (hours_figures.DEFINITION).
    definition = models.CharField(max_length=16)
    as_at = models.DateTimeField(help_text="The month's end: flexes' status as it stood then.")
    duties = models.PositiveIntegerField()
    rostered_minutes = models.PositiveBigIntegerField()
    abstracted_in_duty_minutes = models.PositiveBigIntegerField()
    flexed_out_minutes = models.PositiveBigIntegerField()
    authorised_flex_minutes = models.PositiveBigIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ward", "month"], name="stored_ward_month_once"),
            models.CheckConstraint(
                condition=Q(month__day=1), name="stored_ward_month_is_first_day"
            ),
        ]
        indexes = [models.Index(fields=["borough", "month"], name="stored_ward_month_borough")]

    def __str__(self):
        return f"{self.ward_id} {self.month:%Y-%m}"
# The performance framework's records live beside the reports they read.
from reports.performance.models import (  # noqa: E402, F401
    Commentary,
    ConfidenceResult,
    Level,
    RatingBand,
)
