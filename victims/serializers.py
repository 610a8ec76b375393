"""API shapes for crimes, victims and visit offers.

Victim details (name, contact, address) appear only in `VictimSerializer`, which the API uses
only for users who may see them (`victims.privacy.can_see_victims`), logging each view. Every
other shape carries no personal data."""

from rest_framework import serializers

from config import fields
from config.fields import ScopedSlugRelatedField, SlugField
from config.limits import PLANNED, RECORD
from teams.models import Officer
from victims.models import Crime, CrimeCategory, OfferStatus, Victim, VisitOffer, VisitTransition
from victims.services import VictimInput, next_actions
from wards.models import Borough, Ward


class OfferSummarySerializer(serializers.ModelSerializer):
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = VisitOffer
        fields = ["id", "status", "due_date", "overdue", "attempts", "window_start", "officer"]
        read_only_fields = fields


REPEAT_HELP = (
    "A repeat within London: the same person or address in another crime of the 12 months "
    "before, in any borough (which crime is not said)."
)


class VictimSummarySerializer(serializers.ModelSerializer):
    """What anyone who reads the crime may know: no name, contact or address."""

    offer = OfferSummarySerializer(read_only=True)
    is_repeat = serializers.BooleanField(read_only=True, help_text=REPEAT_HELP)

    class Meta:
        model = Victim
        fields = ["id", "enhanced_rights", "is_repeat", "offer"]


# The victim's details that only users who may see victims get (victims.privacy): for everyone
# else a crime's victims are summaries, so the schema marks these as not always present.
PERSONAL_FIELDS = [
    "name", "phone", "email", "preferred_contact", "preferred_times", "enhanced_reason",
    "consents_to_referral", "address", "postcode", "anonymised_at",
]  # fmt: skip


class VictimSerializer(VictimSummarySerializer):
    """A victim with their details: present only for users who may see victims."""

    class Meta:
        model = Victim
        extra_kwargs = {name: {"required": False} for name in PERSONAL_FIELDS}
        fields = [
            "id",
            "name",
            "phone",
            "email",
            "preferred_contact",
            "preferred_times",
            "enhanced_rights",
            "enhanced_reason",
            "consents_to_referral",
            "address",
            "postcode",
            "is_repeat",
            "anonymised_at",
            "offer",
        ]


class CrimeSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    borough = serializers.SlugRelatedField(slug_field="code", read_only=True)
    ward = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    victims = VictimSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Crime
        fields = [
            "id",
            "reference",
            "category",
            "occurred_at",
            "reported_at",
            "borough",
            "ward",
            "location",
            "lat",
            "lng",
            "routed_to",
            "closed_at",
            "victims",
        ]


class CrimeDetailSerializer(CrimeSerializer):
    """With victims' details: only for users who may see them."""

    victims = VictimSerializer(many=True, read_only=True)


class VictimInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    phone = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
    email = serializers.EmailField(required=False, default="", allow_blank=True)
    preferred_contact = serializers.ChoiceField(
        Victim.ContactMethod.choices, default=Victim.ContactMethod.PHONE
    )
    preferred_times = serializers.CharField(
        max_length=120, required=False, default="", allow_blank=True
    )
    enhanced_rights = serializers.BooleanField(default=False)
    enhanced_reason = serializers.ChoiceField(
        Victim.EnhancedReason.choices, required=False, default="", allow_blank=True
    )
    consents_to_referral = serializers.BooleanField(default=False)
    address = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, default="", allow_blank=True)

    def to_internal_value(self, data):
        return VictimInput(**super().to_internal_value(data))


class CrimeInputSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=64)
    category = SlugField(slug_field="slug", queryset=CrimeCategory.objects.all())
    occurred_at = fields.DateTimeField(kind=RECORD)
    reported_at = fields.DateTimeField(kind=RECORD)
    borough = ScopedSlugRelatedField(
        slug_field="code", queryset=Borough.objects.all(), required=False, allow_null=True
    )
    ward = ScopedSlugRelatedField(
        slug_field="code", queryset=Ward.objects.all(), required=False, allow_null=True
    )
    location = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    lat = serializers.DecimalField(9, 6, required=False, allow_null=True, default=None)
    lng = serializers.DecimalField(9, 6, required=False, allow_null=True, default=None)
    victims = VictimInputSerializer(many=True)


class TransitionSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = VisitTransition
        fields = ["from_status", "to_status", "by", "at", "reason"]


class VisitOfferSerializer(serializers.ModelSerializer):
    """An offer without victim details. Free-text reasons may name people: only users who may
    see victims get them (context `can_see_victims`)."""

    crime = serializers.IntegerField(source="victim.crime_id", read_only=True)
    reference = serializers.CharField(source="victim.crime.reference", read_only=True)
    category = serializers.CharField(source="victim.crime.category.slug", read_only=True)
    borough = serializers.CharField(source="victim.crime.borough.code", read_only=True)
    ward = serializers.CharField(
        source="victim.crime.ward.code", default=None, read_only=True, allow_null=True
    )
    routed_to = serializers.CharField(source="victim.crime.routed_to", read_only=True)
    enhanced_rights = serializers.BooleanField(source="victim.enhanced_rights", read_only=True)
    is_repeat = serializers.BooleanField(
        source="victim.is_repeat", read_only=True, help_text=REPEAT_HELP
    )
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    officer = serializers.SlugRelatedField(
        slug_field="shoulder_number", read_only=True, allow_null=True
    )
    offered_by = serializers.StringRelatedField(allow_null=True)
    satisfaction_recorded_by = serializers.StringRelatedField(
        allow_null=True,
        help_text="Who recorded the victim's satisfaction (asked once; never changed).",
    )
    next_actions = serializers.SerializerMethodField()

    class Meta:
        model = VisitOffer
        fields = [
            "id",
            "crime",
            "reference",
            "category",
            "borough",
            "ward",
            "routed_to",
            "victim",
            "enhanced_rights",
            "is_repeat",
            "status",
            "due_date",
            "overdue",
            "offered_at",
            "offered_how",
            "offered_by",
            "attempts",
            "responded_at",
            "window_start",
            "window_end",
            "officer",
            "reschedules",
            "completed_at",
            "needs_assessment_done",
            "referral_made",
            "crime_prevention_advice",
            "satisfaction",
            "satisfaction_recorded_at",
            "satisfaction_recorded_by",
            "reason",
            "next_actions",
        ]
        read_only_fields = ["victim"]  # each step has its input serializer

    def get_next_actions(self, offer) -> list[str]:
        return next_actions(offer) if self.context.get("can_see_victims") else []

    def to_representation(self, offer):
        data = super().to_representation(offer)
        if not self.context.get("can_see_victims"):
            data.pop("reason")
        return data


class VisitOfferDetailSerializer(VisitOfferSerializer):
    transitions = serializers.SerializerMethodField()

    class Meta(VisitOfferSerializer.Meta):
        fields = [*VisitOfferSerializer.Meta.fields, "transitions"]

    def get_transitions(self, offer) -> list[dict]:
        rows = TransitionSerializer(offer.transitions.all(), many=True).data
        if not self.context.get("can_see_victims"):
            for row in rows:
                row.pop("reason")
        return rows


# --- action inputs ---------------------------------------------------------------------------


class OfferInputSerializer(serializers.Serializer):
    how = serializers.ChoiceField(VisitOffer.How.choices)
    at = fields.DateTimeField(kind=RECORD, required=False, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class RespondInputSerializer(serializers.Serializer):
    response = serializers.ChoiceField(
        [OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.NO_REPLY]
    )
    note = serializers.CharField(required=False, default="", allow_blank=True)


class ScheduleInputSerializer(serializers.Serializer):
    officer = ScopedSlugRelatedField(slug_field="shoulder_number", queryset=Officer.objects.all())
    window_start = fields.DateTimeField(kind=PLANNED)
    window_end = fields.DateTimeField(kind=PLANNED)
    reason = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="Needed to reschedule."
    )


class CompleteInputSerializer(serializers.Serializer):
    needs_assessment_done = serializers.BooleanField()
    referral_made = serializers.BooleanField()
    crime_prevention_advice = serializers.BooleanField()
    satisfaction = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True, default=None
    )
    at = fields.DateTimeField(kind=RECORD, required=False, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class SatisfactionInputSerializer(serializers.Serializer):
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)


class ImportUploadSerializer(serializers.Serializer):
    file = fields.CSVFileField(
        help_text="data.police.uk street CSV plus victim columns, UTF-8."
    )
    valid_only = serializers.BooleanField(default=False)


