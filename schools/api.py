"""GET /api/v1/safer-schools/?borough=E09…: each school of the borough with its `score`, `rank`,
the criteria used and missing, and its recommended `allocation` (`officer` or
`point_of_contact`, with the contact's shoulder number), beside the weights used.
POST /api/v1/safer-schools/decisions/: the borough's commander records the allocation. Another
borough's: 404; a role that may not decide: 403."""

from drf_spectacular.utils import extend_schema
from rest_framework import parsers, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config import fields
from config.access import EDITOR_ROLES, get_for_user, require_role
from config.api import (
    IMPORT_RESPONSES,
    VALID_ONLY_PARAMETER,
    CSVTextParser,
    import_answer,
    import_input,
)
from config.decisions import RATIONALE_MAX
from config.limits import PLANNED
from config.timeutils import today
from schools import services
from schools.importing import import_schools
from schools.models import CRITERION_NAMES, OFFICERS_MAX, Allocation, School
from schools.recommendation import Recommendation, recommend
from schools.surroundings import radius_m
from wards.models import Borough


class RankingQuery(serializers.Serializer):
    borough = serializers.RegexField(r"^E09[0-9]{6}$", help_text="The borough's ONS code, E09…")


class SchoolLine(serializers.Serializer):
    urn = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=School.Kind.choices)
    ward = serializers.CharField(allow_null=True, help_text="ONS ward code; null if not placed.")
    rank = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2, help_text="0-100.")
    criteria_used = serializers.ListField(child=serializers.ChoiceField(choices=CRITERION_NAMES))
    criteria_missing = serializers.ListField(
        child=serializers.ChoiceField(choices=CRITERION_NAMES)
    )
    allocation = serializers.ChoiceField(choices=Allocation.Kind.choices)
    has_officer_today = serializers.BooleanField()
    point_of_contact = serializers.CharField(
        allow_null=True, help_text="The contact's shoulder number, when one is named."
    )


class RankingSerializer(serializers.Serializer):
    borough = serializers.CharField()
    officers = serializers.IntegerField()
    weights = serializers.DictField(child=serializers.DecimalField(max_digits=6, decimal_places=2))
    weights_source = serializers.ChoiceField(choices=["borough", "london", "default"])
    radius_m = serializers.IntegerField()
    schools = SchoolLine(many=True)
    notes = serializers.ListField(child=serializers.CharField())


def ranking_data(rec: Recommendation) -> dict:
    return {
        "borough": rec.borough.code,
        "officers": rec.weights.officers,
        "weights": rec.weights.values,
        "weights_source": rec.weights.source,
        "radius_m": radius_m(),
        "schools": [
            {
                "urn": p.school.urn, "name": p.school.name, "kind": p.school.kind,
                "ward": p.school.ward.code if p.school.ward else None, "rank": p.scored.rank,
                "score": p.scored.display_score, "criteria_used": p.scored.used,
                "criteria_missing": p.scored.missing, "allocation": p.kind,
                "has_officer_today": p.held,
                "point_of_contact": p.contact.shoulder_number if p.contact else None,
            }  # fmt: skip
            for p in rec.placements
        ],
        "notes": rec.notes,
    }


class RankingView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[RankingQuery], responses={200: RankingSerializer})
    def get(self, request):
        query = RankingQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        borough = get_for_user(Borough, request.user, code=query.validated_data["borough"])
        return Response(RankingSerializer(ranking_data(recommend(borough, on=today()))).data)


class AllocationDecisionInput(serializers.Serializer):
    borough = serializers.RegexField(r"^E09[0-9]{6}$")
    effective_from = fields.DateField(kind=PLANNED)
    rationale = serializers.CharField(max_length=RATIONALE_MAX)
    officers = serializers.IntegerField(
        required=False, min_value=0, max_value=OFFICERS_MAX,
        help_text="Default: the borough's number of Safer Schools officers.",
    )  # fmt: skip
    officer_schools = serializers.ListField(
        child=serializers.RegexField(r"^[0-9]{6,7}$"), required=False, max_length=5000,
        help_text="URNs of the schools with an officer; default: the recommendation's.",
    )  # fmt: skip
    contacts = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False,
        help_text="{URN: officer id}: a contact other than the recommended one.",
    )  # fmt: skip


class AllocationDecisionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    borough = serializers.CharField()
    effective_from = serializers.DateField()
    review_due = serializers.DateField()
    officers = serializers.IntegerField()
    allocations = serializers.ListField(child=serializers.DictField())


def decision_data(decision) -> dict:
    return {
        "id": decision.pk, "borough": decision.borough.code,
        "effective_from": decision.effective_from, "review_due": decision.review_due,
        "officers": decision.officers,
        "allocations": [
            {"urn": a.school.urn, "rank": a.rank, "score": str(a.score), "allocation": a.kind,
             "point_of_contact": a.contact.shoulder_number if a.contact else None}
            for a in decision.allocations.select_related("school", "contact")
        ],
    }  # fmt: skip


class DecisionView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=AllocationDecisionInput, responses={201: AllocationDecisionOutput})
    def post(self, request):
        require_role(request.user, services.DECIDER_ROLES)  # a role that may not: 403 first
        data = AllocationDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        borough = get_for_user(
            Borough, request.user, code=values["borough"], roles=services.DECIDER_ROLES
        )
        urns = values.get("officer_schools")
        decision = services.allocation_record(
            borough=borough, effective_from=values["effective_from"],
            rationale=values["rationale"], by=request.user, today=today(),
            officers=values.get("officers"), officer_urns=set(urns) if urns is not None else None,
            contacts=values.get("contacts"),
        )  # fmt: skip
        return Response(
            AllocationDecisionOutput(decision_data(decision)).data, status=status.HTTP_201_CREATED
        )


class SchoolImportUpload(serializers.Serializer):
    file = fields.CSVFileField(help_text="The per-school CSV (README, Safer Schools), UTF-8.")
    valid_only = serializers.BooleanField(default=False)


class SchoolImportView(APIView):
    """POST /api/v1/safer-schools/import/: the per-school CSV, as a file (multipart) or the body
    (text/csv, `?valid_only=true`). One bad row means nothing is imported (400 listing every
    rejected row with its line) unless `valid_only`. Editors of the schools' boroughs."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [CSVTextParser, parsers.MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": SchoolImportUpload, "text/csv": str},
        parameters=[VALID_ONLY_PARAMETER],
        responses=IMPORT_RESPONSES,
    )
    def post(self, request):
        require_role(request.user, EDITOR_ROLES)
        sent = import_input(request, SchoolImportUpload, name="schools.csv")
        report = import_schools(sent.text, user=request.user, valid_only=sent.valid_only)
        return import_answer(report, valid_only=sent.valid_only)
