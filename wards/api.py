"""API for London's geography. Every queryset starts from `for_user`, so an object of another
borough is a 404; writes need an editing role (commanders and HQ read only: 403)."""

from django.db.models import Prefetch, ProtectedError
from rest_framework import mixins, permissions, viewsets

from config.errors import ConflictError
from wards.access import can_edit
from wards.filters import BoroughFilter, PlaceFilter, WardClusterFilter, WardFilter
from wards.models import BCU, Borough, Place, Ward, WardCluster
from wards.serializers import (
    BCUSerializer,
    BoroughSerializer,
    PlaceSerializer,
    WardClusterSerializer,
    WardDetailSerializer,
    WardSerializer,
)


class ReadOrEdit(permissions.IsAuthenticated):
    """Every signed-in user may read what their scope shows; only editing roles may write."""

    message = "Your role does not allow changes."

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return request.method in permissions.SAFE_METHODS or can_edit(request.user)


class ProtectedDestroyMixin:
    """Deleting a row that others still point at is a conflict (409), not a server error."""

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError:
            raise ConflictError(
                f"{instance} is still in use (postings, duties or other records point at it); "
                "keep it instead of deleting it."
            ) from None


class BCUViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BCUSerializer
    permission_classes = [ReadOrEdit]
    lookup_field = "code"

    def get_queryset(self):
        user = self.request.user
        own_boroughs = Borough.objects.for_user(user).order_by("name")
        return BCU.objects.for_user(user).prefetch_related(Prefetch("boroughs", own_boroughs))


class BoroughViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BoroughSerializer
    permission_classes = [ReadOrEdit]
    filterset_class = BoroughFilter
    lookup_field = "code"

    def get_queryset(self):
        return Borough.objects.for_user(self.request.user).select_related("bcu")


class WardViewSet(viewsets.ReadOnlyModelViewSet):
    """Wards with their current dedicated strength; the boundary only on a single ward."""

    permission_classes = [ReadOrEdit]
    filterset_class = WardFilter
    lookup_field = "code"

    def get_queryset(self):
        wards = (
            Ward.objects.for_user(self.request.user)
            .with_strength()
            .select_related("borough", "cluster")
        )
        return wards if self.action == "retrieve" else wards.defer("boundary")

    def get_serializer_class(self):
        return WardDetailSerializer if self.action == "retrieve" else WardSerializer


class WardClusterViewSet(
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


class PlaceViewSet(ProtectedDestroyMixin, viewsets.ModelViewSet):
    serializer_class = PlaceSerializer
    permission_classes = [ReadOrEdit]
    filterset_class = PlaceFilter

    def get_queryset(self):
        return Place.objects.for_user(self.request.user).select_related("ward__borough")
