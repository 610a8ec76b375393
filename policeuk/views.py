"""data.police.uk's API for the Met, under /api/: anonymous (no session, no CSRF: DRF views with
no authentication are exempt), JSON only. Each view checks its parameters (400, or 404 as
data.police.uk does for an unknown force, neighbourhood or category), then hands a function of
policeuk.neighbourhoods or policeuk.crimes to respond.public_json, which caches the answer until
the data changes."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import APIException
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from policeuk import crimes, geometry
from policeuk import neighbourhoods as hoods
from policeuk import serializers as shapes
from policeuk.respond import public_json

ERRORS = {400: shapes.Error, 404: shapes.Error, 429: shapes.Error}
DATE = OpenApiParameter("date", OpenApiTypes.STR, description="YYYY-MM (default: the latest).")


class AreaTooLarge(APIException):
    status_code = 503
    default_detail = f"The area holds more than {crimes.MAX_CRIMES:,} crimes: draw a smaller one."
    default_code = "too_many_crimes"


def schema(response, *, many=False, parameters=(), **kwargs):
    return extend_schema(
        responses={200: response(many=many), **ERRORS}, parameters=list(parameters), auth=[],
        **kwargs,
    )


class JSONWhateverAccepted(DefaultContentNegotiation):
    """JSON for every client, as data.police.uk answers, whatever its Accept header or `format`
    parameter: the same answer the public cache (config/publiccache.py) gives everyone."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PublicView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    parser_classes = [FormParser, MultiPartParser]
    content_negotiation_class = JSONWhateverAccepted

    def answer(self, *key, make):
        return public_json(self.request, (type(self).__name__, *key), make)


class Forces(PublicView):
    @schema(shapes.ForceSummary, many=True)
    def get(self, request):
        return self.answer(make=lambda: [{"id": hoods.FORCE_ID, "name": hoods.FORCE_NAME}])


class ForceDetail(PublicView):
    @schema(shapes.Force)
    def get(self, request, force):
        hoods.check_force(force)
        return self.answer(make=lambda: hoods.FORCE)


class ForcePeople(PublicView):
    @schema(shapes.Person, many=True)
    def get(self, request, force):
        hoods.check_force(force)
        return self.answer(make=hoods.senior_officers)


class Neighbourhoods(PublicView):
    @schema(shapes.NeighbourhoodSummary, many=True)
    def get(self, request, force):
        hoods.check_force(force)
        return self.answer(make=hoods.neighbourhoods)


class NeighbourhoodView(PublicView):
    """A view of one neighbourhood: `publish(ward)` makes its answer. The ward (with its borough
    and team) is read inside the cached making, so that a renamed ward or a team's new phone
    number makes the kept answer stale too; an unknown one is a 404, never kept."""

    def get(self, request, force, neighbourhood):
        return self.answer(
            force, neighbourhood, make=lambda: self.publish(hoods.ward_of(force, neighbourhood))
        )


@extend_schema_view(get=schema(shapes.Neighbourhood))
class NeighbourhoodDetail(NeighbourhoodView):
    def publish(self, ward):
        url = self.request.build_absolute_uri(reverse("promises:public_team", args=[ward.code]))
        return hoods.neighbourhood(ward, url)


@extend_schema_view(get=schema(shapes.LatLng, many=True))
class Boundary(NeighbourhoodView):
    def publish(self, ward):
        return hoods.boundary(ward)


@extend_schema_view(get=schema(shapes.Person, many=True))
class People(NeighbourhoodView):
    def publish(self, ward):
        return hoods.people(ward)


@extend_schema_view(get=schema(shapes.Event, many=True))
class Events(NeighbourhoodView):
    def publish(self, ward):
        return hoods.events(ward)


@extend_schema_view(get=schema(shapes.Priority, many=True))
class Priorities(NeighbourhoodView):
    def publish(self, ward):
        return hoods.priorities(ward)


class Locate(PublicView):
    @schema(shapes.Located, parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, required=True, description="lat,lng")
    ])
    def get(self, request):
        lat, lng = geometry.parse_point(request.query_params.get("q"), field="q")
        return self.answer(lat, lng, make=lambda: hoods.locate(lat, lng))


class Categories(PublicView):
    @schema(shapes.CrimeCategory, many=True, parameters=[DATE])
    def get(self, request):
        crimes.parse_date(request.query_params.get("date"))
        return self.answer(make=crimes.categories)


class StreetDates(PublicView):
    @schema(shapes.StreetDate, many=True)
    def get(self, request):
        return self.answer(make=crimes.dates)


def _street_parameters(params):
    month = crimes.parse_date(params.get("date"))
    if params.get("poly"):
        polygon = geometry.parse_poly(params["poly"])
        return (month, polygon.wkt), lambda category: crimes.in_area(category, month, polygon)
    lat, lng = geometry.parse_lat_lng(params.get("lat"), params.get("lng"))
    return (month, lat, lng), lambda category: crimes.near_point(category, month, lat, lng)


STREET = [
    DATE,
    OpenApiParameter("lat", OpenApiTypes.NUMBER, description="With lng: within one mile."),
    OpenApiParameter("lng", OpenApiTypes.NUMBER),
    OpenApiParameter("poly", OpenApiTypes.STR, description="lat,lng:lat,lng:… (instead)."),
]


class StreetCrimes(PublicView):
    """Street-level crimes within a mile of a point, or in an area; POST takes `poly` (and the
    other parameters) as form data, for areas too long for a URL."""

    def _crimes(self, params, category):
        key, find = _street_parameters(params)

        def make():
            try:
                return find(category)
            except crimes.TooManyCrimes:
                raise AreaTooLarge from None

        return self.answer(category, *key, make=make)

    @schema(shapes.Crime, many=True, parameters=STREET)
    def get(self, request, category):
        return self._crimes(request.query_params, category)

    @schema(shapes.Crime, many=True, parameters=[DATE], request={
        "application/x-www-form-urlencoded": OpenApiTypes.OBJECT,
    })
    def post(self, request, category):
        return self._crimes(request.data, category)


class AtLocation(PublicView):
    @schema(shapes.Crime, many=True, parameters=[
        DATE, OpenApiParameter("location_id", OpenApiTypes.INT, required=True)
    ])
    def get(self, request):
        month = crimes.parse_date(request.query_params.get("date"))
        location = request.query_params.get("location_id", "")
        geometry.street_point(location)
        return self.answer(month, location, make=lambda: crimes.at_location(location, month))


class NoLocation(PublicView):
    @schema(shapes.Crime, many=True, parameters=[
        DATE, OpenApiParameter("category", OpenApiTypes.STR, required=True),
        OpenApiParameter("force", OpenApiTypes.STR, required=True),
    ])
    def get(self, request):
        params = request.query_params
        hoods.check_force(params.get("force", ""))
        month = crimes.parse_date(params.get("date"))
        category = params.get("category") or crimes.ALL_CRIME
        return self.answer(
            month, category, make=lambda: crimes.without_location(category, month)
        )


class OutcomesForCrime(PublicView):
    @schema(shapes.Outcomes)
    def get(self, request, persistent_id):
        return self.answer(persistent_id, make=lambda: crimes.outcomes_for(persistent_id))
