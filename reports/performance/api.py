"""GET /api/v1/performance/?borough=E09…&month=YYYY-MM (or ward=E05…, bcu=CN; none of them:
London, for HQ and administrators): each measure with its value, comparison, target and rating
(red, amber, green or grey), and the rule. Scoped like every ?borough= endpoint: an area outside
the user's boroughs is a 404; London for a borough's user is a 400 naming the choice to make."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config import datacache
from config.access import borough_ids
from config.errors import DomainError
from reports import services
from reports.performance.areas import area_for
from reports.performance.bands import RATINGS, Measure
from reports.performance.figures import area_months_kept
from reports.performance.models import Level
from reports.performance.views import default_month


class PerformanceQuery(serializers.Serializer):
    ward = serializers.RegexField(r"^E05[0-9]{6}$", required=False,
                                  help_text="A ward's ONS code, E05…")
    borough = serializers.RegexField(r"^E09[0-9]{6}$", required=False,
                                     help_text="A borough's ONS code, E09…")
    bcu = serializers.RegexField(r"^[A-Z]{2,4}$", required=False, help_text="A BCU's code, e.g. CN")
    month = serializers.RegexField(
        r"^[0-9]{4}-(0[1-9]|1[0-2])$", required=False,
        help_text="YYYY-MM; default the last whole month.",
    )

    def validate(self, attrs):
        given = [k for k in ("ward", "borough", "bcu") if attrs.get(k)]
        if len(given) > 1:
            raise serializers.ValidationError(
                {given[1]: ["Give one of ward, borough and bcu."]})
        return attrs


class MeasureSerializer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=Measure.choices)
    label = serializers.CharField()
    value = serializers.CharField(allow_null=True, help_text="The figure, as shown.")
    unit = serializers.CharField()
    comparison = serializers.CharField(allow_null=True)
    comparison_label = serializers.CharField(help_text="What the value is compared with.")
    target = serializers.CharField(allow_null=True)
    rated_value = serializers.CharField(
        allow_null=True, help_text="The percentage rated, rounded once to 0.01.")
    rating = serializers.ChoiceField(choices=[(r, r) for r in RATINGS])
    rule = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    counts = serializers.DictField(child=serializers.IntegerField(),
                                   help_text="The whole counts behind a share.")


class PerformanceSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    code = serializers.CharField(allow_blank=True, help_text="Empty for London.")
    name = serializers.CharField()
    month = serializers.CharField(help_text="YYYY-MM")
    measures = MeasureSerializer(many=True)


def performance_data(area, month) -> dict:
    current = area_months_kept(area, month, n=1)[-1]
    return {
        "level": area.level, "code": area.code, "name": area.label,
        "month": f"{month:%Y-%m}", "measures": [r.as_dict() for r in current.results],
    }


class PerformanceView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[PerformanceQuery], responses={200: PerformanceSerializer})
    def get(self, request):
        # Kept per user, their grants and the query (config.datacache) until a table it read is
        # written. The grants are in the key, not left to the recording: a session's user (and
        # a token's boroughs) are read before the view, where nothing records them.
        user, boroughs = request.user, borough_ids(request.user)
        parts = (type(self).__name__, user.pk, user.role, user.is_superuser,
                 None if boroughs is None else tuple(sorted(boroughs)), request.get_full_path())
        return datacache.cached_api_response(
            self, request, parts, lambda: Response(self.answer(request)))

    def answer(self, request) -> dict:
        query = PerformanceQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        try:
            month = services.parse_month(values["month"]) if values.get("month") else (
                default_month())
        except DomainError as exc:
            raise exceptions.ValidationError({"month": [exc.message]}) from None
        level = next((k for k in ("ward", "borough", "bcu") if values.get(k)), Level.LONDON)
        if level == Level.LONDON and borough_ids(request.user) is not None:
            raise exceptions.ValidationError(
                {"borough": ["Give a ward, borough or bcu: London is for HQ."]})
        area = area_for(request.user, level, values.get(level, ""))
        return PerformanceSerializer(performance_data(area, month)).data
