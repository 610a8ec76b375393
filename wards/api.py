"""API for London's geography. Every queryset starts from `for_user`, so an object of another
borough is a 404; writes need an editing role (commanders and HQ read only: 403)."""

from django.db.models import Prefetch
from rest_framework import mixins, viewsets

from config.api import ProtectedDestroyMixin, ReadOrEdit
from config.datacache import CachedListMixin
from wards import services
from wards.filters import BoroughFilter, PlaceFilter, WardClusterFilter
from wards.models import BCU, Borough, Place, Ward, WardCluster
from wards.serializers import (
    BCUSerializer,
    BoroughSerializer,
    PlaceSerializer,
    WardClusterSerializer,
)


class BCUViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = BCUSerializer
    permission_classes = [ReadOrEdit]
    lookup_field = "code"

    def get_queryset(self):
        user = self.request.user
        own_boroughs = Borough.objects.for_user(user).order_by("name")
        return BCU.objects.for_user(user).prefetch_related(Prefetch("boroughs", own_boroughs))


class BoroughViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = BoroughSerializer
    permission_classes = [ReadOrEdit]
    filterset_class = BoroughFilter
    lookup_field = "code"

    def get_queryset(self):
        return Borough.objects.for_user(self.request.user).select_related("bcu")


class WardClusterViewSet(
    CachedListMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = WardClusterSerializer
    permission_classes = [ReadOrEdit]
    filterset_class = WardClusterFilter

    def get_queryset(self):
        ward_codes = Ward.objects.order_by("name").only("code", "cluster")
        return (
            WardCluster.objects.for_user(self.request.user)
            .select_related("borough")
            .prefetch_related(Prefetch("wards", ward_codes))
        )


class PlaceViewSet(CachedListMixin, ProtectedDestroyMixin, viewsets.ModelViewSet):
    """Places in the user's wards. Written through wards.services.place_save, as everywhere."""

    serializer_class = PlaceSerializer
    permission_classes = [ReadOrEdit]
    filterset_class = PlaceFilter

    def get_queryset(self):
        return Place.objects.for_user(self.request.user).select_related("ward__borough")

    def perform_create(self, serializer):
        place = Place(**serializer.validated_data)
        serializer.instance = services.place_save(place, by=self.request.user)

    def perform_update(self, serializer):
        place = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(place, name, value)
        services.place_save(place, by=self.request.user)
