"""API for crimes and the visit offers owed to their victims.

Querysets start from `for_user` (another borough's rows are 404, and absent from lists). Victim
details appear only on a crime's detail, only for staff of its borough with a working need,
and every such answer is logged. Writes go through `victims.services` (400 bad input, 403 wrong
role, 409 the offer's state does not allow it)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import ReadOrEdit, ServiceInputMixin
from config.datacache import CachedListMixin
from config.import_views import bulk_import_answer, import_action
from victims import services
from victims.filters import CrimeFilter, VisitOfferFilter
from victims.importer import crime_rows, crimes_import
from victims.models import Crime, OfferStatus, Victim, VisitOffer, VisitTransition
from victims.privacy import can_see_victims, log_views, works_with_victims
from victims.serializers import (
    CompleteInputSerializer,
    CrimeDetailSerializer,
    CrimeInputSerializer,
    CrimeSerializer,
    ImportUploadSerializer,
    OfferInputSerializer,
    ReasonInputSerializer,
    RespondInputSerializer,
    SatisfactionInputSerializer,
    ScheduleInputSerializer,
    VisitOfferDetailSerializer,
    VisitOfferSerializer,
)
from victims.tasks import run_crime_import
from wards.models import without_boundaries


class WritesByVictimWorkers(permissions.BasePermission):
    """Only the roles that work with victims record crimes and visits (their services say in
    which borough): any other role is refused (403) before its input is read."""

    message = "Only borough staff who work with victims record crimes and visits."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or works_with_victims(request.user)


class CrimeViewSet(
    CachedListMixin,
    ServiceInputMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Crimes with their victims, newest report first. Lists never name victims; a crime's
    detail does, for staff of its borough (logged)."""

    permission_classes = [ReadOrEdit, WritesByVictimWorkers]
    filterset_class = CrimeFilter
    serializer_class = CrimeSerializer

    def get_queryset(self):
        victims = Victim.objects.select_related("offer__officer").order_by("pk")
        crimes = (
            Crime.objects.for_user(self.request.user)
            .select_related("category", "borough", "ward")
            .prefetch_related(Prefetch("victims", victims))
        )
        return without_boundaries(crimes, "ward")

    def list(self, request, *args, **kwargs):
        # A search by a victim's name is logged each time it runs: never answered from cache.
        if request.query_params.get("victim"):
            return self.uncached_list(request, *args, **kwargs)
        return super().list(request, *args, **kwargs)

    def _detail(self, crime, code=status.HTTP_200_OK):
        crime = self.refetch(crime)
        if can_see_victims(self.request.user, crime):
            victims = list(crime.victims.all())
            log_views(self.request.user, victims, where="api crime")
            return Response(CrimeDetailSerializer(crime).data, status=code)
        return Response(CrimeSerializer(crime).data, status=code)

    @extend_schema(responses={200: CrimeDetailSerializer})
    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(request=CrimeInputSerializer, responses={201: CrimeDetailSerializer})
    def create(self, request, *args, **kwargs):
        crime = services.crime_create(**self.valid_input(CrimeInputSerializer), by=request.user)
        return self._detail(crime, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: CrimeDetailSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the crime: its victims' personal data is removed VICTIM_DATA_RETENTION_DAYS
        later (409 if already closed)."""
        return self._detail(services.crime_close(crime=self.get_object(), by=request.user))

    @import_action(ImportUploadSerializer)
    def bulk_import(self, request):
        """Import data.police.uk street CSV rows plus victim columns. One bad row means nothing
        is imported (400 listing every rejected row) unless `valid_only`. A file of more than
        IMPORT_IN_REQUEST_MAX_ROWS rows (2,000) goes to a worker: 202, with the import's
        `status_url` to poll (`GET /api/v1/imports/{id}/`), by the same rules."""
        return bulk_import_answer(
            request, ImportUploadSerializer, kind="crimes", service=crimes_import,
            task=run_crime_import, rows=crime_rows, name="crimes.csv",
        )  # fmt: skip


class VisitOfferViewSet(CachedListMixin, ServiceInputMixin, viewsets.ReadOnlyModelViewSet):
    """Visit offers, by deadline. Each action is one step of the offer's lifecycle."""

    permission_classes = [ReadOrEdit, WritesByVictimWorkers]
    filterset_class = VisitOfferFilter

    def get_queryset(self):
        offers = without_boundaries(
            VisitOffer.objects.for_user(self.request.user)
            .with_crime()
            .select_related("offered_by", "satisfaction_recorded_by")
            .order_by("due_date", "pk"),
            "victim__crime__ward",
        )
        if self.action != "list":
            offers = offers.prefetch_related(
                Prefetch("transitions", VisitTransition.objects.select_related("by"))
            )
        return offers

    def get_serializer_class(self):
        return VisitOfferSerializer if self.action == "list" else VisitOfferDetailSerializer

    def get_serializer_context(self):
        # The list is scoped to the user's boroughs, so a victim worker may see every row's
        # reasons; for a single offer the borough is checked.
        return {**super().get_serializer_context(), "can_see_victims": self._can_see()}

    def _can_see(self, offer=None):
        if offer is None:
            return works_with_victims(self.request.user)
        return can_see_victims(self.request.user, offer.victim.crime)

    def _answer(self, offer):
        offer = self.refetch(offer)
        context = {**self.get_serializer_context(), "can_see_victims": self._can_see(offer)}
        return Response(VisitOfferDetailSerializer(offer, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    def _act(self, service, input_serializer=None):
        offer = self.get_object()
        data = self.valid_input(input_serializer) if input_serializer else {}
        return self._answer(service(offer=offer, by=self.request.user, **data))

    @extend_schema(request=OfferInputSerializer, responses={200: VisitOfferDetailSerializer})
    @action(detail=True, methods=["post"])
    def offer(self, request, pk=None):
        """Record an attempt to offer the victim a visit (how, optionally when)."""
        return self._act(services.offer_make, OfferInputSerializer)

    @extend_schema(request=RespondInputSerializer, responses={200: VisitOfferDetailSerializer})
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """The victim's answer: accepted, declined, or no_reply (after enough attempts)."""
        return self._act(services.offer_respond, RespondInputSerializer)

    @extend_schema(request=ScheduleInputSerializer, responses={200: VisitOfferDetailSerializer})
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        """Schedule an accepted visit, or reschedule a scheduled or missed one (with a reason):
        a time window and an officer of the ward team."""
        offer = self.get_object()
        data = self.valid_input(ScheduleInputSerializer)
        if offer.status in (OfferStatus.SCHEDULED, OfferStatus.MISSED):
            return self._answer(services.visit_reschedule(offer=offer, by=request.user, **data))
        return self._answer(services.visit_schedule(offer=offer, by=request.user, **data))

    @extend_schema(request=CompleteInputSerializer, responses={200: VisitOfferDetailSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """The visit took place: what was done, and the victim's satisfaction if asked."""
        return self._act(services.visit_complete, CompleteInputSerializer)

    @extend_schema(request=ReasonInputSerializer, responses={200: VisitOfferDetailSerializer})
    @action(detail=True, methods=["post"])
    def miss(self, request, pk=None):
        """The visit did not take place (reason); it may be rescheduled."""
        return self._act(services.visit_miss, ReasonInputSerializer)

    @extend_schema(request=ReasonInputSerializer, responses={200: VisitOfferDetailSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """The visit will not take place (reason)."""
        return self._act(services.visit_cancel, ReasonInputSerializer)

    @extend_schema(request=SatisfactionInputSerializer, responses={200: VisitOfferDetailSerializer})
    @action(detail=True, methods=["post"])
    def satisfaction(self, request, pk=None):
        """The victim's satisfaction (1-5), asked after the visit."""
        return self._act(services.visit_record_satisfaction, SatisfactionInputSerializer)
