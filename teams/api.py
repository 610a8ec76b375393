"""API for officers, teams and postings. Querysets start from `for_user` (another borough's rows
are 404); writes need an editing role (403 for commanders and HQ); postings change only through
`teams.services`, so their history is kept: no update, no delete."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from config.api import ProtectedDestroyMixin, ReadOrEdit, ServiceInputMixin
from config.datacache import CachedListMixin
from teams import services
from teams.filters import OfficerFilter, PostingFilter, TeamFilter, WardFilter
from teams.models import Officer, OfficerTransfer, Posting, Team
from teams.serializers import (
    OfficerSerializer,
    OfficerTransferInputSerializer,
    OfficerTransferSerializer,
    PostingCreateSerializer,
    PostingEndSerializer,
    PostingMoveSerializer,
    PostingSerializer,
    TeamSerializer,
    TransferCancelSerializer,
    WardDetailSerializer,
    WardSerializer,
)
from teams.strength import with_strength
from wards.models import Ward


class OfficerViewSet(
    CachedListMixin,
    ServiceInputMixin,
    ProtectedDestroyMixin,
    viewsets.ModelViewSet,
):
    """Officers of the user's boroughs. A change of borough is a transfer (the action), never an
    edit: it ends the officer's postings in the old borough."""

    serializer_class = OfficerSerializer
    permission_classes = [ReadOrEdit]
    filterset_class = OfficerFilter
    lookup_field = "shoulder_number"

    def get_queryset(self):
        return Officer.objects.for_user(self.request.user).select_related("borough")

    @extend_schema(
        request=OfficerTransferInputSerializer, responses={200: OfficerTransferSerializer}
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request, shoulder_number=None):
        """Transfer the officer to another borough from `effective_on`: their postings here end
        the day before. Dated today or back, it is done at once, and refused (400) while they
        are committed here from that day; dated ahead (up to a year), it is planned, and the
        daily job does it on the day (`status` says which)."""
        officer = self.get_object()
        data = self.valid_input(OfficerTransferInputSerializer)
        transfer = services.officer_transfer(
            officer=officer,
            to_borough=data["borough"],
            effective_on=data["effective_on"],
            reason=data["reason"],
            by=request.user,
        )
        return Response(OfficerTransferSerializer(transfer).data)

    @extend_schema(request=TransferCancelSerializer, responses={200: OfficerTransferSerializer})
    @action(detail=True, methods=["post"], url_path="transfer/cancel")
    def transfer_cancel(self, request, shoulder_number=None):
        """Cancel the officer's planned transfer."""
        officer = self.get_object()
        data = self.valid_input(TransferCancelSerializer)
        transfer = officer.transfers.filter(status=OfficerTransfer.Status.PLANNED).first()
        if transfer is None:
            raise NotFound("This officer has no planned transfer.")
        transfer = services.officer_transfer_cancel(
            transfer=transfer, reason=data["reason"], by=request.user
        )
        return Response(OfficerTransferSerializer(transfer).data)


class TeamViewSet(CachedListMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Teams; editors may change a team's public contact details."""

    serializer_class = TeamSerializer
    permission_classes = [ReadOrEdit]
    filterset_class = TeamFilter

    def get_queryset(self):
        return Team.objects.for_user(self.request.user).select_related("borough", "ward")


class PostingViewSet(
    CachedListMixin,
    ServiceInputMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Postings with their history. End or move a posting with the actions; never edit one."""

    serializer_class = PostingSerializer
    permission_classes = [ReadOrEdit]
    filterset_class = PostingFilter

    def get_queryset(self):
        return Posting.objects.for_user(self.request.user).select_related(
            "officer", "team__borough", "created_by", "ended_by"
        )

    def _created(self, posting) -> Response:
        return Response(PostingSerializer(posting).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PostingCreateSerializer, responses={201: PostingSerializer})
    def create(self, request, *args, **kwargs):
        data = self.valid_input(PostingCreateSerializer)
        return self._created(services.posting_create(**data, by=request.user))

    @extend_schema(request=PostingEndSerializer, responses={200: PostingSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the posting: `end_date` is its last day."""
        posting = self.get_object()
        data = self.valid_input(PostingEndSerializer)
        posting = services.posting_end(posting=posting, **data, by=request.user)
        return Response(PostingSerializer(self.refetch(posting)).data)

    @extend_schema(request=PostingMoveSerializer, responses={201: PostingSerializer})
    @action(detail=False, methods=["post"])
    def move(self, request):
        """End the officer's current primary posting the day before `start_date` and post them
        to `team`: both or neither."""
        data = self.valid_input(PostingMoveSerializer)
        return self._created(services.posting_move(**data, by=request.user))


class WardViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """Wards with their current dedicated strength; the boundary only on a single ward."""

    permission_classes = [ReadOrEdit]
    filterset_class = WardFilter
    lookup_field = "code"

    def get_queryset(self):
        wards = with_strength(Ward.objects.for_user(self.request.user)).select_related(
            "borough", "cluster"
        )
        return wards if self.action == "retrieve" else wards.defer("boundary")

    def get_serializer_class(self):
        return WardDetailSerializer if self.action == "retrieve" else WardSerializer
