"""What the system accepts is declared once: the largest upload (the import body limit,
config/settings/security.py; the date ranges: tests/config/test_date_ranges.py). Every upload
follows it."""


import pytest
from django.urls import reverse

from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def test_every_import_follows_the_one_size_limit(client, staff_a, settings):
    """The size of an upload is the request body limit for imports
    (REQUEST_BODY_LIMITS["import"], config/settings/security.py): each import, page or API,
    answers 413 above it, and reads the file below it."""
    api = api_client_for(staff_a)
    client.force_login(staff_a)
    body = b"x" * 2048
    imports = {
        "roster page": lambda: client.post(reverse("deployment:roster_import"), body,
                                           content_type="text/csv"),
        "places page": lambda: client.post(reverse("promises:place_import"), body,
                                           content_type="text/csv"),
        "roster API": lambda: api.post("/api/v1/duties/import/", body, content_type="text/csv"),
        "crimes API": lambda: api.post("/api/v1/crimes/import/", body, content_type="text/csv"),
    }

    def statuses():
        return {name: send().status_code for name, send in imports.items()}

    assert 413 not in statuses().values()
    settings.REQUEST_BODY_LIMITS = {**settings.REQUEST_BODY_LIMITS, "import": 1024}
    assert set(statuses().values()) == {413}
