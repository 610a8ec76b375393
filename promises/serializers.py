"""API shapes for promises, activity, priorities, panel meetings and events. Input serializers
only parse and scope (every related field is limited to the user's boroughs); the services
write."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config import fields
from config.fields import ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField
from config.limits import PLANNED, RECORD
from promises.delivery import STATUS_CHOICES
from promises.models import WEEKDAYS, Activity, EngagementEvent, PanelMeeting, Promise, WardPriority
from teams.models import Officer, Team
from wards.models import Place, Ward


class DeliverySerializer(serializers.Serializer):
    first = serializers.DateField(help_text="First day of the period (cut to the promise's start).")
    last = serializers.DateField()
    done = serializers.IntegerField()
    target = serializers.IntegerField()
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    days_left = serializers.IntegerField()
    unvisited = serializers.SerializerMethodField(help_text="Visit promises: places not visited.")

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(), help_text="{id, name} of each place")
    )
    def get_unvisited(self, delivery) -> list[dict]:
        return [{"id": p.pk, "name": p.name} for p in delivery.unvisited]


class PromiseSerializer(serializers.ModelSerializer):
    borough = serializers.SlugRelatedField(slug_field="code", read_only=True)
    ward = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Null for a cluster team's."
    )
    owner = serializers.SerializerMethodField()
    period = serializers.CharField(source="effective_period", read_only=True)
    delivery = serializers.SerializerMethodField(
        help_text="This period's delivery; null when the promise is not running today."
    )

    class Meta:
        model = Promise
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "borough",
            "ward",
            "team",
            "agreed_on",
            "panel_meeting",
            "start",
            "end",
            "end_reason",
            "owner",
            "place",
            "area",
            "days",
            "window_start",
            "window_end",
            "place_kind",
            "target",
            "period",
            "delivery",
        ]
        # Writes go through PromiseInputSerializer: no related field here offers choices.
        read_only_fields = ["team", "panel_meeting", "place"]

    def get_owner(self, promise) -> str:
        return str(promise.owner_officer or promise.owner_user)

    @extend_schema_field(DeliverySerializer(allow_null=True))
    def get_delivery(self, promise) -> dict | None:
        delivery = self.context.get("deliveries", {}).get(promise.pk)
        return DeliverySerializer(delivery).data if delivery else None


class PromiseInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=Promise.Kind.choices)
    ward = ScopedSlugRelatedField(
        slug_field="code", queryset=Ward.objects.all(), required=False, allow_null=True
    )
    team = ScopedPrimaryKeyRelatedField(
        queryset=Team.objects.filter(kind=Team.Kind.INPT), required=False, allow_null=True
    )
    agreed_on = fields.DateField(kind=RECORD)
    panel_meeting = ScopedPrimaryKeyRelatedField(
        queryset=PanelMeeting.objects.all(), required=False, allow_null=True
    )
    start = fields.DateField(kind=PLANNED)
    end = fields.DateField(kind=PLANNED, required=False, allow_null=True)
    owner_officer = ScopedSlugRelatedField(
        slug_field="shoulder_number",
        queryset=Officer.objects.all(),
        required=False,
        allow_null=True,
        help_text="Shoulder number; blank makes the requesting user the owner.",
    )
    place = ScopedPrimaryKeyRelatedField(
        queryset=Place.objects.all(), required=False, allow_null=True
    )
    area = serializers.CharField(required=False, allow_blank=True, default="")
    days = serializers.ListField(
        child=serializers.ChoiceField(choices=WEEKDAYS), required=False, default=list
    )
    window_start = serializers.TimeField(required=False, allow_null=True)
    window_end = serializers.TimeField(required=False, allow_null=True)
    place_kind = serializers.ChoiceField(
        choices=Place.Kind.choices, required=False, allow_blank=True, default=""
    )
    target = serializers.IntegerField(min_value=1, max_value=1000, required=False, allow_null=True)
    period = serializers.ChoiceField(choices=Promise.Period.choices, default="month")


class PromiseEndSerializer(serializers.Serializer):
    end = fields.DateField(kind=PLANNED, help_text="The promise's last day.")
    reason = serializers.CharField(help_text="Why the promise is ending.")


class ActivitySerializer(serializers.ModelSerializer):
    ward = serializers.SlugRelatedField(slug_field="code", read_only=True)
    officers = serializers.SlugRelatedField(slug_field="shoulder_number", many=True, read_only=True)
    recorded_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "ward",
            "kind",
            "place",
            "location",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "officers",
            "promises",
            "notes",
            "recorded_by",
            "created_at",
        ]
        # Writes go through ActivityInputSerializer: no related field here offers choices.
        read_only_fields = ["place", "promises"]


class ActivityInputSerializer(serializers.Serializer):
    ward = ScopedSlugRelatedField(slug_field="code", queryset=Ward.objects.all())
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    place = ScopedPrimaryKeyRelatedField(
        queryset=Place.objects.all(), required=False, allow_null=True
    )
    location = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    starts_at = fields.DateTimeField(kind=RECORD)
    ends_at = fields.DateTimeField(kind=RECORD, required=False, allow_null=True)
    duration_minutes = serializers.IntegerField(
        min_value=1, max_value=24 * 60, required=False, allow_null=True
    )
    officers = ScopedSlugRelatedField(
        slug_field="shoulder_number", queryset=Officer.objects.all(), many=True, required=False
    )
    promises = ScopedPrimaryKeyRelatedField(
        queryset=Promise.objects.select_related("team"), many=True, required=False
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class WardPrioritySerializer(serializers.ModelSerializer):
    """data.police.uk's priority keys (`issue`, `action`, `issue-date`, `action-date`) as
    snake_case, plus the ward, and whether it is still open."""

    ward = ScopedSlugRelatedField(slug_field="code", queryset=Ward.objects.all())
    issue_date = fields.DateTimeField(
        kind=RECORD, required=False, help_text="When the priority was agreed (default: now)."
    )
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = WardPriority
        fields = [
            "id",
            "ward",
            "issue",
            "action",
            "issue_date",
            "action_date",
            "closed_on",
            "is_open",
        ]
        read_only_fields = ["action_date", "closed_on"]


class PriorityActionSerializer(serializers.Serializer):
    action = serializers.CharField()


class PanelMeetingSerializer(serializers.ModelSerializer):
    ward = ScopedSlugRelatedField(slug_field="code", queryset=Ward.objects.all())
    date = fields.DateField(kind=RECORD)
    priorities = ScopedPrimaryKeyRelatedField(
        queryset=WardPriority.objects.all(), many=True, required=False
    )
    promises = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PanelMeeting
        fields = ["id", "ward", "date", "attendees", "minutes", "priorities", "promises"]


class EngagementEventSerializer(serializers.ModelSerializer):
    ward = ScopedSlugRelatedField(slug_field="code", queryset=Ward.objects.all())
    starts_at = fields.DateTimeField(kind=PLANNED)
    ends_at = fields.DateTimeField(kind=PLANNED)

    class Meta:
        model = EngagementEvent
        fields = [
            "id",
            "ward",
            "title",
            "kind",
            "address",
            "starts_at",
            "ends_at",
            "contact",
            "description",
        ]
