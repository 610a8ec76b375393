"""The API, version 1: a token for scripts, the OpenAPI schema and its docs page, the API root,
and each app's resources, which the app registers on its own router (`<app>/api_urls.py`)."""

from django.urls import include, path
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import exceptions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.routers import APIRootView
from rest_framework.views import APIView

from config.import_views import BulkImportDetail
from config.tokens import issue_token

# The apps whose `<app>.api_urls` serve resources under /api/v1/, named only as strings.
API_APPS = (
    "wards", "teams", "deployment", "promises", "victims", "demand", "planning", "supervision",
    "schools", "reports",
)  # fmt: skip


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


class ObtainToken(APIView):
    """Exchange a username and password for an API token (send it as `Authorization: Token …`).
    The token expires after API_TOKEN_HOURS, and sooner if the user's role, boroughs or password
    change or the account is deactivated. Rate limited (RATE_LIMITS "login")."""

    authentication_classes = []
    permission_classes = []

    @extend_schema(
        request=LoginSerializer,
        responses={
            200: inline_serializer(
                "Token",
                {"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
            )
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = LoginSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, expiry = issue_token(serializer.validated_data["user"])
        return Response({"token": token, "expiry": expiry})


app_urls = [path("", include(f"{app}.api_urls")) for app in API_APPS]


def _routes(patterns) -> dict[str, str]:
    """{prefix: list URL name} of every resource the apps' routers register, for the root."""
    routes = {}
    for pattern in patterns:
        router = getattr(getattr(pattern, "urlconf_module", None), "router", None)
        for prefix, _viewset, basename in getattr(router, "registry", ()):
            routes[prefix] = f"{basename}-list"
    return routes


class APIRoot(APIRootView):
    """The resources of the API, each a link to its list."""


app_name = "api"
urlpatterns = [
    path("", APIRoot.as_view(api_root_dict=_routes(app_urls)), name="api-root"),
    path("auth/token/", ObtainToken.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("imports/<int:pk>/", BulkImportDetail.as_view(), name="import-detail"),
    *app_urls,
]
