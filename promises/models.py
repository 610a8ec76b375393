"""What a neighbourhood team promised its community, what it did, and what the ward panel set:
promises, logged activity, ward priorities (data.police.uk's shape), panel meetings and public
engagement events."""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from config.access import scoped_queryset
from config.timeutils import day_bounds, elapsed, today
from wards.models import Borough, Place, Ward

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class PanelMeeting(models.Model):
    """A ward panel meeting: residents and the team agree priorities and promises."""

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="panel_meetings")
    date = models.DateField()
    attendees = models.PositiveIntegerField(help_text="How many people attended.")
    minutes = models.TextField(blank=True)
    priorities = models.ManyToManyField(
        "WardPriority", blank=True, related_name="panel_meetings", help_text="Priorities agreed."
    )
    recorded_by = models.ForeignKey(
        "teams.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("ward__borough").as_manager()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.ward} ward panel, {self.date:%d %b %Y}"


class PromiseQuerySet(scoped_queryset("borough")):
    def of_ward(self, ward):
        """The ward's own promises and its cluster team's (INPT) promises."""
        if ward.cluster_id:
            cluster = Q(ward__isnull=True, team__cluster_id=ward.cluster_id)
            return self.filter(Q(ward=ward) | cluster)
        return self.filter(ward=ward)

    def of_wards(self, ward_ids):
        """The promises of any of these wards: their own, and their clusters' teams'."""
        cluster = Q(ward__isnull=True, team__cluster__wards__in=ward_ids)
        return self.filter(Q(ward__in=ward_ids) | cluster).distinct()


class Promise(models.Model):
    class Kind(models.TextChoices):
        PATROL = "patrol", "Patrol"
        VISIT_ALL = "visit_all", "Visit every place of a kind"
        ENGAGEMENT = "engagement", "Engagement"
        CUSTOM = "custom", "Custom"

    class Period(models.TextChoices):
        WEEK = "week", "Week"
        MONTH = "month", "Calendar month"

    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="promises")
    # A ward's promise, or a cluster team's (INPT) promise covering the cluster's wards.
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="promises"
    )
    team = models.ForeignKey(
        "teams.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="promises"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    agreed_on = models.DateField()
    panel_meeting = models.ForeignKey(
        PanelMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="promises"
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Last day; blank while it runs.")
    end_reason = models.TextField(blank=True, help_text="Why the promise was ended.")
    owner_user = models.ForeignKey(
        "teams.User", on_delete=models.PROTECT, null=True, blank=True, related_name="promises"
    )
    owner_officer = models.ForeignKey(
        "teams.Officer", on_delete=models.PROTECT, null=True, blank=True, related_name="promises"
    )
    # patrol
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="promises"
    )
    area = models.CharField(max_length=200, blank=True, help_text="Streets or area to patrol.")
    days = ArrayField(
        models.PositiveSmallIntegerField(choices=WEEKDAYS),
        default=list,
        blank=True,
        help_text="Days of the week the window opens (0 = Monday).",
    )
    window_start = models.TimeField(null=True, blank=True)
    window_end = models.TimeField(
        null=True, blank=True, help_text="Not after the start: the window crosses midnight."
    )
    # visit_all
    place_kind = models.CharField(max_length=30, choices=Place.Kind.choices, blank=True)
    # patrol (per week), engagement (per month), custom (per week or month); unused for visit_all
    target = models.PositiveIntegerField(null=True, blank=True)
    period = models.CharField(max_length=6, choices=Period.choices, default=Period.MONTH)
    created_by = models.ForeignKey(
        "teams.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PromiseQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ward__isnull=False, team__isnull=True)
                | Q(ward__isnull=True, team__isnull=False),
                name="promise_has_ward_or_team",
            ),
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False, owner_officer__isnull=True)
                | Q(owner_user__isnull=True, owner_officer__isnull=False),
                name="promise_has_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="promise_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(kind="visit_all") | Q(target__gte=1),
                name="promise_count_kinds_have_target",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("promises:promise", args=[self.pk])

    @property
    def where(self) -> str:
        return str(self.ward) if self.ward_id else str(self.team)

    @property
    def days_display(self) -> str:
        names = dict(WEEKDAYS)
        return ", ".join(names[d] for d in sorted(self.days))

    @property
    def crosses_midnight(self) -> bool:
        return bool(self.window_start and self.window_end and self.window_end <= self.window_start)

    def effective_period(self) -> str:
        if self.kind == self.Kind.PATROL:
            return self.Period.WEEK
        if self.kind in (self.Kind.VISIT_ALL, self.Kind.ENGAGEMENT):
            return self.Period.MONTH
        return self.period

    def is_active(self, on: datetime.date) -> bool:
        return self.start <= on and (self.end is None or self.end >= on)

    def clean(self):
        errors = {}
        if self.kind == self.Kind.PATROL:
            if not self.days:
                errors["days"] = "Choose the days of the week the patrols happen."
            if not self.window_start or not self.window_end:
                errors["window_start"] = "Enter the time window of the patrols."
            elif self.window_start == self.window_end:
                errors["window_end"] = "The window must end at a different time from its start."
            if not self.place_id and not self.area:
                errors["area"] = "Enter the area to patrol, or choose a place."
        if self.kind == self.Kind.VISIT_ALL and not self.place_kind:
            errors["place_kind"] = "Choose the kind of place to visit."
        if self.kind != self.Kind.VISIT_ALL and not self.target:
            errors["target"] = "Enter how many times, at least 1."
        if self.end and self.end < self.start:
            errors["end"] = "The end must be on or after the start."
        if errors:
            raise ValidationError(errors)


class Activity(models.Model):
    """Something the team did: a patrol, a visit, a street briefing. It counts towards the
    promises it is linked to (when it meets each promise's rule, see promises.delivery)."""

    class Kind(models.TextChoices):
        PATROL = "patrol", "Patrol"
        VISIT = "visit", "Visit to a place"
        STREET_BRIEFING = "street_briefing", "Street briefing"
        WARD_PANEL = "ward_panel", "Ward panel meeting"
        CONTACT_POINT = "contact_point", "Contact point or surgery"
        COMMUNITY_EVENT = "community_event", "Community event"
        OTHER = "other", "Other"

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    location = models.CharField(max_length=200, blank=True, help_text="Street or area.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    officers = models.ManyToManyField("teams.Officer", blank=True, related_name="activities")
    promises = models.ManyToManyField(Promise, blank=True, related_name="activities")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        "teams.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("ward__borough").as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_it_starts"
            )
        ]
        indexes = [
            models.Index(fields=["ward", "starts_at"]),
            # The API list's order (newest first): a page is read in order, not sorted. Also the
            # monthly report's promises section, a week's activities of the promises in
            # whichever ward they were logged, as a range of it (EXPLAIN: as fast as the
            # (starts_at) index it replaced, migration 0006).
            models.Index(fields=["-starts_at", "-id"], name="activity_list_order"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} in {self.ward}, {self.starts_at:%d %b %Y %H:%M}"

    @property
    def duration_minutes(self) -> int:
        return int(elapsed(self.starts_at, self.ends_at).total_seconds() // 60)


class WardPriorityQuerySet(scoped_queryset("ward__borough")):
    def open(self):
        return self.filter(closed_on__isnull=True)


class WardPriority(models.Model):
    """A ward panel's priority, as data.police.uk publishes it: `issue`, `action` (HTML),
    `issue-date`, `action-date`. Closed, never deleted: the history is kept."""

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="priorities")
    issue = models.TextField()
    action = models.TextField(blank=True, help_text="HTML, sanitised on save by the service.")
    issue_date = models.DateTimeField(help_text="When the priority was agreed.")
    action_date = models.DateTimeField(null=True, blank=True, help_text="When last acted on.")
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        "teams.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WardPriorityQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name_plural = "ward priorities"

    def __str__(self):
        return self.issue[:60]

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class EngagementEventQuerySet(scoped_queryset("ward__borough")):
    def upcoming(self, on: datetime.date | None = None):
        """The events the public is told of: those not ended before the London day `on`
        (default today), soonest first. The team's public page and data.police.uk's events
        (policeuk) both list these."""
        day = on or today()
        return self.filter(ends_at__gte=day_bounds(day, day)[0]).order_by("starts_at", "pk")


class EngagementEvent(models.Model):
    """A public event: a street briefing, contact point, surgery or ward panel meeting."""

    class Kind(models.TextChoices):
        STREET_BRIEFING = "street_briefing", "Street briefing"
        WARD_PANEL = "ward_panel", "Ward panel meeting"
        CONTACT_POINT = "contact_point", "Contact point or surgery"
        COMMUNITY_EVENT = "community_event", "Community event"
        OTHER = "other", "Other"

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    address = models.CharField(max_length=300)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    contact = models.CharField(
        max_length=200, blank=True, help_text="Public contact, shown to everyone (e.g. team email)."
    )
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "teams.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EngagementEventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_it_starts"
            )
        ]

    def __str__(self):
        return self.title
