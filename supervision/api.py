"""GET /api/v1/supervision/recommendation/?borough=E09…[&groups=N]: the borough's recommended
supervision groups (every ward exactly once), the objective for the proposal and for today, and
the weights used. POST /api/v1/supervision/decisions/: a commander records a decision. Another
borough's: 404; a role that may not decide: 403."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config import fields
from config.access import get_for_user, require_role
from config.decisions import RATIONALE_MAX
from config.limits import PLANNED
from config.timeutils import today
from supervision import services
from supervision.recommendation import Recommendation, recommend
from wards.models import Borough


class RecommendationQuery(serializers.Serializer):
    borough = serializers.RegexField(r"^E09[0-9]{6}$", help_text="The borough's ONS code, E09…")
    groups = serializers.IntegerField(
        required=False, min_value=1, max_value=1000,
        help_text="How many groups (sergeants); default: the sergeants available.",
    )  # fmt: skip


class ClusterSerializer(serializers.Serializer):
    wards = serializers.ListField(child=serializers.CharField(), help_text="ONS ward codes.")
    workload = serializers.IntegerField(help_text="The group's workload, rounded.")
    reasons = serializers.ListField(child=serializers.CharField())


class ObjectiveSerializer(serializers.Serializer):
    definition = serializers.CharField()
    proposal = serializers.IntegerField()
    today = serializers.IntegerField()


class WardWorkloadSerializer(serializers.Serializer):
    ward = serializers.CharField()
    crimes = serializers.IntegerField()
    asb_calls = serializers.IntegerField()
    places = serializers.DictField(child=serializers.IntegerField())
    workload = serializers.IntegerField()


class RecommendationSerializer(serializers.Serializer):
    borough = serializers.CharField()
    groups = serializers.IntegerField()
    sergeants_available = serializers.IntegerField()
    months = serializers.CharField()
    weights = serializers.DictField(child=serializers.DecimalField(max_digits=7, decimal_places=2))
    weights_source = serializers.ChoiceField(choices=["borough", "london", "default"])
    clusters = ClusterSerializer(many=True)
    today = ClusterSerializer(many=True)
    objective = ObjectiveSerializer()
    wards = WardWorkloadSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


OBJECTIVE = "The largest workload of any group (smaller is better)."


def _clusters(clusters) -> list[dict]:
    return [
        {"wards": c.codes, "workload": round(c.workload), "reasons": c.reasons} for c in clusters
    ]


def recommendation_data(rec: Recommendation) -> dict:
    return {
        "borough": rec.borough.code,
        "groups": rec.problem.k,
        "sergeants_available": rec.sergeants,
        "months": rec.period.label,
        "weights": rec.weights.values,
        "weights_source": rec.weights.source,
        "clusters": _clusters(rec.clusters),
        "today": _clusters(rec.today),
        "objective": {
            "definition": OBJECTIVE,
            "proposal": round(rec.objective_proposal),
            "today": round(rec.objective_today),
        },
        "wards": [
            {
                "ward": w.code,
                "crimes": w.crimes,
                "asb_calls": w.asb_calls,
                "places": w.places,
                "workload": round(w.score),
            }  # fmt: skip
            for w in rec.loads
        ],
        "notes": rec.notes,
    }


class RecommendationView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[RecommendationQuery], responses={200: RecommendationSerializer})
    def get(self, request):
        query = RecommendationQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        borough = get_for_user(Borough, request.user, code=query.validated_data["borough"])
        rec = recommend(borough, groups=query.validated_data.get("groups"), on=today())
        return Response(RecommendationSerializer(recommendation_data(rec)).data)


class DecisionInput(serializers.Serializer):
    borough = serializers.RegexField(r"^E09[0-9]{6}$")
    effective_from = fields.DateField(kind=PLANNED)
    rationale = serializers.CharField(max_length=RATIONALE_MAX)
    groups = serializers.ListField(
        child=serializers.ListField(
            child=serializers.RegexField(r"^E05[0-9]{6}$"), min_length=1, max_length=3
        ),
        min_length=1, max_length=1000,
        help_text="Every ward of the borough exactly once, in groups of 1-3 adjacent wards.",
    )  # fmt: skip
    number_of_groups = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    sergeants = serializers.ListField(
        child=serializers.CharField(max_length=10, allow_null=True, allow_blank=True),
        required=False, max_length=1000,
        help_text="Optional: the shoulder number of each group's sergeant, in the order of "
        "`groups` (null or empty: the default, the sergeant already supervising most of the "
        "group's wards). Only the borough's sergeants available to supervise wards.",
    )  # fmt: skip


class DecisionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    borough = serializers.CharField()
    effective_from = serializers.DateField()
    objective = serializers.DictField(child=serializers.IntegerField())
    groups = serializers.ListField(child=serializers.DictField())


def decision_data(decision) -> dict:
    return {
        "id": decision.pk,
        "borough": decision.borough.code,
        "effective_from": decision.effective_from,
        "objective": {
            "proposal": decision.objective_proposal,
            "decided": decision.objective_decided,
            "today": decision.objective_today,
        },
        "groups": [
            {
                "sergeant": g.sergeant.shoulder_number,
                "wards": sorted(w.code for w in g.wards.all()),
                "workload": g.workload,
                "reasons": g.reasons,
            }
            for g in decision.groups.select_related("sergeant").prefetch_related("wards")
        ],
    }


class DecisionView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=DecisionInput, responses={201: DecisionOutput})
    def post(self, request):
        require_role(request.user, services.DECIDER_ROLES)  # a role that may not: 403 first
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        borough = get_for_user(
            Borough, request.user, code=values["borough"], roles=services.DECIDER_ROLES
        )
        on = today()
        rec = recommend(borough, groups=values.get("number_of_groups"), on=on)
        decision = services.decision_record(
            borough=borough, recommendation=rec, groups=values["groups"],
            effective_from=values["effective_from"], rationale=values["rationale"],
            by=request.user, today=on, sergeants=values.get("sergeants"),
        )  # fmt: skip
        return Response(
            DecisionOutput(decision_data(decision)).data, status=status.HTTP_201_CREATED
        )
