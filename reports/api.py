"""API for monthly reports: list (filter by borough and month), the figures as JSON, CSV and PDF
downloads, and `POST generate` → 202 with the URL to poll. Readers as on the pages: commanders,
HQ, admins, and the borough's chief inspectors and inspectors; other roles 403, outsiders 404."""

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.access import get_for_user, require_role
from config.datacache import CachedListMixin
from config.errors import DomainError
from reports import definitions, export, services, tasks
from reports.access import (
    REPORT_GENERATOR_ROLES,
    ROLLUP_CHOICE,
    error_for,
    may_generate_rollup,
    may_read_reports,
)
from reports.filters import MonthlyReportFilter
from reports.models import MonthlyReport
from reports.pdf import report_pdf
from reports.performance.api import MeasureSerializer
from reports.performance.figures import report_section
from wards.models import Borough


class ReportReader(permissions.IsAuthenticated):
    message = "Your role does not allow reading reports."

    def has_permission(self, request, view):
        return super().has_permission(request, view) and may_read_reports(request.user)


@extend_schema_field(
    {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$", "example": "2026-03"}
)
class MonthField(serializers.DateField):
    """A month, written YYYY-MM (the report's month is stored as its first day)."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", read_only=True, **kwargs)


class MonthlyReportSerializer(serializers.ModelSerializer):
    borough = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True,
        help_text="The borough's ONS code; null for the Met-wide roll-up.",
    )
    to_date = serializers.BooleanField(
        source="is_partial", read_only=True,
        help_text="Made before its month ended: the figures are the month to date.",
    )
    period = serializers.CharField(
        source="period_label", read_only=True, help_text="\"to date\" or \"whole month\"."
    )
    month = MonthField(help_text="The month reported on, YYYY-MM.")
    # A plain string in the schema: its choices would collide with the flex request's "status".
    status = serializers.CharField(read_only=True, help_text="pending, running, ready or failed")
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReport
        fields = [
            "id", "borough", "month", "version", "status", "to_date", "period", "computed_at",
            "created_at", "status_url",
        ]

    def get_status_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:report-status", args=[obj.pk])
        )


class DefinitionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The figure's key in `figures` (or the topic's).")
    name = serializers.CharField(help_text="The figure's name, as the page and PDF give it.")
    text = serializers.CharField(help_text="How it is counted (reports.definitions).")


class MonthlyReportDetailSerializer(MonthlyReportSerializer):
    error = serializers.SerializerMethodField(help_text="Why it failed: shown to HQ and admins.")
    definitions = serializers.SerializerMethodField(
        help_text="How each figure is counted: the words of the report page, the PDF and the "
        "README (minutes are whole minutes of real time; rates are rounded once, half up)."
    )
    performance = serializers.SerializerMethodField(
        help_text="The performance section: the area's measures of the month, rated (null "
        "until the report is ready)."
    )

    class Meta(MonthlyReportSerializer.Meta):
        fields = MonthlyReportSerializer.Meta.fields + ["figures", "source", "error",
                                                        "performance", "definitions"]

    def get_error(self, obj) -> str:
        return error_for(obj, self.context["request"].user)

    @extend_schema_field(DefinitionSerializer(many=True))
    def get_definitions(self, obj) -> list[dict]:
        return definitions.definitions()

    @extend_schema_field(MeasureSerializer(many=True, allow_null=True))
    def get_performance(self, obj):
        if obj.status != MonthlyReport.Status.READY:
            return None
        return [r.as_dict() for r in report_section(obj)]


class GenerateSerializer(serializers.Serializer):
    borough = serializers.CharField(
        help_text=f"The borough's ONS code, e.g. E09000007; \"{ROLLUP_CHOICE}\" for the "
        "Met-wide roll-up (HQ and admins)."
    )
    month = serializers.CharField(help_text="YYYY-MM")
    regenerate = serializers.BooleanField(default=False, help_text="Add a new version.")


class MonthlyReportViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [ReportReader]
    filterset_class = MonthlyReportFilter

    def get_queryset(self):
        reports = MonthlyReport.objects.for_user(self.request.user).select_related("borough")
        return reports if self.action == "retrieve" else reports.listed()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return MonthlyReportDetailSerializer
        return MonthlyReportSerializer

    def _ready(self):
        report = self.get_object()
        if report.status != MonthlyReport.Status.READY:
            raise exceptions.NotFound("This report is not ready yet.")
        return report

    @extend_schema(
        request=GenerateSerializer,
        responses={202: MonthlyReportSerializer, 400: OpenApiResponse(description="Bad input")},
    )
    @action(detail=False, methods=["post"])
    def generate(self, request):
        """Produce a borough's month in the background; poll `status_url` until ready."""
        require_role(request.user, REPORT_GENERATOR_ROLES)  # a role that may not: 403 first
        data = GenerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        borough = _borough_or_rollup(request.user, data.validated_data["borough"])
        try:
            month = services.parse_month(data.validated_data["month"])
        except DomainError as exc:
            raise exceptions.ValidationError({exc.field or "month": [exc.message]}) from None
        report = tasks.report_request_and_queue(
            borough=borough, month=month, by=request.user,
            regenerate=data.validated_data["regenerate"],
        )
        body = MonthlyReportSerializer(report, context={"request": request}).data
        return Response(body, status=202, headers={
            "Location": body["status_url"]
        })

    @extend_schema(responses={200: MonthlyReportSerializer})
    @action(detail=True, methods=["get"])
    def status(self, request, pk=None):
        """Poll this after `generate` until `status` is ready (or failed)."""
        report = self.get_object()
        return Response(MonthlyReportSerializer(report, context={"request": request}).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(description="CSV")})
    @action(detail=True, methods=["get"])
    def csv(self, request, pk=None):
        report = self._ready()
        response = HttpResponse(export.csv_text(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{export.filename(report, "csv")}"'
        )
        return response

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(
        description="The wards file: flex and cover, one row per ward"
    )})
    @action(detail=True, methods=["get"], url_path="wards-csv")
    def wards_csv(self, request, pk=None):
        report = self._ready()
        response = HttpResponse(export.wards_csv_text(report),
                                content_type="text/csv; charset=utf-8")
        name = export.filename(report, "csv", part="-wards")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(
        description="The performance section: one row per measure"
    )})
    @action(detail=True, methods=["get"], url_path="performance-csv")
    def performance_csv(self, request, pk=None):
        report = self._ready()
        text = export.performance_csv_text(report, report_section(report))
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        name = export.filename(report, "csv", part="-performance")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="PDF")})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        report = self._ready()
        response = HttpResponse(report_pdf(report, report_section(report)),
                            content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{export.filename(report, "pdf")}"'
        )
        return response


def _borough_or_rollup(user, code):
    """The borough named by its code, or None for the roll-up (London-wide roles only)."""
    if code == ROLLUP_CHOICE:
        if not may_generate_rollup(user):
            raise exceptions.PermissionDenied("Only HQ asks for the Met-wide roll-up.")
        return None
    return get_for_user(Borough, user, code=code)
