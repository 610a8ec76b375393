"""What the system accepts is declared once: the largest upload (the import body limit,
config/settings/security.py) and the years a date may fall in (config.limits). Every upload and
every date check follows it."""

import datetime

import pytest
from django.urls import reverse

from config import limits
from reports import services as reports_services
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


def test_every_date_check_follows_the_accepted_years(monkeypatch):
    from config.errors import DomainError
    from victims.forms import FiguresPeriodForm
    from victims.importer import _when

    def accepted(check) -> bool:
        try:
            check()
        except DomainError:
            return False
        return True

    def users():
        form = FiguresPeriodForm({"date_from": "2026-01-01", "date_to": "2026-01-31"})
        return {
            "report month": accepted(lambda: reports_services.parse_month("2026-01")),
            "crime import": accepted(lambda: _when("2026-01-05T10:00", "Reported at")),
            "figures period": form.is_valid(),
        }

    assert users() == {"report month": True, "crime import": True, "figures period": True}
    monkeypatch.setattr(limits, "ACCEPTED_YEARS", (2027, 2100))
    assert users() == {"report month": False, "crime import": False, "figures period": False}
    assert limits.year_accepted(datetime.date(2027, 1, 1))
