"""Every endpoint's answer has the shape of data.police.uk's documented example (committed in
fixtures/data_police_uk_examples.json): the same keys, the same JSON types (strings where
data.police.uk has strings, numbers where it has numbers), nested alike. A documented null
allows any type and ours may be null where data.police.uk's is (a crime without an outcome). And
every answer validates against this API's own OpenAPI schema, so the schema is what is sent."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.test import Client
from drf_spectacular.validation import validate_schema

from policeuk import geometry
from policeuk.models import SeniorOfficer
from tests.policeuk.conftest import BURGLARY_ID, CENTRE_LAT, CENTRE_LNG, ROBBERY_ID

EXAMPLES = json.loads((Path(__file__).parent / "fixtures/data_police_uk_examples.json").read_text())
# Objects whose keys are open-ended (data.police.uk lists only the methods a team has).
MAPS = {"contact_details"}


def requests(published) -> dict:
    """The request for each documented example, by URL name: (path, query)."""
    hood = f"metropolitan/{published.neighbourhood}"
    point = {"lat": CENTRE_LAT, "lng": CENTRE_LNG, "date": "2024-03"}
    return {
        "forces": ("forces", {}),
        "force": ("forces/metropolitan", {}),
        "force-people": ("forces/metropolitan/people", {}),
        "neighbourhoods": ("metropolitan/neighbourhoods", {}),
        "neighbourhood": (hood, {}),
        "boundary": (f"{hood}/boundary", {}),
        "people": (f"{hood}/people", {}),
        "events": (f"{hood}/events", {}),
        "priorities": (f"{hood}/priorities", {}),
        "locate": ("locate-neighbourhood", {"q": f"{CENTRE_LAT},{CENTRE_LNG}"}),
        "categories": ("crime-categories", {}),
        "dates": ("crimes-street-dates", {}),
        "street": ("crimes-street/all-crime", point),
        "at-location": ("crimes-at-location", {
            "location_id": geometry.street_id(CENTRE_LAT, CENTRE_LNG), "date": "2024-03"}),
        "no-location": ("crimes-no-location", {"category": "all-crime", "force": "metropolitan"}),
        "outcomes": (f"outcomes-for-crime/{ROBBERY_ID}", {}),
    }


def shape_mismatches(ours, theirs, where="$") -> list[str]:
    if theirs is None or ours is None:
        return []
    if isinstance(theirs, dict):
        if not isinstance(ours, dict):
            return [f"{where}: {type(ours).__name__}, not an object"]
        if where.rsplit(".", 1)[-1] in MAPS:
            return [f"{where}.{k}: not a string" for k, v in ours.items() if not isinstance(v, str)]
        problems = [f"{where}: keys {sorted(set(ours) ^ set(theirs))} differ"] if set(ours) != set(
            theirs) else []
        for key in set(ours) & set(theirs):
            problems += shape_mismatches(ours[key], theirs[key], f"{where}.{key}")
        return problems
    if isinstance(theirs, list):
        if not isinstance(ours, list):
            return [f"{where}: {type(ours).__name__}, not a list"]
        return [p for item in ours for p in shape_mismatches(item, theirs[0], f"{where}[]")]
    if type(ours) is not type(theirs):
        return [f"{where}: {type(ours).__name__}, not {type(theirs).__name__} ({ours!r})"]
    return []


@pytest.fixture
def answers(published):
    SeniorOfficer.objects.create(name="Mark Rowley", rank="Commissioner", bio="<p>Bio</p>",
                                 twitter="https://x.com/metpoliceuk")
    published.priority.action, published.priority.action_date = "<p>Patrols</p>", (
        published.priority.issue_date)
    published.priority.save()
    client = Client()
    found = {}
    for name, (path, query) in requests(published).items():
        response = client.get("/api/" + path, query)
        assert response.status_code == 200, (name, response.content[:300])
        found[name] = response.json()
    return found


def test_every_documented_method_is_requested():
    assert set(EXAMPLES) - {"_source"} == {
        "forces", "force", "force-people", "neighbourhoods", "neighbourhood", "boundary",
        "people", "events", "priorities", "locate", "categories", "dates", "street",
        "at-location", "no-location", "outcomes",
    }


def test_every_answer_has_data_police_uks_shape(answers):
    assert set(answers) == set(EXAMPLES) - {"_source"}
    problems = {name: shape_mismatches(answers[name], EXAMPLES[name]) for name in answers}
    assert {name: p for name, p in problems.items() if p} == {}
    # Each list compared has items to compare (an empty one would prove nothing).
    for name, body in answers.items():
        assert body, name


def test_the_shape_check_catches_a_number_sent_as_a_string():
    assert shape_mismatches({"latitude": 51.5}, {"latitude": "52.6"}) == [
        "$.latitude: float, not str (51.5)"
    ]
    assert shape_mismatches({"issue_date": "x"}, {"issue-date": "y"})
    assert shape_mismatches([{"id": "1"}], [{"id": 54164419}])


def _openapi_to_json_schema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema's null type."""
    if isinstance(node, list):
        return [_openapi_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    converted = {k: _openapi_to_json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def test_every_answer_validates_against_the_public_schema(answers, published):
    schema = Client().get("/api/schema", {"format": "json"}).json()
    validate_schema(schema)
    assert all(path.startswith("/api/") and not path.startswith("/api/v1/")
               for path in schema["paths"])
    components = _openapi_to_json_schema(schema["components"])
    for name, (path, _query) in requests(published).items():
        # The most literal template that matches (forces/{force} before {force}/{neighbourhood})
        template = min((p for p in schema["paths"] if _matches(p, "/api/" + path)),
                       key=lambda p: p.count("{"))
        response = schema["paths"][template]["get"]["responses"]["200"]
        body_schema = _openapi_to_json_schema(response["content"]["application/json"]["schema"])
        jsonschema.validate(answers[name], {**body_schema, "components": components})


def _matches(template: str, path: str) -> bool:
    t, p = template.strip("/").split("/"), path.strip("/").split("/")
    same_length = len(t) == len(p)
    return same_length and all(a == b or a.startswith("{") for a, b in zip(t, p, strict=False))


def test_the_staff_schema_leaves_the_public_api_out(db):
    from django.test import Client as StaffClient

    from tests.factories import UserFactory

    client = StaffClient()
    client.force_login(UserFactory(role="hq"))
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert paths and all(path.startswith("/api/v1/") for path in paths)


def test_burglary_example_values_are_ours(answers):
    """Not only shapes: the crime by point is the imported burglary, with its outcome."""
    burglary = next(c for c in answers["street"] if c["persistent_id"] == BURGLARY_ID)
    assert burglary["outcome_status"] == {"category": "Under investigation", "date": "2024-03"}
