"""API for deployment: duties (one by one or a roster CSV), abstractions, abstraction types and
flex requests with their decisions.

Querysets start from `for_user` (another borough's rows are 404, and absent from lists); writes
need an editing role (commanders and HQ: 403) and go through `deployment.services` or
`deployment.duties`, which hold every rule of the protocol: 400 for bad input, 403 for the wrong
role (e.g. a sergeant deciding), 409 for the state of the records (already decided, an officer
already committed, a ward left below minimum cover), each with `detail` and `code`."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import ReadOrEdit, ServiceInputMixin
from config.datacache import CachedListMixin
from config.import_views import bulk_import_answer, import_action
from deployment import flex_permissions as perms
from deployment import services
from deployment.duties import abstraction_record, duty_record
from deployment.filters import AbstractionFilter, DutyFilter, FlexRequestFilter
from deployment.models import (
    Abstraction,
    AbstractionType,
    Duty,
    FlexChange,
    FlexOfficer,
    FlexRequest,
    FlexTransition,
)
from deployment.roster import roster_import, roster_rows
from deployment.serializers import (
    AbstractionInputSerializer,
    AbstractionSerializer,
    AbstractionTypeSerializer,
    ApproveSerializer,
    DutyInputSerializer,
    DutySerializer,
    EndSerializer,
    FlexRequestDetailSerializer,
    FlexRequestInputSerializer,
    FlexRequestSerializer,
    ReasonSerializer,
    RejectSerializer,
    ReviewSerializer,
    RosterUploadSerializer,
)
from deployment.tasks import run_roster_import
from wards.models import without_boundaries


def _refuse_first(refusal: str | None) -> None:
    """A role that may not take the action is told so (403) before its input is read; the
    service still has the last word."""
    if refusal:
        raise PermissionDenied(refusal)


class AbstractionTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The reasons an officer may be abstracted (reference data; only those still in use)."""

    serializer_class = AbstractionTypeSerializer
    permission_classes = [ReadOrEdit]
    lookup_field = "code"
    queryset = AbstractionType.objects.filter(active=True)


class DutyViewSet(
    CachedListMixin,
    ServiceInputMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Officers' shifts and what each was: in the home ward, flexed or abstracted."""

    serializer_class = DutySerializer
    permission_classes = [ReadOrEdit]
    filterset_class = DutyFilter

    def get_queryset(self):
        duties = (
            Duty.objects.for_user(self.request.user)
            .select_related("officer", "home_ward__borough", "worked_ward", "recorded_by")
            .order_by("starts_at", "pk")
        )
        return without_boundaries(duties, "home_ward", "worked_ward")

    @extend_schema(request=DutyInputSerializer, responses={201: DutySerializer})
    def create(self, request, *args, **kwargs):
        duty = duty_record(**self.valid_input(DutyInputSerializer), by=request.user)
        return Response(DutySerializer(self.refetch(duty)).data, status=status.HTTP_201_CREATED)

    @import_action(RosterUploadSerializer)
    def roster_import(self, request):
        """Import a roster CSV (a multipart `file`, or the CSV as a `text/csv` body). One bad row
        means nothing is imported (400, with every rejected row), unless `valid_only`. A file of
        more than IMPORT_IN_REQUEST_MAX_ROWS rows (2,000) goes to a worker: 202, with the
        import's `status_url` to poll (`GET /api/v1/imports/{id}/`), by the same rules."""
        return bulk_import_answer(
            request, RosterUploadSerializer, kind="roster", service=roster_import,
            task=run_roster_import, rows=roster_rows, name="roster.csv",
        )  # fmt: skip


class AbstractionViewSet(
    CachedListMixin,
    ServiceInputMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Officers taken from ward duties: for an officer of a ward team, only for a significant
    event on the borough, with who authorised it. A planned abstraction that would leave a ward
    below minimum cover is refused (409) unless a Chief Inspector of the borough gives a
    `cover_override_reason`; one recorded after it started is flagged (`below_cover`) and
    escalated to the borough's Chief Inspectors (`?below_cover=true` lists them)."""

    serializer_class = AbstractionSerializer
    permission_classes = [ReadOrEdit]
    filterset_class = AbstractionFilter

    def get_queryset(self):
        return (
            Abstraction.objects.for_user(self.request.user)
            .select_related(
                "officer", "borough", "abstraction_type", "recorded_by", "cover_override_by"
            )
            .order_by("-starts_at", "-pk")
        )

    @extend_schema(request=AbstractionInputSerializer, responses={201: AbstractionSerializer})
    def create(self, request, *args, **kwargs):
        data = self.valid_input(AbstractionInputSerializer)
        abstraction = abstraction_record(**data, by=request.user)
        return Response(
            AbstractionSerializer(self.refetch(abstraction)).data, status=status.HTTP_201_CREATED
        )


class FlexRequestViewSet(
    CachedListMixin,
    ServiceInputMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Requests to flex officers to another ward of their borough, newest first. A request is
    edited while a draft, then submitted and decided by an Inspector of the borough who did not
    raise it; the detail shows its timeline and, while pending, conflicts and cover warnings."""

    permission_classes = [ReadOrEdit]
    filterset_class = FlexRequestFilter

    def get_queryset(self):
        members = without_boundaries(
            FlexOfficer.objects.select_related("officer", "from_ward"), "from_ward"
        ).order_by("officer__last_name", "officer__first_name")
        flexes = without_boundaries(
            FlexRequest.objects.for_user(self.request.user)
            .select_related("borough", "to_ward", "requested_by", "decided_by")
            .prefetch_related(Prefetch("members", members))
            .order_by("-created_at", "-pk"),
            "to_ward",
        )
        if self.action != "list":
            timeline = FlexTransition.objects.select_related("by")
            changes = FlexChange.objects.select_related("proposed_by", "decided_by")
            flexes = flexes.prefetch_related(
                Prefetch("transitions", timeline),
                Prefetch("changes", changes.prefetch_related("officers")),
            )
        return flexes

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return FlexRequestInputSerializer
        return FlexRequestSerializer if self.action == "list" else FlexRequestDetailSerializer

    def _answer(self, flex, code=status.HTTP_200_OK) -> Response:
        context = self.get_serializer_context()
        body = FlexRequestDetailSerializer(self.refetch(flex), context=context).data
        return Response(body, status=code)

    @extend_schema(responses={201: FlexRequestDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = self.valid_input(FlexRequestInputSerializer)
        flex = services.flex_create(**data, borough=data["to_ward"].borough, by=request.user)
        return self._answer(flex, status.HTTP_201_CREATED)

    @extend_schema(responses={200: FlexRequestDetailSerializer})
    def update(self, request, *args, **kwargs):
        """Change a draft (409 once submitted)."""
        flex = self.get_object()
        data = self.valid_input(FlexRequestInputSerializer, partial=kwargs.get("partial", False))
        return self._answer(services.flex_update(flex=flex, by=request.user, **data))

    @extend_schema(responses={200: FlexRequestDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change some fields of a draft (409 once submitted)."""
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: FlexRequestDetailSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft to the borough's Inspectors for a decision."""
        return self._answer(services.flex_submit(flex=self.get_object(), by=request.user))

    @extend_schema(request=ApproveSerializer, responses={200: FlexRequestDetailSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve (an Inspector or above of the borough, not the requester). Leaving a ward
        below minimum cover needs a Chief Inspector and a `cover_override_reason`."""
        flex = self.get_object()
        data = self.valid_input(ApproveSerializer)
        return self._answer(services.flex_approve(flex=flex, by=request.user, **data))

    @extend_schema(request=RejectSerializer, responses={200: FlexRequestDetailSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Refuse, giving the reason (an Inspector or above of the borough, not the requester)."""
        flex = self.get_object()
        _refuse_first(perms.refusal_to_decide(flex, request.user))
        data = self.valid_input(RejectSerializer)
        return self._answer(services.flex_reject(flex=flex, by=request.user, **data))

    @extend_schema(request=ReasonSerializer, responses={200: FlexRequestDetailSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw (the requester or an Inspector); an approved flex frees its officers."""
        flex = self.get_object()
        data = self.valid_input(ReasonSerializer)
        return self._answer(services.flex_withdraw(flex=flex, by=request.user, **data))

    @extend_schema(request=ReviewSerializer, responses={200: FlexRequestDetailSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """The protocol's review of a running flex at the tasking meeting, from its due day
        (REVIEW_AFTER_DAYS after it starts; before it, 409): `continue`, `change` (what changes;
        another Inspector decides it) or `end` it now."""
        flex = self.get_object()
        _refuse_first(perms.refusal_of_authority(flex, request.user, "review a flex"))
        data = self.valid_input(ReviewSerializer)
        return self._answer(services.flex_review(flex=flex, by=request.user, **data))

    @extend_schema(request=EndSerializer, responses={200: FlexRequestDetailSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End a running flex now (an Inspector or above of the borough): its officers return
        from tomorrow."""
        flex = self.get_object()
        _refuse_first(perms.refusal_of_authority(flex, request.user, "end a flex"))
        data = self.valid_input(EndSerializer)
        return self._answer(services.flex_end(flex=flex, by=request.user, **data))

    @extend_schema(request=ApproveSerializer, responses={200: FlexRequestDetailSerializer})
    @action(detail=True, methods=["post"], url_path="approve-change", url_name="approve-change")
    def approve_change(self, request, pk=None):
        """Approve the change proposed at the review (an Inspector or above of the borough who
        did not propose it): conflicts and minimum cover are checked again over what it adds; a
        ward left below minimum needs a Chief Inspector's `cover_override_reason`."""
        flex = self.get_object()
        _refuse_first(perms.refusal_of_authority(flex, request.user, "decide a change to a flex"))
        data = self.valid_input(ApproveSerializer)
        return self._answer(services.flex_change_approve(flex=flex, by=request.user, **data))

    @extend_schema(request=RejectSerializer, responses={200: FlexRequestDetailSerializer})
    @action(detail=True, methods=["post"], url_path="reject-change", url_name="reject-change")
    def reject_change(self, request, pk=None):
        """Refuse the change proposed at the review, giving the reason."""
        flex = self.get_object()
        _refuse_first(perms.refusal_of_authority(flex, request.user, "decide a change to a flex"))
        data = self.valid_input(RejectSerializer)
        return self._answer(services.flex_change_reject(flex=flex, by=request.user, **data))
