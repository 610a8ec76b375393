"""data.police.uk's paths, under /api/ (config/urls.py). The fixed paths come before
`{force}/{neighbourhood}`, which would otherwise take them."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from policeuk import views

app_name = "policeuk"


class PublicSchema(SpectacularAPIView):
    """This API's own OpenAPI schema (the staff API's is at /api/v1/schema/)."""

    authentication_classes = []
    urlconf = "policeuk.schema_urls"
    custom_settings = {
        "TITLE": "Neighbourhood Ops: the data.police.uk-compatible API",
        "DESCRIPTION": (
            "The Met's neighbourhoods, teams, events, priorities and street-level crime, in "
            "data.police.uk's shapes. Anonymous, cached (ETag), rate-limited per client. "
            "Contains public sector information licensed under the Open Government Licence v3.0."
        ),
        "VERSION": "1",
        "PREPROCESSING_HOOKS": [],  # the staff schema's hook keeps /api/v1/ only
    }


urlpatterns = [
    path("schema", PublicSchema.as_view(), name="schema"),
    path("forces", views.Forces.as_view(), name="forces"),
    path("forces/<str:force>", views.ForceDetail.as_view(), name="force"),
    path("forces/<str:force>/people", views.ForcePeople.as_view(), name="force-people"),
    path("locate-neighbourhood", views.Locate.as_view(), name="locate"),
    path("crime-categories", views.Categories.as_view(), name="categories"),
    path("crimes-street-dates", views.StreetDates.as_view(), name="dates"),
    path("crimes-street/<str:category>", views.StreetCrimes.as_view(), name="street"),
    path("crimes-at-location", views.AtLocation.as_view(), name="at-location"),
    path("crimes-no-location", views.NoLocation.as_view(), name="no-location"),
    path(
        "outcomes-for-crime/<str:persistent_id>", views.OutcomesForCrime.as_view(),
        name="outcomes",
    ),
    path("<str:force>/neighbourhoods", views.Neighbourhoods.as_view(), name="neighbourhoods"),
    path("<str:force>/<str:neighbourhood>", views.NeighbourhoodDetail.as_view(),
         name="neighbourhood"),
    path("<str:force>/<str:neighbourhood>/boundary", views.Boundary.as_view(), name="boundary"),
    path("<str:force>/<str:neighbourhood>/people", views.People.as_view(), name="people"),
    path("<str:force>/<str:neighbourhood>/events", views.Events.as_view(), name="events"),
    path("<str:force>/<str:neighbourhood>/priorities", views.Priorities.as_view(),
         name="priorities"),
]
