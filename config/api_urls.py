"""The API, version 1: a token for scripts, the OpenAPI schema and its docs page, and one
router for every resource."""

from django.urls import include, path
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import exceptions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import ScopedRateThrottle

from teams.api import OfficerViewSet, PostingViewSet, TeamViewSet
from wards.api import BCUViewSet, BoroughViewSet, PlaceViewSet, WardClusterViewSet, WardViewSet


class LoginSerializer(AuthTokenSerializer):
    """Username and password. A user that django-axes has locked out is told so (429) instead of
    seeing the same "unable to log in" as a wrong password."""

    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except serializers.ValidationError:
            if getattr(self.context["request"], "axes_locked_out", False):
                raise exceptions.Throttled(
                    detail="Too many failed sign-in attempts. Try again later."
                ) from None
            raise


class ObtainToken(ObtainAuthToken):
    """Exchange a username and password for an API token (send it as `Authorization: Token …`)."""

    serializer_class = LoginSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=LoginSerializer,
        responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


router = DefaultRouter()
router.register("bcus", BCUViewSet, basename="bcu")
router.register("boroughs", BoroughViewSet, basename="borough")
router.register("wards", WardViewSet, basename="ward")
router.register("clusters", WardClusterViewSet, basename="cluster")
router.register("places", PlaceViewSet, basename="place")
router.register("officers", OfficerViewSet, basename="officer")
router.register("teams", TeamViewSet, basename="team")
router.register("postings", PostingViewSet, basename="posting")

app_name = "api"
urlpatterns = [
    path("auth/token/", ObtainToken.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    path("", include("deployment.api_urls")),
    path("", include("deployment.reports.api_urls")),
    path("", include("promises.api_urls")),
    path("", include("victims.api_urls")),
]
