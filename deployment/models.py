"""Where neighbourhood officers' time goes: duties, abstractions to other work, and requests to
flex officers across ward boundaries under the SN Deployment Protocol."""

import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Least, TruncDate
from django.urls import reverse
from django.utils.timezone import localtime

from config.access import borough_ids, scoped_queryset
from config.timeutils import LONDON, elapsed, validate_whole_minute
from deployment import protocol
from deployment.protocol import FlexStatus
from teams.models import Officer
from wards.models import Borough, Ward


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class IsWholeMinute(Func):
    """True when a timestamp (in real time) or a time of day has no seconds."""

    template = "(MOD(EXTRACT(EPOCH FROM %(expressions)s), 60) = 0)"
    output_field = models.BooleanField()


def whole_minutes(*fields, name: str) -> models.CheckConstraint:
    """The database holds every recorded time to whole minutes (config.timeutils)."""
    condition = Q(IsWholeMinute(fields[0]))
    for field in fields[1:]:
        condition &= Q(IsWholeMinute(field))
    return models.CheckConstraint(condition=condition, name=name)


# An abstraction is for a significant event, not a change of role: longer is a posting. The
# database holds it too, so the reports can read a month's abstractions by an index range.
MAX_ABSTRACTION_DAYS = 31


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
    starts_at = models.DateTimeField(validators=[validate_whole_minute])
    ends_at = models.DateTimeField(validators=[validate_whole_minute])
    significant_event = models.CharField(
        max_length=200, help_text="The significant event on the borough that justifies it."
    )
    authorised_by_name = models.CharField(max_length=120, help_text="Who authorised it.")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Minimum cover (deployment.duties): a planned abstraction that leaves a ward below it needs
    # a Chief Inspector's reason; one recorded after the fact is flagged and escalated instead.
    cover_override_reason = models.TextField(
        blank=True, help_text="Why a Chief Inspector accepted a ward going below minimum cover."
    )
    cover_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    below_cover = models.BooleanField(
        default=False,
        help_text="Recorded after the fact, it left a ward below minimum cover: escalated to the "
        "borough's Chief Inspectors.",
    )
    cover_gaps = models.TextField(
        blank=True, help_text="The ward-days below minimum cover it left, as recorded."
    )

    objects = scoped_queryset("borough").as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="abstraction_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(cover_override_reason="", cover_override_by__isnull=True)
                | (~Q(cover_override_reason="") & Q(cover_override_by__isnull=False)),
                name="abstraction_cover_override_has_who_and_why",
            ),
            models.CheckConstraint(
                condition=Q(
                    ends_at__lt=F("starts_at") + datetime.timedelta(days=MAX_ABSTRACTION_DAYS)
                ),
                name="abstraction_shorter_than_max_days",
            ),
            whole_minutes("starts_at", "ends_at", name="abstraction_in_whole_minutes"),
            # An officer is taken away once at a time (their commitments hold it too): each
            # abstracted minute is counted once in the reports.
            ExclusionConstraint(
                name="abstraction_no_overlap_per_officer",
                expressions=[
                    ("officer", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                ],
            ),
        ]
        indexes = [
            models.Index(fields=["officer", "starts_at"]),
            # The API list's order within a borough (newest first), so a page is read in order.
            models.Index(fields=["borough", "-starts_at", "-id"], name="abstraction_list_order"),
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

    def as_at(self, instant: datetime.datetime | None = None):
        """Each request as it stood at `instant` (default: now), for figures that must not
        change afterwards: `status_then`, its status then (the `from_status` of its first
        transition at or after `instant`, or its status now if none came since), and
        `first_reviewed_at`, when its first 14-day review was recorded (a review that continues
        the flex leaves an active → active transition; the last review's time is kept on the
        request)."""
        status = F("status")
        if instant is not None:
            later = (
                FlexTransition.objects.filter(flex_request=OuterRef("pk"), at__gte=instant)
                .order_by("at", "pk")
                .values("from_status")[:1]
            )
            status = Coalesce(Subquery(later), F("status"))
        continued = (
            FlexTransition.objects.filter(
                flex_request=OuterRef("pk"),
                from_status=FlexStatus.ACTIVE,
                to_status=FlexStatus.ACTIVE,
            )
            .order_by("at", "pk")
            .values("at")[:1]
        )
        # PostgreSQL's LEAST ignores NULLs: the earlier of the two that exist.
        return self.annotate(
            status_then=status,
            first_reviewed_at=Least(F("last_reviewed_at"), Subquery(continued)),
        )

    def reaching_review(self):
        """Flexes that run to their review day: planned to last until it, and not ended on or
        before it. A 7-day flex never reaches its 14-day review."""
        return self.filter(review_due__isnull=False, end_date__gte=F("review_due")).exclude(
            ended_on__lte=F("review_due")
        )

    def with_reaches_review(self):
        """Annotate `reaches_review` (reaching_review, for one request's page)."""
        return self.annotate(reaches_review=Exists(
            FlexRequest.objects.filter(pk=OuterRef("pk")).reaching_review()
        ))

    def review_overdue(self, on: datetime.date):
        """The rule for the protocol's review: flexes authorised (as they stood, `as_at`) whose
        review day came on or before `on` while they were still running (their planned last
        day on or after it, and not ended early on or before it: a flex ended on its review day
        was ended at the review), and whose first review was not recorded by the end of that
        day. The monthly report counts each once, in the month its review fell due (a review
        done late stays missed)."""
        qs = self if "status_then" in self.query.annotations else self.as_at()
        return (
            qs.filter(status_then__in=protocol.AUTHORISED_STATUSES)
            .reaching_review()
            .filter(review_due__lte=on)
            .alias(reviewed_on=TruncDate("first_reviewed_at", tzinfo=LONDON))
            .filter(Q(first_reviewed_at__isnull=True) | Q(reviewed_on__gt=F("review_due")))
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
    daily_start = models.TimeField(
        help_text="Start of the daily deployment window.", validators=[validate_whole_minute]
    )
    daily_end = models.TimeField(
        help_text="End of the window; earlier than the start means overnight.",
        validators=[validate_whole_minute],
    )
    problem = models.CharField(
        max_length=300, help_text="The named problem: a ward priority or intelligence-led reason."
    )
    # The protocol's "intelligence-led against a named problem": the problem's link to the
    # destination ward's priority (kept by promises: its id, and its issue as linked) or to an
    # intelligence reference, where one exists.
    ward_priority_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The destination ward's priority the problem is."
    )
    ward_priority_issue = models.TextField(blank=True)
    intelligence_ref = models.CharField(
        max_length=60, blank=True, help_text="The intelligence report the flex is led by."
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
            whole_minutes("daily_start", "daily_end", name="flex_window_in_whole_minutes"),
        ]
        indexes = [models.Index(fields=["borough", "status"])]

    def __str__(self):
        return f"Flex #{self.pk} to {self.to_ward} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("deployment:flex", args=[self.pk])

    @property
    def runs_to_review(self) -> bool:
        """Whether this request runs to its review day: the row's reading of
        FlexRequestQuerySet.reaching_review (the annotation `reaches_review` when the queryset
        made it). A 7-day flex has no 14-day review."""
        if hasattr(self, "reaches_review"):
            return self.reaches_review
        due = self.review_due
        return due is not None and self.end_date >= due and not (
            self.ended_on is not None and self.ended_on <= due
        )

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class FlexOfficer(models.Model):
    """An officer named in a flex request, with the ward they are flexed from. An officer added
    or released by a change at the review serves part of the flex: from `first_day`, until
    `last_day` (empty: from its start, until its end)."""

    flex_request = models.ForeignKey(FlexRequest, on_delete=models.CASCADE, related_name="members")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="flex_memberships")
    from_ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="flexes_out"
    )
    first_day = models.DateField(null=True, blank=True)
    last_day = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["flex_request", "officer"], name="flex_officer_once")
        ]

    def __str__(self):
        return f"{self.officer} in flex #{self.flex_request_id}"

    def days(self, flex) -> tuple[datetime.date, datetime.date]:
        """(first, last): the days of `flex` this officer serves."""
        last = min(flex.end_date, self.last_day or flex.end_date)
        return self.first_day or flex.start_date, last

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
    """Every step of a flex request: each change of its state, each edit, each review and its
    decision, each change proposed at a review and its decision: who, when, from, to and why.
    Never edited."""

    class Step(models.TextChoices):
        STATUS = "", "Status changed"
        EDIT = "edit", "Changed"
        REVIEW_CONTINUE = "review_continue", "Reviewed: continue"
        REVIEW_CHANGE = "review_change", "Reviewed: change proposed"
        REVIEW_END = "review_end", "Reviewed: end"
        CHANGE_APPROVE = "change_approve", "Change approved"
        CHANGE_REJECT = "change_reject", "Change refused"
        CHANGE_LAPSE = "change_lapse", "Change lapsed"

    flex_request = models.ForeignKey(
        FlexRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=12, choices=FlexStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=FlexStatus.choices)
    step = models.CharField(max_length=16, choices=Step.choices, blank=True, default="")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"


class FlexChange(models.Model):
    """A change to a running flex, proposed at its review (the borough's tasking meeting): a new
    last day, other daily hours, officers added or released. It is decided as a request is, by
    an Inspector or above of the borough other than whoever proposed it, and the approval rules
    (conflicts, minimum cover) run again over what it changes. Approved, it applies from the day
    after the decision."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Refused"
        LAPSED = "lapsed", "Lapsed"

    flex_request = models.ForeignKey(FlexRequest, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    end_date = models.DateField(help_text="The flex's last day with the change.")
    daily_start = models.TimeField()
    daily_end = models.TimeField()
    officers = models.ManyToManyField(
        Officer, related_name="+", help_text="Every officer of the flex with the change."
    )
    reason = models.TextField(help_text="Why the tasking meeting wants the change.")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    cover_override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["flex_request"],
                condition=Q(status="proposed"),
                name="flex_one_change_proposed_at_a_time",
            ),
        ]

    def __str__(self):
        return f"Change to flex #{self.flex_request_id} ({self.get_status_display()})"


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
            whole_minutes("starts_at", "ends_at", name="commitment_in_whole_minutes"),
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
    starts_at = models.DateTimeField(validators=[validate_whole_minute])
    ends_at = models.DateTimeField(validators=[validate_whole_minute])
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
            whole_minutes("starts_at", "ends_at", name="duty_in_whole_minutes"),
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
            # The API list's order: a page is the first rows of the borough's wards in this index
            # (a borough's year of shifts is not sorted to show 50 of them).
            models.Index(fields=["starts_at", "id"], name="duty_list_order"),
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


class RestDay(models.Model):
    """An officer's rostered rest day: a London date. A duty recorded on the same date makes it
    a rest day worked (cancelled: the officer was called in), which the calendar shows and
    counts (deployment.rest_days.rest_day_worked) but never refuses: recalls happen."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="rest_days")
    day = models.DateField(help_text="The London date of the rest day.")
    borough = models.ForeignKey(
        Borough,
        on_delete=models.PROTECT,
        related_name="rest_days",
        help_text="The borough the officer served in on that date: the record stays with it if "
        "they transfer later.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("borough").as_manager()

    class Meta:
        ordering = ["day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "day"], name="rest_day_once_per_officer"),
        ]
        indexes = [models.Index(fields=["borough", "day", "id"], name="rest_day_list_order")]

    def __str__(self):
        return f"{self.officer} rest day {self.day:%d %b %Y}"
