"""API shapes for deployment: duties, abstractions and flex requests.

Writes go through `deployment.services` and `deployment.duties`, so the input serializers here
parse and scope (an officer, ward or flex of another borough "does not exist": 400); they never
save and never re-check a rule of the protocol."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config import fields
from config.fields import ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField, SlugField
from config.limits import PLANNED
from config.timeutils import shift_bounds, validate_whole_minute
from deployment import cover, protocol, selectors, services
from deployment.models import (
    Abstraction,
    AbstractionType,
    Duty,
    FlexChange,
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
    start = serializers.TimeField(
        help_text="Start time, HH:MM (London), whole minutes.", validators=[validate_whole_minute]
    )
    end = serializers.TimeField(
        help_text="End time, HH:MM (London), whole minutes. At or before the start means the "
        "next day: the shift crosses midnight.",
        validators=[validate_whole_minute],
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
        attrs["starts_at"], attrs["ends_at"] = shift_bounds(day, start, end, recorded=True)
        return attrs


class RosterUploadSerializer(serializers.Serializer):
    """A roster CSV with a header row: shoulder_number, date (YYYY-MM-DD), start, end (HH:MM;
    an end at or before the start crosses midnight) and optionally kind, worked_ward,
    flex_request, abstraction_type, significant_event, authorised_by, notes."""

    file = fields.CSVFileField(help_text="The roster as a UTF-8 CSV file.")
    valid_only = serializers.BooleanField(
        default=False,
        help_text="Import the valid rows and report the others. Otherwise one bad row means "
        "nothing is imported.",
    )


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
    cover_override_by = _username(
        allow_null=True, help_text="The Chief Inspector who accepted a ward below minimum cover."
    )

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
            "cover_override_reason",
            "cover_override_by",
            "below_cover",
            "cover_gaps",
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
    starts_at = fields.DateTimeField(
        kind=PLANNED, validators=[validate_whole_minute],
        help_text="ISO 8601 (without an offset, London time), whole minutes (no seconds).",
    )
    ends_at = fields.DateTimeField(
        kind=PLANNED, validators=[validate_whole_minute],
        help_text="ISO 8601 (without an offset, London time), whole minutes (no seconds).",
    )
    significant_event = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    authorised_by_name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    cover_override_reason = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Chief Inspectors of the borough only: why a planned abstraction may leave a "
        "ward below minimum dedicated cover (otherwise it is refused, 409).",
    )


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
        fields = [
            "officer", "officer_name", "rank_title", "from_ward", "from_ward_name", "first_day",
            "last_day",
        ]
        extra_kwargs = {
            "first_day": {"help_text": "Added by a change: the first day they serve."},
            "last_day": {"help_text": "Released by a change: the last day they served."},
        }


class FlexTransitionSerializer(serializers.ModelSerializer):
    by = _username(allow_null=True, help_text="Empty when the system moved it (start, end date).")

    class Meta:
        model = FlexTransition
        fields = ["from_status", "to_status", "step", "by", "at", "reason"]
        extra_kwargs = {
            "step": {"help_text": "What happened where the status alone does not say: an edit, "
                     "a review's decision, a change decided. Empty for a change of status."},
            "reason": {"help_text": "Why: the decision's reason, with a Chief Inspector's "
                       "reason for accepting a ward below minimum cover."},
        }


class FlexChangeSerializer(serializers.ModelSerializer):
    officers = serializers.SlugRelatedField(
        slug_field="shoulder_number", many=True, read_only=True
    )
    proposed_by = _username()
    decided_by = _username(allow_null=True)

    class Meta:
        model = FlexChange
        fields = [
            "id", "status", "end_date", "daily_start", "daily_end", "officers", "reason",
            "proposed_by", "proposed_at", "decided_by", "decided_at", "decision_reason",
            "cover_override_reason",
        ]


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
    action = serializers.CharField(
        source="name",
        help_text="edit, submit, approve, reject, review, end, approve_change, reject_change or "
        "withdraw: the endpoint of the same name (with a dash for an underscore).",
    )
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
    ward_priority = serializers.IntegerField(
        source="ward_priority_id", read_only=True, allow_null=True,
        help_text="The destination ward's priority the problem is linked to.",
    )

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
            "ward_priority",
            "ward_priority_issue",
            "intelligence_ref",
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
    changes = FlexChangeSerializer(
        many=True, read_only=True, help_text="Changes proposed at its reviews, newest first."
    )
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
            *FlexRequestSerializer.Meta.fields, "transitions", "changes", "conflicts",
            "cover_gaps", "next_actions",
        ]

    @extend_schema_field(ConflictSerializer(many=True, allow_null=True))
    def get_conflicts(self, flex):
        if flex.status not in protocol.PENDING_STATUSES:
            return None
        conflicts, _ = selectors.of_flex_borough(flex, conflicts=selectors.flex_conflicts(flex))
        return ConflictSerializer(conflicts, many=True).data

    @staticmethod
    def _gaps(flex):
        """The cover gaps approving would leave (pending requests only), worked out once for
        `cover_gaps` and `next_actions`."""
        if flex.status not in protocol.PENDING_STATUSES:
            return None
        if not hasattr(flex, "_cover_gaps"):
            _, flex._cover_gaps = selectors.of_flex_borough(
                flex, gaps=cover.flex_cover_gaps(flex)
            )
        return flex._cover_gaps

    @extend_schema_field(CoverGapSerializer(many=True, allow_null=True))
    def get_cover_gaps(self, flex):
        gaps = self._gaps(flex)
        return None if gaps is None else CoverGapSerializer(gaps, many=True).data

    @extend_schema_field(NextActionSerializer(many=True))
    def get_next_actions(self, flex):
        user = self.context["request"].user
        actions = services.next_actions(flex, user, gaps=self._gaps(flex))
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
    daily_start = serializers.TimeField(
        help_text="HH:MM, start of the daily deployment window.",
        validators=[validate_whole_minute],
    )
    daily_end = serializers.TimeField(
        help_text="HH:MM; at or before daily_start means the window runs overnight.",
        validators=[validate_whole_minute],
    )
    problem = serializers.CharField(
        max_length=300, help_text="A ward priority or an intelligence-led reason."
    )
    ward_priority = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**63 - 1,
        help_text="The id of the destination ward's open priority the problem is "
        "(/api/v1/priorities/), where it is one.",
    )
    intelligence_ref = serializers.CharField(
        max_length=60, required=False, allow_blank=True,
        help_text="The intelligence report the flex is led by, where there is one.",
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
    """The tasking meeting's decision at the review, from its due day. A `change` names what
    changes (what is left out stays as it is) and waits for another Inspector's decision."""

    decision = serializers.ChoiceField(
        choices=[("continue", "Continue"), ("change", "Change"), ("end", "End now")]
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Notes from the review; for a change, why the meeting wants it (required).",
    )
    end_date = fields.DateField(
        kind=PLANNED, required=False, help_text="A change: the new last day."
    )
    daily_start = serializers.TimeField(
        required=False, help_text="A change: HH:MM.", validators=[validate_whole_minute]
    )
    daily_end = serializers.TimeField(
        required=False, help_text="A change: HH:MM.", validators=[validate_whole_minute]
    )
    officers = serializers.ListField(
        child=ScopedSlugRelatedField(
            slug_field="shoulder_number", queryset=Officer.objects.all()
        ),
        required=False,
        allow_empty=False,
        help_text="A change: the shoulder numbers of every officer of the flex after it.",
    )

    CHANGE_FIELDS = ("end_date", "daily_start", "daily_end", "officers")

    def validate(self, attrs):
        change = {name: attrs.pop(name) for name in self.CHANGE_FIELDS if name in attrs}
        if change and attrs["decision"] != "change":
            raise serializers.ValidationError(
                {"decision": "Only a change names a last day, daily hours or officers."}
            )
        if attrs["decision"] == "change":
            attrs["change"] = change
        return attrs

    def validate_officers(self, officers):
        if len({o.pk for o in officers}) != len(officers):
            raise serializers.ValidationError("Name each officer once.")
        return officers


class EndSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the flex ends now.")
