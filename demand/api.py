"""The demand API: each ward's demand over months, the hotspot map as GeoJSON, police.uk's
points within a ward, and imports with their progress. Everything starts from the user's
wards (outsiders see nothing of another borough); CAD counts come only from them."""

import django_filters
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from config.api import CSVTextParser
from demand import maps, services
from demand.areas import demand_table, valid_filter
from demand.filters import DemandFilter
from demand.models import DataImport
from demand.selectors import selection
from demand.serializers import (
    DataImportSerializer,
    DemandImportUploadSerializer,
    WardDemandSerializer,
)
from wards.filters import WardNameFilter
from wards.models import Ward


class WardPagination(PageNumberPagination):
    """Pages of wards, with the months and what was counted beside them."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    selection = None

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        sel = self.selection
        response.data.update(
            month_from=f"{sel.first:%Y-%m}",
            month_to=f"{sel.last:%Y-%m}",
            calls_month_from=f"{sel.calls_first:%Y-%m}",
            calls_month_to=f"{sel.calls_last:%Y-%m}",
            counting=sel.what,
        )
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        for name in ("month_from", "month_to", "calls_month_from", "calls_month_to", "counting"):
            schema["properties"][name] = {"type": "string"}
        return schema


class DemandWardList(generics.GenericAPIView):
    """One row per ward the user sees: crimes, ASB and CAD calls over the months (default: the
    latest 12 with data), with rates, rank in the borough and change against a year before."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = WardDemandSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DemandFilter
    pagination_class = WardPagination

    def get_queryset(self):
        return Ward.objects.for_user(self.request.user)

    @extend_schema(responses=WardDemandSerializer(many=True))  # a page of rows, not one row
    def get(self, request):
        table = demand_table(valid_filter(request), request.user)
        self.paginator.selection = table.selection
        page = self.paginate_queryset(table.rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


FEATURE_COLLECTION = inline_serializer(
    "DemandFeatureCollection",
    {
        "type": serializers.CharField(default="FeatureCollection"),
        "month_from": serializers.CharField(),
        "month_to": serializers.CharField(),
        "counting": serializers.CharField(),
        "features": serializers.ListField(child=serializers.DictField()),
    },
)


class DemandMap(generics.GenericAPIView):
    """A GeoJSON FeatureCollection of the user's wards (their ONS polygons), each with the same
    numbers as /demand/wards/ in its properties (`count` is what the map shades)."""

    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_class = DemandFilter
    serializer_class = WardDemandSerializer  # for the schema's parameters only

    def get_queryset(self):
        return Ward.objects.for_user(self.request.user)

    @extend_schema(responses={200: FEATURE_COLLECTION})
    @extend_schema(responses=WardDemandSerializer(many=True))  # a page of rows, not one row
    def get(self, request):
        table = demand_table(valid_filter(request), request.user)
        return HttpResponse(maps.choropleth(table), content_type="application/json")


class PointFilter(DemandFilter):
    ward = WardNameFilter(method="one_ward", required=True)


class DemandPoints(generics.GenericAPIView):
    """police.uk's points within one ward, as published (never finer), with how many rows share
    each point, and how many lie outside the ward's boundary (crimes are counted by LSOA)."""

    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_class = PointFilter
    serializer_class = WardDemandSerializer  # for the schema's parameters only

    def get_queryset(self):
        return Ward.objects.for_user(self.request.user)

    @extend_schema(
        responses={
            200: inline_serializer(
                "DemandPoints",
                {
                    "type": serializers.CharField(default="FeatureCollection"),
                    "ward": serializers.CharField(),
                    "total": serializers.IntegerField(),
                    "outside_ward": serializers.IntegerField(),
                    "features": serializers.ListField(child=serializers.DictField()),
                },
            )
        }
    )
    def get(self, request):
        filterset = valid_filter(request, filter_class=PointFilter, resource=("ward",))
        ward = filterset.form.cleaned_data["ward"]  # resolved among the user's wards
        chosen = filterset.chosen()
        sel = selection(chosen["first"], chosen["last"], chosen["categories"], chosen["theme"])
        found = maps.points(ward, sel)
        return Response(
            {
                "type": "FeatureCollection",
                "ward": ward.code,
                "month_from": f"{sel.first:%Y-%m}",
                "month_to": f"{sel.last:%Y-%m}",
                "total": found["total"],
                "outside_ward": found["outside"],
                "features": found["features"],
            }
        )


class DataImportFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DataImport.Kind.choices)
    status = django_filters.ChoiceFilter(choices=DataImport.Status.choices)

    class Meta:
        model = DataImport
        fields = ["kind", "status"]


class MayImport(permissions.BasePermission):
    """A role that may import no kind of file is refused (403) before its upload is read."""

    message = "Your role cannot import demand data."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or any(
            services.may_import(request.user, kind) for kind in DataImport.Kind.values
        )


class DataImportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Imports of police.uk files (HQ, admins) and CAD calls (the borough's editing roles). A
    POST answers 202 at once with the import's status URL; poll it for progress."""

    serializer_class = DataImportSerializer
    permission_classes = [permissions.IsAuthenticated, MayImport]
    filterset_class = DataImportFilter
    parser_classes = [MultiPartParser, FormParser, CSVTextParser]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        return (
            DataImport.objects.for_user(self.request.user)
            .select_related("imported_by")
            .defer("payload")
        )

    @extend_schema(
        request={
            "multipart/form-data": DemandImportUploadSerializer,
            "text/csv": {"type": "string", "description": "The CSV itself (kind in the query)"},
        },
        parameters=[OpenApiParameter("kind", str, enum=DataImport.Kind.values, required=False)],
        responses={202: DataImportSerializer},
    )
    def create(self, request, *args, **kwargs):
        if isinstance(request.data, str):  # a text/csv body: the file itself
            upload = SimpleUploadedFile("upload.csv", request.data.encode())
            data = {"kind": request.query_params.get("kind") or None, "all_or_nothing": False}
            if data["kind"] not in (None, *DataImport.Kind.values):
                raise ValidationError({"kind": [f"{data['kind']!r} is not a kind of import."]})
        else:
            serializer = DemandImportUploadSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            upload = data["file"]
        record = services.import_start(
            kind=data.get("kind"),
            upload=upload,
            by=request.user,
            source="api",
            all_or_nothing=data["all_or_nothing"],
        )
        data = self.get_serializer(self.get_queryset().get(pk=record.pk)).data
        headers = {"Location": data["status_url"]}
        return Response(data, status=status.HTTP_202_ACCEPTED, headers=headers)
