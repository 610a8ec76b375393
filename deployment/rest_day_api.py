"""Rest days in the API (/api/v1/rest-days/): list (django-filter), record one or a run of
dates, delete. Scoped like duties: another borough's rest days are 404 and absent from lists;
writes need an editing role (403) and go through deployment.rest_days (400 for bad input, 409
for a rest day already recorded)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from config import fields
from config.api import ReadOrEdit, ServiceInputMixin
from config.datacache import CachedListMixin
from config.fields import ScopedSlugRelatedField
from config.limits import PLANNED
from deployment.filters import RestDayFilter
from deployment.models import RestDay
from deployment.rest_days import rest_day_delete, rest_day_record, with_worked
from teams.models import Officer


class RestDaySerializer(serializers.ModelSerializer):
    officer = serializers.SlugRelatedField(slug_field="shoulder_number", read_only=True)
    officer_name = serializers.CharField(source="officer.full_name", read_only=True)
    date = serializers.DateField(source="day", read_only=True, help_text="The London date.")
    borough = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The borough the officer served in then."
    )
    worked = serializers.BooleanField(
        read_only=True,
        help_text="A duty is recorded on the date too: a rest day worked (cancelled).",
    )
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RestDay
        fields = [
            "id", "officer", "officer_name", "date", "borough", "worked", "recorded_by",
            "recorded_at",
        ]  # fmt: skip
        read_only_fields = fields


class RestDayInputSerializer(serializers.Serializer):
    """One rest day, or every date from `date` to `last_date`."""

    officer = ScopedSlugRelatedField(
        slug_field="shoulder_number", queryset=Officer.objects.all(), help_text="Shoulder number."
    )
    date = fields.DateField(kind=PLANNED, help_text="The London date of the (first) rest day.")
    last_date = fields.DateField(
        kind=PLANNED, required=False, allow_null=True,
        help_text="For a run of rest days, the last date (at most 31 days in all).",
    )  # fmt: skip


class RestDayViewSet(
    CachedListMixin,
    ServiceInputMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Officers' recorded rest days; `worked` marks a rest day on which a duty is recorded."""

    serializer_class = RestDaySerializer
    permission_classes = [ReadOrEdit]
    filterset_class = RestDayFilter

    def get_queryset(self):
        rest_days = (
            RestDay.objects.for_user(self.request.user)
            .select_related("officer", "borough", "recorded_by")
            .order_by("day", "pk")
        )
        return with_worked(rest_days)

    @extend_schema(
        request=RestDayInputSerializer, responses={201: RestDaySerializer(many=True)}
    )
    def create(self, request, *args, **kwargs):
        data = self.valid_input(RestDayInputSerializer)
        saved = rest_day_record(
            officer=data["officer"], first=data["date"], last=data.get("last_date"),
            by=request.user,
        )  # fmt: skip
        rows = self.get_queryset().filter(pk__in=[r.pk for r in saved])
        return Response(RestDaySerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        rest_day_delete(rest_day=instance, by=self.request.user)
