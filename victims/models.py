"""Victims of crime and the visit every one of them is offered (Operation Promote), tracked
from the offer to the visit's outcome.

Victim details are personal data: only borough staff with a working need see them (see
`victims.privacy`), each view is logged, and they are removed a while after the crime closes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from config.access import scoped_queryset
from teams.models import Officer
from wards.models import Borough, Ward


class Route(models.TextChoices):
    WARD = "ward", "Ward team"
    CID = "cid", "Borough CID"


class CrimeCategory(models.Model):
    """A crime type and who deals with it: reference data, editable by admins."""

    slug = models.SlugField(max_length=40, unique=True, help_text="data.police.uk slug.")
    name = models.CharField(max_length=80, unique=True)
    routes_to = models.CharField(
        max_length=4,
        choices=Route.choices,
        help_text="Lower-level neighbourhood crime goes to the ward team; hate crime, domestic "
        "abuse, sexual offences and serious violence to the borough's CID.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "crime categories"

    def __str__(self):
        return self.name


class Crime(models.Model):
    reference = models.CharField(max_length=64, unique=True)
    category = models.ForeignKey(CrimeCategory, on_delete=models.PROTECT, related_name="crimes")
    occurred_at = models.DateTimeField()
    reported_at = models.DateTimeField()
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="crimes")
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="crimes"
    )
    location = models.CharField(max_length=200, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    routed_to = models.CharField(max_length=4, choices=Route.choices)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("borough").as_manager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_at__gte=models.F("occurred_at")),
                name="crime_reported_after_it_occurred",
            )
        ]
        indexes = [
            models.Index(fields=["borough", "closed_at"]),
            # The list's order within a borough (newest report first), read backwards for the
            # oldest first; and the monthly report's victims section, a borough's crimes
            # reported in a month, as a range of it (EXPLAIN: the same plan and time as the
            # (borough, reported_at) index it replaced, migration 0008).
            models.Index(fields=["borough", "-reported_at", "-id"], name="crime_list_order"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("victims:crime", args=[self.pk])


class VictimQuerySet(scoped_queryset("crime__borough")):
    def repeats_of(self, victim, *, since):
        """Other crimes' victims that look like the same person or address since `since`."""
        same = Q(pk__in=[])
        if victim.name and (victim.phone or victim.email):
            person = Q(name__iexact=victim.name)
            contact = Q()
            if victim.phone:
                contact |= Q(phone=victim.phone)
            if victim.email:
                contact |= Q(email__iexact=victim.email)
            same |= person & contact
        if victim.postcode and victim.address:
            same |= Q(postcode__iexact=victim.postcode, address__iexact=victim.address)
        return self.filter(same, crime__reported_at__gte=since, anonymised_at__isnull=True).exclude(
            crime_id=victim.crime_id
        )


class Victim(models.Model):
    class ContactMethod(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"
        LETTER = "letter", "Letter"

    class EnhancedReason(models.TextChoices):
        MOST_SERIOUS = "most_serious", "Victim of the most serious crime"
        PERSISTENTLY_TARGETED = "persistently_targeted", "Persistently targeted"
        VULNERABLE = "vulnerable", "Vulnerable"
        INTIMIDATED = "intimidated", "Intimidated"

    crime = models.ForeignKey(Crime, on_delete=models.PROTECT, related_name="victims")
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    preferred_contact = models.CharField(
        max_length=8, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    preferred_times = models.CharField(max_length=120, blank=True)
    enhanced_rights = models.BooleanField(default=False)
    enhanced_reason = models.CharField(max_length=24, choices=EnhancedReason.choices, blank=True)
    consents_to_referral = models.BooleanField(default=False)
    address = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # Set when the victim was created: another crime against the same person or address within
    # the last 12 months. Kept after anonymisation (it is a statistic).
    is_repeat = models.BooleanField(default=False)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = VictimQuerySet.as_manager()

    class Meta:
        ordering = ["crime", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enhanced_rights=False, enhanced_reason="")
                | Q(enhanced_rights=True) & ~Q(enhanced_reason=""),
                name="victim_enhanced_rights_have_a_reason",
            )
        ]
        # Repeat detection compares case-insensitively (UPPER(...) = UPPER(...)).
        indexes = [
            models.Index(Upper("postcode"), Upper("address"), name="victim_address_upper"),
            models.Index(Upper("name"), name="victim_name_upper"),
        ]

    def __str__(self):
        return f"Victim {self.pk} of {self.crime_id}"


class OfferStatus(models.TextChoices):
    DUE = "due", "Offer due"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    NO_REPLY = "no_reply", "No reply"
    SCHEDULED = "scheduled", "Visit scheduled"
    COMPLETED = "completed", "Visit completed"
    MISSED = "missed", "Visit missed"
    CANCELLED = "cancelled", "Visit cancelled"


# An offer still waiting to be made: the work list's "offers due".
AWAITING_OFFER = (OfferStatus.DUE, OfferStatus.OFFERED)


class VisitOfferQuerySet(scoped_queryset("victim__crime__borough")):
    def overdue(self, on=None):
        on = on or timezone.localdate()
        return self.filter(status=OfferStatus.DUE, due_date__lt=on)

    def with_crime(self):
        return self.select_related(
            "victim__crime__category", "victim__crime__ward", "victim__crime__borough", "officer"
        )


class VisitOffer(models.Model):
    class How(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person"

    victim = models.OneToOneField(Victim, on_delete=models.PROTECT, related_name="offer")
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.DUE)
    # The last working day by which the offer must be made (Victims' Code: 1 working day for
    # enhanced rights, else 2; English bank holidays respected).
    due_date = models.DateField()
    offered_at = models.DateTimeField(null=True, blank=True, help_text="The first attempt.")
    offered_how = models.CharField(max_length=10, choices=How.choices, blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    responded_at = models.DateTimeField(null=True, blank=True)
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    reschedules = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    needs_assessment_done = models.BooleanField(default=False)
    referral_made = models.BooleanField(default=False)
    crime_prevention_advice = models.BooleanField(default=False)
    # Asked once after the visit and recorded as a step (who, when): never overwritten.
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    satisfaction_recorded_at = models.DateTimeField(null=True, blank=True)
    satisfaction_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why a visit was missed or cancelled.")

    objects = VisitOfferQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="visit_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True, satisfaction_recorded_at__isnull=True)
                | Q(satisfaction__isnull=False, satisfaction_recorded_at__isnull=False),
                name="visit_satisfaction_recorded_when",
            ),
            models.CheckConstraint(
                condition=Q(window_start__isnull=True) | Q(window_end__gt=models.F("window_start")),
                name="visit_window_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # The API list's order (by deadline): a page is read in order, not sorted.
            models.Index(fields=["due_date", "id"], name="visit_offer_list_order"),
        ]

    def __str__(self):
        return f"Visit offer {self.pk} ({self.get_status_display()})"

    @property
    def is_overdue(self) -> bool:
        return self.status == OfferStatus.DUE and self.due_date < timezone.localdate()

    @property
    def made_on_time(self) -> bool | None:
        if self.offered_at is None:
            return None
        return timezone.localtime(self.offered_at).date() <= self.due_date


class VisitTransition(models.Model):
    """Every change of an offer's state: who, when, from, to and why. Never edited."""

    offer = models.ForeignKey(VisitOffer, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=OfferStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=OfferStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    objects = scoped_queryset("offer__victim__crime__borough").as_manager()

    class Meta:
        ordering = ["at", "pk"]
        # An offer's status as it stood at an instant (selectors.status_as_at): its first
        # transition at or after it, one index probe.
        indexes = [models.Index(fields=["offer", "at", "id"], name="visit_transition_offer_at")]

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"


class VictimViewLog(models.Model):
    """Someone saw a victim's personal details: who, when, which record and where."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="views")
    at = models.DateTimeField(default=timezone.now)
    where = models.CharField(max_length=40, help_text="The page or endpoint, e.g. crime page.")

    objects = scoped_queryset("victim__crime__borough").as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} viewed victim {self.victim_id} at {self.at:%Y-%m-%d %H:%M}"
