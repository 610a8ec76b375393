"""Where neighbourhood officers' time goes: duties, abstractions to other work, and requests to
flex officers across ward boundaries under the SN Deployment Protocol."""

import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.timezone import localtime

from config.access import borough_ids, scoped_queryset
from config.timeutils import LONDON, elapsed
from deployment import protocol
from deployment.protocol import FlexStatus
from teams.models import Officer
from wards.models import Borough, Ward


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class AbstractionType(models.Model):
    """Why an officer was taken from their ward: reference data, editable by admins."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=60, unique=True)
    description = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "name"]

    def __str__(self):
        return self.name


class Abstraction(models.Model):
    """An officer taken away from their ward duties for a period (e.g. a DWO sent to a
    demonstration). The protocol allows it only for a significant event on the borough."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="abstractions")
    borough = models.ForeignKey(
        Borough,
        on_delete=models.PROTECT,
        related_name="abstractions",
        help_text="The officer's borough when abstracted: the record stays with it if they "
        "transfer later.",
    )
    abstraction_type = models.ForeignKey(AbstractionType, on_delete=models.PROTECT)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    significant_event = models.CharField(
        max_length=200, help_text="The significant event on the borough that justifies it."
    )
    authorised_by_name = models.CharField(max_length=120, help_text="Who authorised it.")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("borough").as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="abstraction_ends_after_it_starts"
            ),
        ]

    def __str__(self):
        starts = localtime(self.starts_at)
        return f"{self.officer} – {self.abstraction_type} from {starts:%d %b %Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.borough_id is None and self.officer_id is not None:
            self.borough_id = Officer.objects.values_list("borough_id", flat=True).get(
                pk=self.officer_id
            )
        super().save(*args, **kwargs)


class FlexRequestQuerySet(scoped_queryset("borough")):
    def authorised(self):
        """Requests an Inspector authorised (protocol.AUTHORISED_STATUSES)."""
        return self.filter(status__in=protocol.AUTHORISED_STATUSES)

    def review_overdue(self, on: datetime.date):
        """The rule for the protocol's review: authorised flexes whose review day came on or
        before `on` while they were still running, and that were not reviewed by the end of
        that day. The monthly report counts these (a review done late stays missed)."""
        return (
            self.authorised()
            .filter(review_due__lte=on, end_date__gte=F("review_due"))
            .exclude(ended_on__lte=F("review_due"))
            .alias(reviewed_on=TruncDate("last_reviewed_at", tzinfo=LONDON))
            .filter(Q(last_reviewed_at__isnull=True) | Q(reviewed_on__gt=F("review_due")))
        )

    def reviews_due(self, on: datetime.date):
        """The reviews still to do on `on`: overdue (`review_overdue`) and still running and
        never reviewed. The inspector's queue, Grip and Pace, the reminder email and the API's
        `review_due` filter show these."""
        return self.review_overdue(on).filter(
            status=FlexStatus.ACTIVE, last_reviewed_at__isnull=True
        )


class FlexRequest(models.Model):
    """A request to deploy named officers of a borough to another ward of the same borough for a
    period, against a named problem."""

    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="flex_requests")
    to_ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="flexes_in")
    officers = models.ManyToManyField(Officer, through="FlexOfficer", related_name="flexes")
    start_date = models.DateField()
    end_date = models.DateField(help_text="Last day of the flex.")
    daily_start = models.TimeField(help_text="Start of the daily deployment window.")
    daily_end = models.TimeField(
        help_text="End of the window; earlier than the start means overnight."
    )
    problem = models.CharField(
        max_length=300, help_text="The named problem: a ward priority or intelligence-led reason."
    )
    expected_benefit = models.TextField()
    status = models.CharField(max_length=12, choices=FlexStatus.choices, default=FlexStatus.DRAFT)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flex_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    cover_override_reason = models.TextField(
        blank=True, help_text="Why a Chief Inspector accepted a ward going below minimum cover."
    )
    review_due = models.DateField(null=True, blank=True)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    # Set once when the review reminder is claimed for sending: the reminder goes out once.
    review_reminded_at = models.DateTimeField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    objects = FlexRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="flex_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(
                    end_date__lte=F("start_date")
                    + datetime.timedelta(days=protocol.MAX_FLEX_DAYS - 1)
                ),
                name="flex_at_most_28_days",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="flex_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["borough", "status"])]

    def __str__(self):
        return f"Flex #{self.pk} to {self.to_ward} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("deployment:flex", args=[self.pk])

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class FlexOfficer(models.Model):
    """An officer named in a flex request, with the ward they are flexed from."""

    flex_request = models.ForeignKey(FlexRequest, on_delete=models.CASCADE, related_name="members")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="flex_memberships")
    from_ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="flexes_out"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["flex_request", "officer"], name="flex_officer_once")
        ]

    def __str__(self):
        return f"{self.officer} in flex #{self.flex_request_id}"

    @property
    def from_ward_shown(self) -> Ward | None:
        """The ward flexed from, as the request's pages show it: only a ward of the request's
        own borough (an officer who served in another borough before brings none of its
        wards)."""
        ward = self.from_ward
        if ward is None or ward.borough_id != self.flex_request.borough_id:
            return None
        return ward


class FlexTransition(models.Model):
    """Every change of a flex request's state: who, when, from, to and why. Never edited."""

    flex_request = models.ForeignKey(
        FlexRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=12, choices=FlexStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=FlexStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"


class CommitmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """The commitments of the user's boroughs: the flex's or the abstraction's borough (an
        officer's commitments in a borough they served in before are that borough's)."""
        ids = borough_ids(user)
        if ids is None:
            return self
        return self.filter(Q(flex_request__borough__in=ids) | Q(abstraction__borough__in=ids))


class Commitment(models.Model):
    """The time an officer is held away from their home ward: by an approved flex or an
    abstraction. One table so PostgreSQL can refuse any overlap between the two."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="commitments")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    flex_request = models.ForeignKey(
        FlexRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="commitments"
    )
    abstraction = models.OneToOneField(
        Abstraction, on_delete=models.CASCADE, null=True, blank=True, related_name="commitment"
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(flex_request__isnull=False, abstraction__isnull=True)
                | Q(flex_request__isnull=True, abstraction__isnull=False),
                name="commitment_is_flex_or_abstraction",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="commitment_ends_after_it_starts"
            ),
            ExclusionConstraint(
                name="commitment_no_overlap_per_officer",
                expressions=[
                    ("officer", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        starts, ends = localtime(self.starts_at), localtime(self.ends_at)
        return f"{self.officer} held {starts:%d %b %H:%M}–{ends:%d %b %H:%M}"


# The longest shift a duty may record. The database enforces it too, so the monthly reports can
# read a month's duties with an index range (a duty overlapping the month starts at most this long
# before it).
MAX_SHIFT_HOURS = 16


class Duty(models.Model):
    """One shift of one officer, and what it was."""

    class Kind(models.TextChoices):
        HOME = "home", "In home ward"
        FLEXED = "flexed", "Flexed to another ward"
        ABSTRACTED = "abstracted", "Abstracted"

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="duties")
    home_ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="duties")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.HOME)
    worked_ward = models.ForeignKey(
        Ward,
        on_delete=models.PROTECT,
        related_name="duties_worked",
        help_text="Where the shift was worked; differs from the home ward when flexed.",
    )
    flex_request = models.ForeignKey(
        FlexRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="duties"
    )
    abstraction = models.ForeignKey(
        Abstraction, on_delete=models.PROTECT, null=True, blank=True, related_name="duties"
    )
    notes = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    # A duty belongs to its home ward's borough, even after the officer transfers.
    objects = scoped_queryset("home_ward__borough").as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name_plural = "duties"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="duty_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(
                    ends_at__lte=F("starts_at") + datetime.timedelta(hours=MAX_SHIFT_HOURS)
                ),
                name="duty_at_most_max_shift",
            ),
            models.CheckConstraint(
                condition=Q(kind="abstracted", abstraction__isnull=False)
                | (~Q(kind="abstracted") & Q(abstraction__isnull=True)),
                name="duty_abstracted_iff_abstraction",
            ),
            models.CheckConstraint(
                condition=Q(kind="home", worked_ward=F("home_ward"), flex_request__isnull=True)
                | ~Q(kind="home"),
                name="duty_home_is_in_home_ward",
            ),
            ExclusionConstraint(
                name="duty_no_overlap_per_officer",
                expressions=[
                    ("officer", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                ],
            ),
        ]
        indexes = [
            models.Index(fields=["home_ward", "starts_at"]),
            models.Index(fields=["worked_ward", "starts_at"]),
            models.Index(fields=["officer", "starts_at"]),
        ]

    def __str__(self):
        return (
            f"{self.officer} {localtime(self.starts_at):%d %b %H:%M}–"
            f"{localtime(self.ends_at):%H:%M} {self.kind}"
        )

    @property
    def hours(self) -> float:
        return elapsed(self.starts_at, self.ends_at).total_seconds() / 3600

    @property
    def unauthorised_flex(self) -> bool:
        return self.kind == self.Kind.FLEXED and self.flex_request_id is None
