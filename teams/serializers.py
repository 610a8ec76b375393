"""API shapes for officers, teams and postings. Postings are written only through
`teams.services`, so the input serializers here parse and scope; they never save."""

from rest_framework import serializers

from config import fields
from config.fields import ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField, SlugField
from config.limits import PLANNED
from teams import services
from teams.models import Officer, OfficerTransfer, Posting, Rank, Team
from wards.models import Borough, Ward
from wards.serializers import CentroidSerializer


class OfficerSerializer(serializers.ModelSerializer):
    borough = ScopedSlugRelatedField(slug_field="code", queryset=Borough.objects.all())
    rank_title = serializers.CharField(read_only=True, help_text="PC, DC, Sgt, DS, Insp…")

    class Meta:
        model = Officer
        fields = [
            "shoulder_number",
            "first_name",
            "last_name",
            "rank",
            "rank_title",
            "is_detective",
            "borough",
            "active",
        ]
        # Force-wide: validate_shoulder_number refuses one in use without saying where.
        extra_kwargs = {"shoulder_number": {"validators": []}}

    def validate_shoulder_number(self, number):
        user = self.context["request"].user
        refusal = services.shoulder_number_refusal(number, by=user, officer=self.instance)
        if refusal:
            raise serializers.ValidationError(refusal, code="in_use")
        return number

    def validate_borough(self, borough):
        if self.instance is not None and borough != self.instance.borough:
            raise serializers.ValidationError(
                "An officer changes borough by transfer, which ends their postings here: "
                f"POST /api/v1/officers/{self.instance.shoulder_number}/transfer/."
            )
        return borough

    def validate(self, attrs):
        rank = attrs.get("rank", getattr(self.instance, "rank", None))
        is_detective = attrs.get("is_detective", getattr(self.instance, "is_detective", False))
        if is_detective and rank in {Rank.PCSO, Rank.SPECIAL}:
            raise serializers.ValidationError(
                {"is_detective": "Only warranted ranks (PC and above) can be detectives."}
            )
        return attrs


class TeamSerializer(serializers.ModelSerializer):
    """A team; only its public contact details (email, phone) may be changed here."""

    borough = serializers.SlugRelatedField(slug_field="code", read_only=True)
    ward = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    cluster = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Team
        fields = ["id", "kind", "name", "borough", "ward", "cluster", "email", "phone"]
        read_only_fields = ["kind", "name"]


class PostingSerializer(serializers.ModelSerializer):
    officer = serializers.SlugRelatedField(slug_field="shoulder_number", read_only=True)
    officer_name = serializers.CharField(source="officer.full_name", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    borough = serializers.CharField(source="team.borough.code", read_only=True)
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    ended_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Posting
        fields = [
            "id",
            "officer",
            "officer_name",
            "team",
            "team_name",
            "borough",
            "role",
            "is_primary",
            "start_date",
            "end_date",
            "end_reason",
            "created_by",
            "created_at",
            "ended_by",
            "ended_at",
        ]
        read_only_fields = fields


class PostingInputSerializer(serializers.Serializer):
    """Who goes where, in what role, from when. Officer and team must be in the user's boroughs."""

    officer = ScopedSlugRelatedField(slug_field="shoulder_number", queryset=Officer.objects.all())
    team = ScopedPrimaryKeyRelatedField(queryset=Team.objects.all())
    role = serializers.ChoiceField(choices=Posting.Role.choices)
    start_date = fields.DateField(kind=PLANNED)


class PostingCreateSerializer(PostingInputSerializer):
    is_primary = serializers.BooleanField(default=True)
    end_date = fields.DateField(kind=PLANNED, required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if attrs["end_date"] is not None and attrs["end_date"] < attrs["start_date"]:
            raise serializers.ValidationError(
                {"end_date": "The end date must be on or after the start date."}
            )
        return attrs


class PostingMoveSerializer(PostingInputSerializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PostingEndSerializer(serializers.Serializer):
    end_date = fields.DateField(kind=PLANNED, help_text="Last day of the posting.")
    reason = serializers.CharField(max_length=200)


class OfficerTransferInputSerializer(serializers.Serializer):
    borough = SlugField(
        slug_field="code",
        queryset=Borough.objects.all(),
        help_text="The borough the officer joins: any London borough (GSS code).",
    )
    effective_on = fields.DateField(kind=PLANNED, help_text="The first day in the new borough.")
    reason = serializers.CharField(max_length=300)


class OfficerTransferSerializer(serializers.ModelSerializer):
    officer = serializers.SlugRelatedField(slug_field="shoulder_number", read_only=True)
    from_borough = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_borough = serializers.SlugRelatedField(slug_field="code", read_only=True)
    transferred_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    cancelled_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = OfficerTransfer
        fields = [
            "id",
            "officer",
            "status",
            "from_borough",
            "to_borough",
            "effective_on",
            "reason",
            "transferred_by",
            "transferred_at",
            "done_at",
            "blocked_reason",
            "cancelled_by",
            "cancelled_at",
            "cancel_reason",
        ]


class TransferCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


# --- wards with their dedicated strength ---------------------------------------------------


class WardSerializer(serializers.ModelSerializer):
    """A ward with its current dedicated strength (annotated by `teams.strength.with_strength`)."""

    police_uk_id = serializers.CharField(
        read_only=True, help_text="data.police.uk's neighbourhood id: the ONS code plus N."
    )
    borough = serializers.SlugRelatedField(slug_field="code", read_only=True)
    borough_name = serializers.CharField(source="borough.name", read_only=True)
    cluster = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True, allow_null=True)
    centroid = CentroidSerializer(source="*", read_only=True)
    dedicated_pcs = serializers.IntegerField(read_only=True)
    dedicated_pcsos = serializers.IntegerField(read_only=True)
    below_minimum = serializers.BooleanField(
        read_only=True,
        help_text=(
            "Posted strength below minimum today (the figure of that name on every page): the "
            "dedicated PCs and PCSOs posted to the ward today are fewer than the minimum "
            "(WARD_MIN_DEDICATED_PCS and WARD_MIN_DEDICATED_PCSOS). Cover below minimum, which "
            "also takes off the officers flexed or abstracted, is in the reports and Grip and "
            "Pace."
        ),
    )

    class Meta:
        model = Ward
        fields = [
            "code",
            "name",
            "police_uk_id",
            "borough",
            "borough_name",
            "cluster",
            "cluster_name",
            "centroid",
            "area_km2",
            "dedicated_pcs",
            "dedicated_pcsos",
            "below_minimum",
        ]


class WardDetailSerializer(WardSerializer):
    boundary = serializers.JSONField(
        read_only=True,
        allow_null=True,
        help_text="GeoJSON MultiPolygon (WGS84), about 100 m accuracy.",
    )

    class Meta(WardSerializer.Meta):
        fields = [*WardSerializer.Meta.fields, "boundary"]
