"""API for promises (with this period's delivery), activity, ward priorities, panel meetings and
engagement events. Querysets start from `for_user` (another borough's rows are 404); writes need
an editing role (403 for commanders and HQ) and go through promises.services. Priorities are
never deleted: close them."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import ReadOrEdit, ServiceInputMixin
from config.datacache import CachedListMixin
from promises import services
from promises.delivery import deliveries
from promises.filters import (
    ActivityFilter,
    EngagementEventFilter,
    PanelMeetingFilter,
    PromiseFilter,
    WardPriorityFilter,
)
from promises.models import Activity, EngagementEvent, PanelMeeting, Promise, WardPriority
from promises.serializers import (
    ActivityInputSerializer,
    ActivitySerializer,
    EngagementEventSerializer,
    PanelMeetingSerializer,
    PriorityActionSerializer,
    PromiseEndSerializer,
    PromiseInputSerializer,
    PromiseSerializer,
    WardPrioritySerializer,
)
from wards.models import without_boundaries


class PromiseViewSet(
    CachedListMixin,
    ServiceInputMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Promises, each with `delivery`: done against target this week or month, and its status."""

    serializer_class = PromiseSerializer
    permission_classes = [ReadOrEdit]
    filterset_class = PromiseFilter

    def get_queryset(self):
        promises = (
            Promise.objects.for_user(self.request.user)
            .select_related("borough", "ward", "team", "owner_user__officer", "owner_officer")
            .order_by("title", "pk")
        )
        return without_boundaries(promises, "ward")

    def _render(self, promises, many):
        by_pk = {d.promise.pk: d for d in deliveries(promises)}
        return PromiseSerializer(promises, many=many, context={"deliveries": by_pk}).data

    def uncached_list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._render(list(page), many=True))

    def retrieve(self, request, *args, **kwargs):
        promise = self.get_object()
        return Response(self._render([promise], many=True)[0])

    @extend_schema(request=PromiseInputSerializer, responses={201: PromiseSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(self.valid_input(PromiseInputSerializer))
        if not data.get("owner_officer"):
            data["owner_user"] = request.user
        promise = services.promise_create(by=request.user, **data)
        promise = self.refetch(promise)
        return Response(self._render([promise], many=True)[0], status=status.HTTP_201_CREATED)

    @extend_schema(request=PromiseEndSerializer, responses={200: PromiseSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the promise: `end` is its last day. Promises are ended, never deleted."""
        promise = self.get_object()
        data = self.valid_input(PromiseEndSerializer)
        promise = services.promise_end(promise=promise, by=request.user, **data)
        return Response(self._render([self.refetch(promise)], many=True)[0])


class ActivityViewSet(
    CachedListMixin,
    ServiceInputMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = ActivitySerializer
    permission_classes = [ReadOrEdit]
    filterset_class = ActivityFilter

    def get_queryset(self):
        activities = (
            Activity.objects.for_user(self.request.user)
            .select_related("ward", "recorded_by__officer")
            .prefetch_related("officers", "promises")
        )
        return without_boundaries(activities, "ward")

    @extend_schema(request=ActivityInputSerializer, responses={201: ActivitySerializer})
    def create(self, request, *args, **kwargs):
        data = self.valid_input(ActivityInputSerializer)
        activity = services.activity_log(by=request.user, **data)
        return Response(
            ActivitySerializer(self.refetch(activity)).data, status=status.HTTP_201_CREATED
        )


class WardPriorityViewSet(
    CachedListMixin,
    ServiceInputMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Ward priorities in data.police.uk's shape. The action is HTML, sanitised on save."""

    serializer_class = WardPrioritySerializer
    permission_classes = [ReadOrEdit]
    filterset_class = WardPriorityFilter

    def get_queryset(self):
        return WardPriority.objects.for_user(self.request.user).select_related("ward")

    def create(self, request, *args, **kwargs):
        data = self.valid_input(WardPrioritySerializer)
        priority = services.priority_create(by=request.user, **data)
        return Response(WardPrioritySerializer(priority).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PriorityActionSerializer, responses={200: WardPrioritySerializer})
    @action(detail=True, methods=["post"], url_path="action")
    def record_action(self, request, pk=None):
        """Record what was done (the action, HTML) and stamp the action date."""
        priority = self.get_object()
        data = self.valid_input(PriorityActionSerializer)
        priority = services.priority_record_action(priority=priority, by=request.user, **data)
        return Response(WardPrioritySerializer(priority).data)

    @extend_schema(request=None, responses={200: WardPrioritySerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the priority; it stays in the ward's history."""
        priority = services.priority_close(priority=self.get_object(), by=request.user)
        return Response(WardPrioritySerializer(priority).data)


class PanelMeetingViewSet(
    CachedListMixin,
    ServiceInputMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = PanelMeetingSerializer
    permission_classes = [ReadOrEdit]
    filterset_class = PanelMeetingFilter

    def get_queryset(self):
        return (
            PanelMeeting.objects.for_user(self.request.user)
            .select_related("ward")
            .prefetch_related("priorities", "promises")
        )

    def create(self, request, *args, **kwargs):
        data = self.valid_input(PanelMeetingSerializer)
        meeting = services.panel_meeting_record(by=request.user, **data)
        return Response(
            PanelMeetingSerializer(
                self.refetch(meeting), context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED,
        )


class EngagementEventViewSet(
    CachedListMixin,
    ServiceInputMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = EngagementEventSerializer
    permission_classes = [ReadOrEdit]
    filterset_class = EngagementEventFilter

    def get_queryset(self):
        return EngagementEvent.objects.for_user(self.request.user).select_related("ward")

    def create(self, request, *args, **kwargs):
        data = self.valid_input(EngagementEventSerializer)
        event = services.event_create(by=request.user, **data)
        return Response(
            EngagementEventSerializer(event, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
