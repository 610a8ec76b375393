"""Who may do what, on every page and every API operation, for every member of the cast:
anonymous, each role of borough A, HQ, an administrator, and two users of another borough.

The endpoints come from the URL patterns (pages) and from the OpenAPI schema's paths (API
operations); the test fails when either holds one the tables below do not cover, so a new page
or operation needs its rule written here the day it is added. Each request addresses borough A's
records (the `sample` fixture), so:

- anonymous: a page sends them to sign in, the API answers 401 (public pages apart);
- a role that may not: 403;
- a user of another borough: 404 for a record of A (or 403 when their role may not anyway);
- a role that may: anything but 401, 403 or 404 (a 400 or 409 is the rule of the job talking).

Writes run in a transaction rolled back after each request, so every request meets the same
records."""

import re
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from config.access import EDITOR_ROLES, LONDON_WIDE_ROLES, Role
from contact.access import INBOX_ROLES
from demand.services import IMPORTER_ROLES
from demand.views import HQ_ROLES
from deployment.flex_permissions import DECIDER_ROLES, REQUESTER_ROLES
from promises.services import ACTIVITY_LOGGER_ROLES
from reports.access import (
    BAND_EDITOR_ROLES,
    COMMENTARY_ROLES,
    REPORT_ERROR_READER_ROLES,
    REPORT_GENERATOR_ROLES,
    REPORT_READER_ROLES,
)
from reports.performance.confidence import IMPORTER_ROLES as CONFIDENCE_IMPORTERS
from schools.services import DECIDER_ROLES as SCHOOLS_DECIDERS
from supervision.services import DECIDER_ROLES as SUPERVISION_DECIDERS
from tests.conftest import ROLE_FIXTURES, api_client_for
from tests.endpoints import every_endpoint, fill_path, schema_operations, url_for
from victims.privacy import VICTIM_WORKER_ROLES, VIEW_LOG_ROLES

pytestmark = pytest.mark.django_db

CAST = ["anonymous", *ROLE_FIXTURES, "staff_b", "constable_a"]
OUTSIDERS = {"inspector_b", "staff_b"}  # users of borough B only
ANYONE = None
DEMAND_IMPORTERS = frozenset().union(*IMPORTER_ROLES.values())  # of one kind of file or another


@dataclass(frozen=True)
class Rule:
    may: frozenset | None = ANYONE  # the roles that may (None: any signed-in user)
    record: bool = False  # the address names a record of borough A
    public: bool = False  # anyone, signed in or not
    also: frozenset = frozenset()  # cast members who may whatever their role (the requester)
    ok: frozenset = frozenset()  # statuses a user who may can also meet (no planned transfer)
    data: dict = field(default_factory=dict, hash=False, compare=False)
    # Whether a constable may too, where `may` is ANYONE: a constable opens only the pages of
    # their own work (config.access.CONSTABLE_PAGES), and no API operation.
    constable: bool = False


READ = Rule()
READ_RECORD = Rule(record=True)
PUBLIC = Rule(public=True)
# Pages a constable opens too: their account and home, their own duties, their ward's promises.
OWN_READ, OWN_READ_RECORD = Rule(constable=True), Rule(record=True, constable=True)


def edit(record=False, may=EDITOR_ROLES, **kw) -> Rule:
    return Rule(may=frozenset(may), record=record, **kw)


def only(roles, record=False, **kw) -> Rule:
    return Rule(may=frozenset(roles), record=record, **kw)


# -- pages: {URL name: {method: rule}} -------------------------------------------------------------

GET, BOTH = ("GET",), ("GET", "POST")


def page(rule, methods=GET):
    return dict.fromkeys(methods, rule)


PAGES = {
    "home": page(OWN_READ, BOTH),
    "login": page(PUBLIC, BOTH),
    "accessibility": page(PUBLIC),
    "privacy": page(PUBLIC),
    "cookies": page(PUBLIC),
    "logout": {"POST": PUBLIC},
    "password_change": page(OWN_READ, BOTH),
    "password_change_done": page(OWN_READ),
    "wards:bcu": page(READ_RECORD),
    "wards:borough": page(READ_RECORD),
    "wards:ward": page(READ_RECORD),
    "teams:officer_list": page(READ),
    "teams:officer": page(READ_RECORD),
    "teams:officer_move": page(edit(record=True), BOTH),
    "teams:officer_transfer": page(edit(record=True), BOTH),
    "teams:transfer_cancel": page(edit(record=True, ok=frozenset({404})), BOTH),
    "teams:ward_post": page(edit(record=True), BOTH),
    "teams:posting_end": page(edit(record=True), BOTH),
    "teams:team": page(READ_RECORD),
    "deployment:flex_list": page(READ),
    "deployment:flex_new": page(edit(may=REQUESTER_ROLES), BOTH),
    "deployment:flex_queue": {
        "GET": READ,
        "POST": only(DECIDER_ROLES, record=True, data={
            "action": "decide", "flex": "{flex}", "decide-{flex}-decision": "reject",
            "decide-{flex}-reason": "Not needed"}),
    },
    "deployment:flex": {
        "GET": READ_RECORD,
        "POST": only(DECIDER_ROLES, record=True, also=frozenset({"staff_a"}),
                     data={"action": "withdraw", "reason": "No longer needed"}),
    },
    "deployment:flex_edit": page(edit(record=True, may=REQUESTER_ROLES), BOTH),
    "deployment:ward_calendar": page(READ_RECORD),
    "deployment:officer_month": page(OWN_READ_RECORD),
    "deployment:duty_new": page(edit(), BOTH),
    "deployment:roster_import": page(edit(), BOTH),
    "deployment:roster_template": page(READ),
    "deployment:duty_list": page(READ),
    "deployment:abstraction_new": page(edit(), BOTH),
    "deployment:rest_day_new": page(edit(), BOTH),
    "deployment:rest_day_delete": page(edit(record=True), BOTH),
    "deployment:abstractions_below_cover": page(READ),
    "reports:list": page(only(REPORT_READER_ROLES)),
    "reports:generate": {
        "POST": only(REPORT_GENERATOR_ROLES, record=True,
                     data={"borough": "{borough}", "month": "2026-03"}),
    },
    "reports:failures": page(only(REPORT_ERROR_READER_ROLES)),
    "reports:detail": page(only(REPORT_READER_ROLES, record=True)),
    "reports:status": page(only(REPORT_READER_ROLES, record=True)),
    "reports:csv": page(only(REPORT_READER_ROLES, record=True)),
    "reports:pdf": page(only(REPORT_READER_ROLES, record=True)),
    "reports:wards_csv": page(only(REPORT_READER_ROLES, record=True)),
    "reports:grip_and_pace": page(only(REPORT_READER_ROLES, record=True)),
    "reports:performance_csv": page(only(REPORT_READER_ROLES, record=True)),
    # Performance: everyone reads their own areas; each level's commentary has its writers.
    "reports:performance_london": {
        "GET": only(LONDON_WIDE_ROLES), "POST": only(COMMENTARY_ROLES["london"])},
    **{f"reports:performance_{level}": {
        "GET": READ_RECORD, "POST": only(COMMENTARY_ROLES[level], record=True)}
       for level in ("bcu", "borough", "ward")},
    "reports:performance_ward_summary": page(READ_RECORD),
    "reports:performance_bands": {"GET": READ, "POST": only(BAND_EDITOR_ROLES)},
    "reports:performance_confidence": page(only(CONFIDENCE_IMPORTERS), BOTH),
    "promises:promise_list": page(READ),
    "promises:promise_create": page(edit(), BOTH),
    "promises:promise": page(OWN_READ_RECORD),
    "promises:promise_end": page(edit(record=True), BOTH),
    "promises:activity_log": page(edit(may=ACTIVITY_LOGGER_ROLES), BOTH),
    "promises:ward_delivery": page(OWN_READ_RECORD),
    "promises:borough_delivery": page(READ_RECORD),
    "promises:priority_create": page(edit(record=True), BOTH),
    "promises:panel_meeting_create": page(edit(record=True), BOTH),
    "promises:event_create": page(edit(record=True), BOTH),
    "promises:place_create": page(edit(record=True), BOTH),
    "promises:priority_action": page(edit(record=True), BOTH),
    "promises:priority_close": {"POST": edit(record=True)},
    "promises:place_import": page(edit(), BOTH),
    "promises:find": page(PUBLIC),
    "promises:public_team": page(PUBLIC),
    "contact:send": page(PUBLIC, BOTH),
    "contact:inbox": page(only(INBOX_ROLES)),
    "contact:message": page(only(INBOX_ROLES, record=True)),
    "contact:message_assign": {"POST": only(INBOX_ROLES, record=True)},
    "contact:message_reply": {"POST": only(INBOX_ROLES, record=True)},
    "contact:message_close": {"POST": only(INBOX_ROLES, record=True)},
    "victims:index": page(READ),
    "victims:crime_list": page(READ),
    "victims:ward_work_list": page(READ_RECORD),
    "victims:cid_work_list": page(READ_RECORD),
    "victims:figures": page(READ_RECORD),
    "victims:crime_new": page(only(VICTIM_WORKER_ROLES), BOTH),
    "victims:crime": page(READ_RECORD),
    "victims:crime_close": {"POST": only(VICTIM_WORKER_ROLES, record=True)},
    "victims:offer_action": {"POST": only(VICTIM_WORKER_ROLES, record=True)},
    "victims:view_log": page(only(VIEW_LOG_ROLES)),
    "demand:index": page(READ),
    "demand:table_csv": page(READ),
    "demand:ward": page(READ_RECORD),
    "demand:imports": {"GET": READ, "POST": only(DEMAND_IMPORTERS)},
    "demand:import": page(READ_RECORD),
    "import_status": page(READ_RECORD),  # a large roster or crimes import (config.bulkimport)
    "demand:themes": page(READ),
    # Themes and the reduction target are London-wide, managed by HQ.
    "demand:theme_new": page(only(HQ_ROLES), BOTH),
    "demand:theme_edit": page(only(HQ_ROLES), BOTH),
    "demand:target_new": page(only(HQ_ROLES), BOTH),
    "demand:target_edit": page(only(HQ_ROLES), BOTH),
    "planning:profile": page(READ),
    "planning:profile_csv": page(READ),
    # Everyone of the borough reads the proposal; only its commander (or an admin) decides.
    "supervision:recommendation": {
        "GET": READ_RECORD,
        "POST": only(SUPERVISION_DECIDERS, record=True, data={"action": "consultation"}),
    },
    "supervision:proposal_csv": page(READ_RECORD),
    # Everyone of the borough reads the ranking; only its commander (or an admin) decides.
    "schools:schools": {
        "GET": READ_RECORD,
        "POST": only(SCHOOLS_DECIDERS, record=True, data={"action": "weights"}),
    },
    "schools:import": page(edit(), BOTH),
    "supervision:proposal_pdf": page(READ_RECORD),
}

# -- API operations: {(schema path, method): rule} -------------------------------------------------

WRITE, WRITE_RECORD = edit(), edit(record=True)
VICTIMS, VICTIMS_RECORD = only(VICTIM_WORKER_ROLES), only(VICTIM_WORKER_ROLES, record=True)
REPORTS_RECORD = only(REPORT_READER_ROLES, record=True)
V1 = "/api/v1"


def resource(path, *, create=WRITE, change=None, delete=None, read_record=READ_RECORD):
    """The usual operations of a resource: its list and detail, and the writes it has."""
    detail = f"{path}{{id}}/"
    operations = {(path, "get"): READ, (detail, "get"): read_record}
    if create:
        operations[(path, "post")] = create
    for method in ("put", "patch") if change else ():
        operations[(detail, method)] = change
    if delete:
        operations[(detail, "delete")] = delete
    return operations


def actions(path, names, rule):
    return {(f"{path}{{id}}/{name}/", "post"): rule for name in names}


OPERATIONS = {
    (f"{V1}/auth/token/", "post"): PUBLIC,
    (f"{V1}/abstraction-types/", "get"): READ,
    (f"{V1}/abstraction-types/{{code}}/", "get"): READ,  # reference data, no borough
    (f"{V1}/bcus/", "get"): READ,
    (f"{V1}/bcus/{{code}}/", "get"): READ_RECORD,
    (f"{V1}/boroughs/", "get"): READ,
    (f"{V1}/boroughs/{{code}}/", "get"): READ_RECORD,
    (f"{V1}/wards/", "get"): READ,
    (f"{V1}/wards/{{code}}/", "get"): READ_RECORD,
    **resource(f"{V1}/clusters/", change=WRITE_RECORD),
    **resource(f"{V1}/places/", change=WRITE_RECORD, delete=WRITE_RECORD),
    **resource(f"{V1}/teams/", create=None, change=WRITE_RECORD),
    **resource(f"{V1}/postings/"),
    (f"{V1}/postings/move/", "post"): WRITE,
    **actions(f"{V1}/postings/", ["end"], WRITE_RECORD),
    (f"{V1}/officers/", "get"): READ,
    (f"{V1}/officers/", "post"): WRITE,
    (f"{V1}/officers/{{shoulder_number}}/", "get"): READ_RECORD,
    (f"{V1}/officers/{{shoulder_number}}/", "put"): WRITE_RECORD,
    (f"{V1}/officers/{{shoulder_number}}/", "patch"): WRITE_RECORD,
    (f"{V1}/officers/{{shoulder_number}}/", "delete"): WRITE_RECORD,
    (f"{V1}/officers/{{shoulder_number}}/transfer/", "post"): WRITE_RECORD,
    (f"{V1}/officers/{{shoulder_number}}/transfer/cancel/", "post"): WRITE_RECORD,
    **resource(f"{V1}/duties/"),
    (f"{V1}/duties/import/", "post"): WRITE,
    (f"{V1}/imports/{{id}}/", "get"): READ_RECORD,
    **resource(f"{V1}/abstractions/"),
    **resource(f"{V1}/rest-days/", delete=WRITE_RECORD),
    **resource(f"{V1}/flex-requests/", create=edit(may=REQUESTER_ROLES),
               change=edit(record=True, may=REQUESTER_ROLES)),
    **actions(f"{V1}/flex-requests/", ["submit"], edit(record=True, may=REQUESTER_ROLES)),
    **actions(f"{V1}/flex-requests/",
              ["approve", "reject", "review", "end", "approve-change", "reject-change"],
              only(DECIDER_ROLES, record=True)),
    **actions(f"{V1}/flex-requests/", ["withdraw"],
              only(DECIDER_ROLES, record=True, also=frozenset({"staff_a"}))),
    **resource(f"{V1}/promises/"),
    **actions(f"{V1}/promises/", ["end"], WRITE_RECORD),
    **resource(f"{V1}/activities/"),
    **resource(f"{V1}/priorities/"),
    **actions(f"{V1}/priorities/", ["action", "close"], WRITE_RECORD),
    **resource(f"{V1}/panel-meetings/"),
    **resource(f"{V1}/events/"),
    **resource(f"{V1}/crimes/", create=VICTIMS),
    (f"{V1}/crimes/import/", "post"): VICTIMS,
    **actions(f"{V1}/crimes/", ["close"], VICTIMS_RECORD),
    **resource(f"{V1}/visit-offers/", create=None),
    **actions(f"{V1}/visit-offers/",
              ["offer", "respond", "schedule", "complete", "miss", "cancel", "satisfaction"],
              VICTIMS_RECORD),
    (f"{V1}/reports/", "get"): only(REPORT_READER_ROLES),
    (f"{V1}/reports/generate/", "post"): only(REPORT_GENERATOR_ROLES),
    (f"{V1}/reports/{{id}}/", "get"): REPORTS_RECORD,
    **{(f"{V1}/reports/{{id}}/{name}/", "get"): REPORTS_RECORD
       for name in ("csv", "wards-csv", "pdf", "status", "performance-csv")},
    # No area: London, for HQ; a borough's user is asked (400) for a ward, borough or BCU.
    (f"{V1}/performance/", "get"): READ,
    (f"{V1}/demand/wards/", "get"): READ,
    (f"{V1}/demand/map/", "get"): READ,
    (f"{V1}/demand/points/", "get"): READ,
    (f"{V1}/demand/profile/", "get"): READ,
    **resource(f"{V1}/demand/imports/", create=only(DEMAND_IMPORTERS)),
    (f"{V1}/supervision/recommendation/", "get"): READ,
    (f"{V1}/supervision/decisions/", "post"): only(SUPERVISION_DECIDERS),
    (f"{V1}/safer-schools/", "get"): READ,
    (f"{V1}/safer-schools/decisions/", "post"): only(SCHOOLS_DECIDERS),
    (f"{V1}/safer-schools/import/", "post"): WRITE,
}
# API URL names outside the schema (what the schema itself describes).
API_NOT_IN_SCHEMA = {"api:api-root", "api:schema", "api:docs"}


# -- the tables cover everything ---------------------------------------------------------------

def test_every_page_and_operation_has_a_rule():
    pages = {e.name for e in every_endpoint(admin=False) if not e.is_api}
    assert pages - set(PAGES) == set(), "pages without a rule"
    assert set(PAGES) - pages == set(), "rules for pages that no longer exist"
    operations = {(path, method) for path, method, _op, _ in schema_operations()}
    assert operations - set(OPERATIONS) == set(), "API operations without a rule"
    assert set(OPERATIONS) - operations == set(), "rules for operations that no longer exist"
    paths = {path for path, _method in operations}
    # The public data.police.uk-compatible API has its own schema and tests (tests/policeuk).
    api = [
        e for e in every_endpoint(admin=False)
        if e.is_api and e.name not in API_NOT_IN_SCHEMA and not e.name.startswith("policeuk:")
    ]
    assert [e.name for e in api if schema_path(e.route) not in paths] == [], "not in the schema"


def schema_path(route: str) -> str:
    """The schema's path for a URL pattern: `api/v1/^officers/(?P<pk>[^/.]+)/$` is
    `/api/v1/officers/{id}/` (drf-spectacular names a primary key `id`)."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route.replace("^", "").replace("$", ""))
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    return "/" + path.replace("{pk}", "{id}")


# -- what each member of the cast gets -----------------------------------------------------------

def allowed(rule: Rule, who: str, user) -> bool:
    if rule.may is ANYONE:
        return user.role != Role.CONSTABLE or rule.constable
    return who in rule.also or user.role in rule.may


def check(rule: Rule, who: str, user, status: int, *, login_redirect: bool) -> str | None:
    """None if `status` is what `who` should get under `rule`, else what went wrong."""
    if status >= 500:
        return f"{status}"
    if rule.public:
        return None if status not in (401, 403, 404) else f"{status} on a public endpoint"
    if user is None:
        return None if login_redirect else f"{status}, not sent to sign in"
    if not allowed(rule, who, user):
        expected = {403, 404} if (rule.record and who in OUTSIDERS) else {403}
    elif rule.record and who in OUTSIDERS:
        expected = {404}
    else:
        refused = {401, 403, 404} - rule.ok
        return None if status not in refused else f"{status} for a user who may"
    return None if status in expected else f"{status}, expected {sorted(expected)}"


def member(cast, who, sample):
    """The cast member signed in as (None: anonymous). The constable is the sample's officer,
    so that the sample's duties and ward are their own."""
    if who == "anonymous":
        return None
    user = cast(who)
    if who == "constable_a":
        user.officer = sample["officer"]
        user.save(update_fields=["officer"])
    return user


def _filled(data: dict, sample) -> dict:
    values = {"flex": sample["flex"].pk, "borough": sample["borough"].code}
    return {key.format(**values): value.format(**values) for key, value in data.items()}


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """The matrix signs in and out of the public endpoints many times a minute."""
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "100000/min")


def _once(send, *args, **kwargs):
    """Send one request in a transaction rolled back afterwards."""
    with transaction.atomic():
        response = send(*args, **kwargs)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("who", CAST)
def test_each_page_answers_each_member_of_the_cast_by_the_rules(client, sample, cast, who):
    user = member(cast, who, sample)
    if user is not None:
        client.force_login(user)
    login = reverse("login")
    wrong = []
    for endpoint in every_endpoint(admin=False):
        if endpoint.is_api:
            continue
        url = url_for(endpoint, sample)
        for method, rule in PAGES[endpoint.name].items():
            data = _filled(rule.data, sample)
            send = client.get if method == "GET" else client.post
            response = _once(send, url, data)
            redirected = response.status_code == 302 and response["Location"].startswith(login)
            problem = check(rule, who, user, response.status_code, login_redirect=redirected)
            if problem:
                wrong.append(f"{method} {url}: {problem}")
            if rule.public and user is not None:
                client.force_login(user)  # signing out was one of them
    assert wrong == []


@pytest.mark.parametrize("who", CAST)
def test_each_operation_answers_each_member_of_the_cast_by_the_rules(sample, cast, who):
    user = member(cast, who, sample)
    api = APIClient() if user is None else api_client_for(user)
    wrong = []
    for path, method, _operation, _ in schema_operations():
        rule = OPERATIONS[(path, method)]
        url = fill_path(path, sample)
        response = _once(api.generic, method.upper(), url, "{}",
                         content_type="application/json")
        problem = check(rule, who, user, response.status_code,
                        login_redirect=response.status_code == 401)
        if problem:
            wrong.append(f"{method.upper()} {url}: {problem}")
    assert wrong == []


def test_the_cast_is_every_role(cast):
    roles = {cast(who).role for who in CAST if who != "anonymous"}
    assert roles == set(Role.values)
