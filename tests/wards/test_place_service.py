"""Writing a place goes through one service (wards.services.place_save) from the admin, the API,
the ward's page and the CSV import: change its check and every entry point follows."""

import pytest
from django.urls import reverse

from config.errors import DomainError
from tests.conftest import api_client_for
from wards import services
from wards.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def refuse_every_name(monkeypatch):
    def refuse(place):
        raise DomainError("No place may be called that today.", field="name")

    monkeypatch.setattr(services, "place_check", refuse)


def write_a_place_everywhere(client, admin_client, staff_a, ward_a) -> dict:
    new = {"name": "St Silas", "kind": "place_of_worship"}
    api = api_client_for(staff_a).post("/api/v1/places/", {**new, "ward": ward_a.code},
                                       format="json")
    client.force_login(staff_a)
    page = client.post(reverse("promises:place_create", args=[ward_a.code]), new)
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = f"name,kind,ward_code\nSt Mark,place_of_worship,{ward_a.code}\n".encode()
    upload = client.post(reverse("promises:place_import"),
                         {"file": SimpleUploadedFile("p.csv", csv, "text/csv")})
    admin = admin_client.post(reverse("admin:wards_place_add"),
                              {**new, "name": "St Luke", "ward": ward_a.pk})
    return {
        "api": api.status_code,
        "page": "No place may be called that today." in page.content.decode(),
        "import": "No place may be called that today." in upload.content.decode(),
        "admin": "No place may be called that today." in admin.content.decode(),
        "saved": Place.objects.count(),
    }


@pytest.fixture
def admin_client(client, admin_user):
    from django.test import Client

    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    other = Client()
    other.force_login(admin_user)
    return other


def test_every_entry_point_writes_a_place_through_the_one_service(
    client, admin_client, staff_a, ward_a
):
    assert write_a_place_everywhere(client, admin_client, staff_a, ward_a) == {
        "api": 201, "page": False, "import": False, "admin": False, "saved": 4,
    }


def test_every_entry_point_follows_the_services_refusal(
    client, admin_client, staff_a, ward_a, refuse_every_name
):
    assert write_a_place_everywhere(client, admin_client, staff_a, ward_a) == {
        "api": 400, "page": True, "import": True, "admin": True, "saved": 0,
    }


def test_only_the_wards_own_editors_write_its_places(ward_a, commander_a, inspector_b):
    from django.core.exceptions import PermissionDenied

    for user in (commander_a, inspector_b):
        with pytest.raises(PermissionDenied):
            services.place_create(ward=ward_a, by=user, name="X", kind="college")
    assert not Place.objects.exists()
