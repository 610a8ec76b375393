"""API shapes for deployment: duties, abstractions and flex requests.

Writes go through `deployment.services` and `deployment.duties`, so the input serializers here
parse and scope (an officer, ward or flex of another borough "does not exist": 400); they never
save and never re-check a rule of the protocol."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config import fields
from config.fields import ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField, SlugField
from config.limits import PLANNED, read_csv_upload
from config.timeutils import shift_bounds
from deployment import cover, protocol, selectors, services
from deployment.models import (
    Abstraction,
    AbstractionType,
    Duty,
    FlexOfficer,
    FlexRequest,
    FlexTransition,
)
from teams.models import Officer
from wards.models import Ward


def _code(**kwargs):
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


def _shoulder_number():
    return serializers.SlugRelatedField(slug_field="shoulder_number", read_only=True)


def _username(**kwargs):
    return serializers.SlugRelatedField(slug_field="username", read_only=True, **kwargs)


class AbstractionTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AbstractionType
        fields = ["code", "name", "description"]


# --- duties --------------------------------------------------------------------------------


class DutySerializer(serializers.ModelSerializer):
    officer = _shoulder_number()
    officer_name = serializers.CharField(source="officer.full_name", read_only=True)
    borough = serializers.CharField(
        source="home_ward.borough.code", read_only=True, help_text="The home ward's borough."
    )
    home_ward = _code()
    worked_ward = _code()
    hours = serializers.FloatField(read_only=True, help_text="Real hours, across clock changes.")
    unauthorised_flex = serializers.BooleanField(
        read_only=True, help_text="Worked in another ward without an approved flex request."
    )
    recorded_by = _username()

    class Meta:
        model = Duty
        fields = [
            "id",
            "officer",
            "officer_name",
            "borough",
            "starts_at",
            "ends_at",
            "hours",
            "kind",
            "home_ward",
            "worked_ward",
            "flex_request",
            "abstraction",
            "unauthorised_flex",
            "notes",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class DutyInputSerializer(serializers.Serializer):
    """One shift, given as the roster gives it: a London date, a start and an end time. The home
    ward comes from the officer's posting on that date."""

    officer = ScopedSlugRelatedField(
        slug_field="shoulder_number", queryset=Officer.objects.all(), help_text="Shoulder number."
    )
    date = fields.DateField(
        kind=PLANNED, help_text="The London date the shift starts (YYYY-MM-DD)."
    )
    start = serializers.TimeField(help_text="Start time, HH:MM (London).")
    end = serializers.TimeField(
        help_text="End time, HH:MM (London). At or before the start means the next day: the "
        "shift crosses midnight."
    )
    kind = serializers.ChoiceField(choices=Duty.Kind.choices, default=Duty.Kind.HOME)
    worked_ward = ScopedSlugRelatedField(
        slug_field="code", queryset=Ward.objects.all(), required=False, allow_null=True,
        help_text="Ward code where a flexed shift was worked (kind=flexed only).",
    )
    flex_request = ScopedPrimaryKeyRelatedField(
        queryset=FlexRequest.objects.all(), required=False, allow_null=True,
        help_text="The approved flex request covering a flexed shift (kind=flexed only).",
    )
    abstraction = ScopedPrimaryKeyRelatedField(
        queryset=Abstraction.objects.all(), required=False, allow_null=True,
        help_text="The officer's abstraction covering the shift (kind=abstracted only).",
    )
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    # Which kind each link belongs to: a link given for another kind would be silently ignored.
    LINKS = {"worked_ward": "flexed", "flex_request": "flexed", "abstraction": "abstracted"}

    def validate(self, attrs):
        for link, kind in self.LINKS.items():
            if attrs.get(link) is not None and attrs["kind"] != kind:
                raise serializers.ValidationError({link: f"Only a {kind} duty has a {link}."})
        day, start, end = attrs.pop("date"), attrs.pop("start"), attrs.pop("end")
        attrs["starts_at"], attrs["ends_at"] = shift_bounds(day, start, end)
        return attrs


class RosterUploadSerializer(serializers.Serializer):
    """A roster CSV with a header row: shoulder_number, date (YYYY-MM-DD), start, end (HH:MM;
    an end at or before the start crosses midnight) and optionally kind, worked_ward,
    flex_request, abstraction_type, significant_event, authorised_by, notes."""

    file = serializers.FileField(help_text="The roster as a UTF-8 CSV file.")
    valid_only = serializers.BooleanField(
        default=False,
        help_text="Import the valid rows and report the others. Otherwise one bad row means "
        "nothing is imported.",
    )

    def validate_file(self, upload):
        try:
            return read_csv_upload(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


# --- abstractions --------------------------------------------------------------------------


class AbstractionSerializer(serializers.ModelSerializer):
    officer = _shoulder_number()
    officer_name = serializers.CharField(source="officer.full_name", read_only=True)
    borough = serializers.CharField(
        source="borough.code", read_only=True, help_text="The borough it was recorded in."
    )
    abstraction_type = _code()
    abstraction_type_name = serializers.CharField(source="abstraction_type.name", read_only=True)
    recorded_by = _username()

    class Meta:
        model = Abstraction
        fields = [
            "id",
            "officer",
            "officer_name",
            "borough",
            "abstraction_type",
            "abstraction_type_name",
            "starts_at",
            "ends_at",
            "significant_event",
            "authorised_by_name",
            "notes",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class AbstractionInputSerializer(serializers.Serializer):
    """An officer taken from ward duties for a period (ISO 8601 date-times; without an offset
    they are London time). A dedicated ward officer needs a significant event and who
    authorised it."""

    officer = ScopedSlugRelatedField(
        slug_field="shoulder_number", queryset=Officer.objects.all(), help_text="Shoulder number."
    )
    abstraction_type = SlugField(
        slug_field="code", queryset=AbstractionType.objects.all(),
        help_text="Code from /api/v1/abstraction-types/.",
    )
    starts_at = fields.DateTimeField(kind=PLANNED)
    ends_at = fields.DateTimeField(kind=PLANNED)
    significant_event = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    authorised_by_name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


# --- flex requests -------------------------------------------------------------------------


class FlexMemberSerializer(serializers.ModelSerializer):
    officer = _shoulder_number()
    officer_name = serializers.CharField(source="officer.full_name", read_only=True)
    rank_title = serializers.CharField(source="officer.rank_title", read_only=True)
    from_ward = _code(source="from_ward_shown", allow_null=True)
    from_ward_name = serializers.CharField(
        source="from_ward_shown.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = FlexOfficer
        fields = ["officer", "officer_name", "rank_title", "from_ward", "from_ward_name"]


class FlexTransitionSerializer(serializers.ModelSerializer):
    by = _username(allow_null=True, help_text="Empty when the system moved it (start, end date).")

    class Meta:
        model = FlexTransition
        fields = ["from_status", "to_status", "by", "at", "reason"]


class ConflictSerializer(serializers.Serializer):
    officer = serializers.CharField(source="officer.shoulder_number")
    message = serializers.CharField()


class CoverGapSerializer(serializers.Serializer):
    ward = serializers.CharField(source="ward.code")
    ward_name = serializers.CharField(source="ward.name")
    day = serializers.DateField()
    pcs = serializers.IntegerField()
    pcsos = serializers.IntegerField()
    message = serializers.CharField()


class NextActionSerializer(serializers.Serializer):
    action = serializers.CharField(source="name", help_text="edit, submit, approve, reject, "
                                   "review or withdraw: the endpoint of the same name.")
    label = serializers.CharField()
    who = serializers.CharField(help_text="Who may take it.")
    allowed = serializers.BooleanField(help_text="Whether you may take it now.")
    why_not = serializers.CharField(help_text="Why you may not (empty when you may).")


class FlexRequestSerializer(serializers.ModelSerializer):
    borough = _code()
    to_ward = _code()
    to_ward_name = serializers.CharField(source="to_ward.name", read_only=True)
    days = serializers.IntegerField(read_only=True)
    members = FlexMemberSerializer(many=True, read_only=True)
    requested_by = _username()
    decided_by = _username(allow_null=True)

    class Meta:
        model = FlexRequest
        fields = [
            "id",
            "status",
            "borough",
            "to_ward",
            "to_ward_name",
            "members",
            "start_date",
            "end_date",
            "days",
            "daily_start",
            "daily_end",
            "problem",
            "expected_benefit",
            "requested_by",
            "created_at",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "cover_override_reason",
            "review_due",
            "last_reviewed_at",
            "ended_on",
        ]
        read_only_fields = fields


class FlexRequestDetailSerializer(FlexRequestSerializer):
    """A request with its timeline and, while a decision is pending, what deciding it would
    meet: officers already committed elsewhere and wards left below minimum cover."""

    transitions = FlexTransitionSerializer(many=True, read_only=True)
    conflicts = serializers.SerializerMethodField(
        help_text="Pending requests only (null otherwise): officers already committed elsewhere."
    )
    cover_gaps = serializers.SerializerMethodField(
        help_text="Pending requests only (null otherwise): ward-days that approving would leave "
        "below minimum dedicated cover."
    )
    next_actions = serializers.SerializerMethodField(
        help_text="What may happen next to the request, who may do it, and whether you may now "
        "(`allowed`; `why_not` says why not)."
    )

    class Meta(FlexRequestSerializer.Meta):
        fields = [
            *FlexRequestSerializer.Meta.fields, "transitions", "conflicts", "cover_gaps",
            "next_actions",
        ]

    @extend_schema_field(ConflictSerializer(many=True, allow_null=True))
    def get_conflicts(self, flex):
        if flex.status not in protocol.PENDING_STATUSES:
            return None
        conflicts, _ = selectors.of_flex_borough(flex, conflicts=selectors.flex_conflicts(flex))
        return ConflictSerializer(conflicts, many=True).data

    @extend_schema_field(CoverGapSerializer(many=True, allow_null=True))
    def get_cover_gaps(self, flex):
        if flex.status not in protocol.PENDING_STATUSES:
            return None
        _, gaps = selectors.of_flex_borough(flex, gaps=cover.flex_cover_gaps(flex))
        return CoverGapSerializer(gaps, many=True).data

    @extend_schema_field(NextActionSerializer(many=True))
    def get_next_actions(self, flex):
        actions = services.next_actions(flex, self.context["request"].user)
        return NextActionSerializer(actions, many=True).data


class FlexRequestInputSerializer(serializers.Serializer):
    """Who goes where, when, and why. The borough is the destination ward's; the officers must be
    of that borough (the protocol allows flexing within the borough only)."""

    to_ward = ScopedSlugRelatedField(
        slug_field="code", queryset=Ward.objects.all(), help_text="Ward code to flex officers to."
    )
    officers = serializers.ListField(
        child=ScopedSlugRelatedField(
            slug_field="shoulder_number", queryset=Officer.objects.all()
        ),
        help_text="Shoulder numbers of the officers to flex.",
    )
    start_date = fields.DateField(kind=PLANNED)
    end_date = fields.DateField(kind=PLANNED, help_text=protocol.last_day_help())
    daily_start = serializers.TimeField(help_text="HH:MM, start of the daily deployment window.")
    daily_end = serializers.TimeField(
        help_text="HH:MM; at or before daily_start means the window runs overnight."
    )
    problem = serializers.CharField(
        max_length=300, help_text="A ward priority or an intelligence-led reason."
    )
    expected_benefit = serializers.CharField()

    def validate_officers(self, officers):
        if len({o.pk for o in officers}) != len(officers):
            raise serializers.ValidationError("Name each officer once.")
        return officers


class ApproveSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    cover_override_reason = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Chief Inspectors only: why a ward may go below minimum dedicated cover.",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    # Blank is let through to the service, which owns the rule "a refusal gives its reason".
    reason = serializers.CharField(allow_blank=True, help_text="Why the request is refused.")


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("continue", "Continue"), ("end", "End now")])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
