"""Every endpoint the URL patterns declare, and one record of every kind to fill their addresses.

Tests that must hold for every page and API path (security headers, rate limits, hostile input)
enumerate them here rather than listing them by hand, so a new URL is covered the day it is added,
and `url_for` fails loudly for an address it does not know how to fill."""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.views import APIView

from tests import factories as f

# The Django admin: its index, sign-in and sign-out, and each model's list and add pages (the
# pages with an object id are the admin's own code, reached only from these).
ADMIN_KWARGS_FREE = "admin:"


@dataclass(frozen=True)
class Endpoint:
    name: str  # the namespaced URL name, e.g. "api:ward-detail"
    route: str  # the pattern, for messages
    kwargs: tuple[str, ...]
    view_class: type | None

    @property
    def is_api(self) -> bool:
        return isinstance(self.view_class, type) and issubclass(self.view_class, APIView)

    def __str__(self):
        return self.name


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            callback = pattern.callback
            view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
            kwargs = tuple(pattern.pattern.regex.groupindex)
            yield Endpoint(namespace + pattern.name, prefix + str(pattern.pattern), kwargs,
                           view_class)


def every_endpoint(*, admin: bool = True) -> list[Endpoint]:
    """Each named URL once (DRF's `.json` suffix twins left out). Admin URLs with an object in
    their address are left out; `admin=False` leaves the whole admin out."""
    seen, endpoints = set(), []
    for endpoint in _walk(get_resolver().url_patterns):
        if "format" in endpoint.kwargs or endpoint.name in seen:
            continue
        if endpoint.name.startswith(ADMIN_KWARGS_FREE) and (endpoint.kwargs or not admin):
            continue
        seen.add(endpoint.name)
        endpoints.append(endpoint)
    return endpoints


# Which sample record fills a `pk` or a `code` in a URL, by the URL name's beginning (longest
# match wins). Anything else is a ward's code.
PK_OWNERS = {
    "api:cluster-": "cluster", "api:place-": "place", "api:team-": "team",
    "api:posting-": "posting", "api:duty-": "duty", "api:abstraction-": "abstraction",
    "api:rest-day-": "rest_day", "deployment:rest_day": "rest_day",
    "api:flex-request-": "flex", "api:report-": "report", "api:promise-": "promise",
    "api:activity-": "activity", "api:priority-": "priority",
    "api:panel-meeting-": "panel_meeting", "api:event-": "event", "api:crime-": "crime",
    "api:visit-offer-": "offer", "teams:posting": "posting", "teams:team": "team",
    "deployment:flex": "flex", "reports:": "report", "promises:promise": "promise",
    "promises:priority": "priority", "victims:crime": "crime", "victims:offer": "offer",
    "api:demand-import-": "data_import", "demand:import": "data_import",
    "demand:target": "target", "contact:message": "message",
    "api:import-": "bulk_import", "import_status": "bulk_import",
}
CODE_OWNERS = {
    "api:bcu-": "bcu", "wards:bcu": "bcu", "api:abstraction-type-": "abstraction_type",
    "api:borough-": "borough", "wards:borough": "borough", "reports:grip": "borough",
    "promises:borough": "borough", "victims:figures": "borough", "victims:cid": "borough",
    "supervision:": "borough", "schools:": "borough", "reports:performance_bcu": "bcu",
    "reports:performance_borough": "borough",
}
PLAIN_VALUES = {
    "year": 2026, "month": 3, "action": "offer", "slug": "burglary",
    # the public data.police.uk-compatible API (policeuk)
    "force": "metropolitan", "category": "all-crime", "persistent_id": "0" * 64,
}


def _owner(table: dict, name: str, default: str | None = None) -> str:
    matches = [prefix for prefix in table if name.startswith(prefix)]
    if not matches:
        if default is None:
            raise LookupError(f"No sample record for {name}: add it to tests/endpoints.py")
        return default
    return table[max(matches, key=len)]


def sample_kwargs(endpoint: Endpoint, sample: dict) -> dict:
    """The URL kwargs that address `sample`'s records at `endpoint`."""
    kwargs = {}
    for key in endpoint.kwargs:
        if key == "pk":
            kwargs[key] = sample[_owner(PK_OWNERS, endpoint.name)].pk
        elif key == "code":
            kwargs[key] = sample[_owner(CODE_OWNERS, endpoint.name, "ward")].code
        elif key == "neighbourhood":  # data.police.uk's id: the ward's code plus N
            kwargs[key] = sample["ward"].code + "N"
        elif key == "shoulder_number":
            kwargs[key] = sample["officer"].shoulder_number
        elif key in PLAIN_VALUES:
            kwargs[key] = PLAIN_VALUES[key]
        else:
            raise LookupError(f"No sample value for {key} in {endpoint.name} ({endpoint.route})")
    return kwargs


def url_for(endpoint: Endpoint, sample: dict, **override) -> str:
    return reverse(endpoint.name, kwargs={**sample_kwargs(endpoint, sample), **override})


# -- the API's schema ---------------------------------------------------------------------------

def schema_operations():
    """(path, method, operation) for every operation of the API's OpenAPI schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation, schema


OWNERS = {
    "bcus": "bcu", "boroughs": "borough", "wards": "ward", "clusters": "cluster",
    "places": "place", "officers": "officer", "teams": "team", "postings": "posting",
    "abstraction-types": "abstraction_type", "duties": "duty", "abstractions": "abstraction",
    "rest-days": "rest_day",
    "flex-requests": "flex", "reports": "report", "promises": "promise",
    "activities": "activity", "priorities": "priority", "panel-meetings": "panel_meeting",
    "events": "event", "crimes": "crime", "visit-offers": "offer",
    "demand": "data_import",  # /api/v1/demand/imports/{id}/
    "imports": "bulk_import",  # /api/v1/imports/{id}/ (config.bulkimport)
}  # fmt: skip


def path_parameters(path: str, sample: dict) -> dict:
    """{placeholder: the sample's value} for an API path's placeholders ({} when it has none)."""
    if "{" not in path:
        return {}
    record = sample[OWNERS[path.split("/")[3]]]
    key = path[path.index("{") + 1 : path.index("}")]
    return {key: {"id": getattr(record, "pk", None)}.get(key) or getattr(record, key)}


def fill_path(path: str, sample: dict, value=None) -> str:
    """An API path with its {placeholders} filled from the sample (or all set to `value`)."""
    for key, real in path_parameters(path, sample).items():
        path = path.replace("{" + key + "}", str(real if value is None else value))
    return path


def request_schema(operation, schema) -> dict:
    """{property: its schema} of an operation's JSON request body."""
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema", {})
    if "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    return body.get("properties", {})


def request_properties(operation, schema) -> list[str]:
    return list(request_schema(operation, schema))



@pytest.fixture
def sample(borough_a, ward_a, team_a, staff_a, sergeant_a):
    """One record of every kind the URLs address, all in borough_a. The cast's sergeant is the
    sergeant of ward_a's team (they read its messages)."""
    from config.models import BulkImport
    from contact import services as contact
    from demand.models import DataImport, ReductionTarget
    from deployment.models import AbstractionType, RestDay
    from reports import services as reports
    from schools.models import School
    from tests.promises import factories as pf
    from tests.reports.conftest import abstraction, at, duty, flex
    from tests.victims.conftest import offer_of, record_crime

    officer = f.OfficerFactory(borough=borough_a, shoulder_number="7016EA")
    posting = f.PostingFactory(officer=officer, team=team_a)
    f.post_to_team(sergeant_a, team_a)
    crime = record_crime(staff_a, ward=ward_a)
    report, _ = reports.report_request(borough=borough_a, month=datetime.date(2026, 3, 1))
    promise = pf.PromiseFactory(ward=ward_a, owner_user=staff_a)
    return {
        "bcu": borough_a.bcu,
        "borough": borough_a,
        "ward": ward_a,
        "team": team_a,
        "officer": officer,
        "posting": posting,
        "cluster": f.WardClusterFactory(borough=borough_a),
        "place": f.PlaceFactory(ward=ward_a),
        "abstraction_type": AbstractionType.objects.filter(active=True).first(),
        "duty": duty(officer, ward_a, at(2026, 3, 2, 8), at(2026, 3, 2, 16), by=staff_a),
        "abstraction": abstraction(
            officer, "court", at(2026, 3, 3, 9), at(2026, 3, 3, 12), by=staff_a
        ),
        "rest_day": RestDay.objects.create(
            officer=officer, day=datetime.date(2026, 3, 4), borough=borough_a,
            recorded_by=staff_a,
        ),
        "flex": flex(
            borough_a, ward_a, [], datetime.date(2026, 3, 9), datetime.date(2026, 3, 20),
            by=staff_a,
        ),
        "report": reports.report_produce(report.pk),
        "promise": promise,
        "activity": pf.ActivityFactory(ward=ward_a, promises=[promise]),
        "priority": pf.WardPriorityFactory(ward=ward_a),
        "panel_meeting": pf.PanelMeetingFactory(ward=ward_a),
        "event": pf.EngagementEventFactory(ward=ward_a),
        "crime": crime,
        "offer": offer_of(crime),
        "data_import": DataImport.objects.create(
            kind=DataImport.Kind.CAD, file_name="cad.csv", sha256="0" * 64, borough=borough_a,
            imported_by=staff_a, status=DataImport.Status.DONE,
        ),
        "bulk_import": BulkImport.objects.create(
            kind="roster", boroughs=[borough_a.pk], user_id=staff_a.pk,
            username=staff_a.username, status=BulkImport.Status.DONE, rows_total=1,
        ),
        "target": ReductionTarget.objects.first(),
        "message": contact.message_send(ward=ward_a, category="question", text="When?"),
        "school": School.objects.create(
            urn="100049", name="Haverstock School", kind=School.Kind.SECONDARY,
            borough=borough_a, ward=ward_a, free_meals=30,
        ),
    }
