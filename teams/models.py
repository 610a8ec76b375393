"""Officers, the teams they serve in (a ward's neighbourhood team, or a cluster's or borough's
integrated neighbourhood policing team) and their postings, with history."""

import datetime

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q
from django.urls import reverse
from django.utils import timezone

from config.access import Role, scoped_queryset
from wards.models import Borough, Ward, WardCluster


class Rank(models.TextChoices):
    PCSO = "pcso", "PCSO"
    SPECIAL = "special", "Special Constable"
    PC = "pc", "PC"
    SERGEANT = "sergeant", "Sergeant"
    INSPECTOR = "inspector", "Inspector"
    CHIEF_INSPECTOR = "chief_inspector", "Chief Inspector"
    SUPERINTENDENT = "superintendent", "Superintendent"
    CHIEF_SUPERINTENDENT = "chief_superintendent", "Chief Superintendent"


# The ranks a constable's login stands for: the PCs and PCSOs who do most of the patrols.
CONSTABLE_RANKS = frozenset({Rank.PCSO, Rank.SPECIAL, Rank.PC})

# Seniority order, for "an Inspector or above".
RANK_ORDER = [r.value for r in Rank]


def rank_at_least(rank: str, minimum: str) -> bool:
    return RANK_ORDER.index(rank) >= RANK_ORDER.index(minimum)


class Officer(models.Model):
    shoulder_number = models.CharField(
        max_length=10,
        unique=True,
        help_text="Warrant/shoulder number with BCU call sign, e.g. 7016EA.",
    )
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    rank = models.CharField(max_length=24, choices=Rank.choices)
    is_detective = models.BooleanField(default=False)
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="officers")
    active = models.BooleanField(default=True)
    # The public API (policeuk) lists a ward team's officers by name and rank; an officer may
    # opt out of that list. The database holds the default too, so code that does not know the
    # column yet (an older release during a deploy, a migration's historical model) still writes.
    publish = models.BooleanField(
        default=True,
        db_default=True,
        help_text="Publish this officer's name and rank as a member of their ward team "
        "(the public API). Untick to opt out.",
    )

    objects = scoped_queryset("borough").as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(is_detective=True, rank__in=["pcso", "special"]),
                name="officer_detective_needs_warranted_rank",
            )
        ]

    def __str__(self):
        return f"{self.rank_title} {self.first_name} {self.last_name} ({self.shoulder_number})"

    def get_absolute_url(self):
        return reverse("teams:officer", args=[self.shoulder_number])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def rank_title(self) -> str:
        """PC, DC, Sgt, DS, Insp, DI…: the detective prefix where it applies."""
        short = {
            Rank.PCSO: "PCSO",
            Rank.SPECIAL: "SC",
            Rank.PC: "PC",
            Rank.SERGEANT: "Sgt",
            Rank.INSPECTOR: "Insp",
            Rank.CHIEF_INSPECTOR: "Ch Insp",
            Rank.SUPERINTENDENT: "Supt",
            Rank.CHIEF_SUPERINTENDENT: "Ch Supt",
        }[self.rank]
        detective = {"PC": "DC", "Sgt": "DS", "Insp": "DI", "Ch Insp": "DCI", "Supt": "Det Supt"}
        return detective.get(short, short) if self.is_detective else short


class TeamQuerySet(scoped_queryset("borough")):
    pass


class Team(models.Model):
    class Kind(models.TextChoices):
        WARD = "ward", "Ward neighbourhood team"
        INPT = "inpt", "Integrated neighbourhood policing team"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=120)
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="teams")
    ward = models.OneToOneField(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="team"
    )
    cluster = models.OneToOneField(
        WardCluster, on_delete=models.PROTECT, null=True, blank=True, related_name="inpt"
    )
    # Public contact details: three in four Londoners do not know how to reach their team.
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["borough__name", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="ward", ward__isnull=False, cluster__isnull=True)
                | Q(kind="inpt", ward__isnull=True),
                name="team_ward_team_has_ward_inpt_has_none",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        if self.ward_id:
            return self.ward.get_absolute_url()
        return reverse("teams:team", args=[self.pk])

    def clean(self):
        if self.ward_id and self.ward.borough_id != self.borough_id:
            raise ValidationError({"ward": "A ward team belongs to the ward's borough."})
        if self.cluster_id and self.cluster.borough_id != self.borough_id:
            raise ValidationError({"cluster": "An INPT belongs to its cluster's borough."})


class DateRange(Func):
    function = "DATERANGE"
    output_field = DateRangeField()


class PostingQuerySet(scoped_queryset("team__borough")):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class Posting(models.Model):
    class Role(models.TextChoices):
        DEDICATED = "dedicated", "Dedicated ward officer"
        SUPERVISOR = "supervisor", "Supervising sergeant"
        LEAD = "lead", "Team lead (Inspector)"
        MEMBER = "member", "Team member"

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="postings")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="postings")
    role = models.CharField(max_length=12, choices=Role.choices)
    is_primary = models.BooleanField(
        default=True, help_text="The officer's main posting. A sergeant's other wards are not."
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Last day of the posting.")
    end_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        "teams.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.ForeignKey(
        "teams.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "officer__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="posting_ends_after_it_starts",
            ),
            # At most one primary posting at a time, for every day of an officer's history.
            ExclusionConstraint(
                name="posting_one_primary_at_a_time",
                expressions=[
                    ("officer", RangeOperators.EQUAL),
                    (
                        DateRange("start_date", "end_date", RangeBoundary(inclusive_upper=True)),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=Q(is_primary=True),
            ),
            # The same officer is not posted twice to the same team over overlapping dates.
            ExclusionConstraint(
                name="posting_no_overlap_in_same_team",
                expressions=[
                    ("officer", RangeOperators.EQUAL),
                    ("team", RangeOperators.EQUAL),
                    (
                        DateRange("start_date", "end_date", RangeBoundary(inclusive_upper=True)),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.officer} → {self.team} ({self.get_role_display()})"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class OfficerTransferQuerySet(models.QuerySet):
    def for_user(self, user):
        """Both boroughs see a transfer: the one the officer left and the one they joined."""
        from config.access import borough_ids

        ids = borough_ids(user)
        if ids is None:
            return self
        return self.filter(Q(from_borough__in=ids) | Q(to_borough__in=ids))


class OfficerTransfer(models.Model):
    """An officer moving from one borough to another: who asked, when, from when, and why. When
    it is done, their postings in the old borough have ended the day before `effective_on` and
    the officer belongs to the new borough (teams.services). A transfer dated ahead waits as
    planned until its day, when the daily job does it (or records why it could not)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="transfers")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    from_borough = models.ForeignKey(
        "wards.Borough", on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_borough = models.ForeignKey(
        "wards.Borough", on_delete=models.PROTECT, related_name="transfers_in"
    )
    effective_on = models.DateField(help_text="The first day in the new borough.")
    reason = models.CharField(max_length=300)
    transferred_by = models.ForeignKey(
        "teams.User", on_delete=models.PROTECT, related_name="+"
    )
    transferred_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    blocked_reason = models.CharField(
        max_length=500, blank=True, help_text="Why the daily job could not do it on its day."
    )
    cancelled_by = models.ForeignKey(
        "teams.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)

    objects = OfficerTransferQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_borough=F("to_borough")), name="transfer_between_two_boroughs"
            ),
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(status="planned"),
                name="one_planned_transfer_per_officer",
            ),
        ]

    def __str__(self):
        return f"{self.officer} {self.from_borough} → {self.to_borough} from {self.effective_on}"


class User(AbstractUser):
    """A person who logs in. Belongs to one or more boroughs (HQ and admins see all)."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.STAFF)
    boroughs = models.ManyToManyField(Borough, blank=True, related_name="users")
    officer = models.OneToOneField(
        Officer, on_delete=models.SET_NULL, null=True, blank=True, related_name="user"
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            # A constable's login is their own: what they see is their officer's duties and wards.
            models.CheckConstraint(
                condition=~Q(role="constable") | Q(officer__isnull=False),
                name="constable_login_linked_to_officer",
            ),
        ]

    def __str__(self):
        return self.display_name

    def clean(self):
        super().clean()
        if self.role == Role.CONSTABLE:
            if not self.officer_id:
                raise ValidationError({"officer": "Link a constable's login to their officer "
                                                  "record."})
            if self.officer.rank not in CONSTABLE_RANKS:
                raise ValidationError({"officer": "A constable's login is for a PC, a PCSO or a "
                                                  "Special Constable."})

    @property
    def display_name(self) -> str:
        """How the person is shown everywhere but audit views: rank and name for an officer
        ("Sgt Jo Bloggs"), else their name, else their role. Never the username, which only
        audit views show. Lists join `officer` (one query each otherwise)."""
        officer = self.officer if self.officer_id else None
        if officer is not None:
            return f"{officer.rank_title} {officer.full_name}"
        return self.get_full_name() or f"{self.get_role_display()} (no name recorded)"
