"""Ways into the promises pages: the ward page links to its promises, priorities and public team
page, the borough page to its promise delivery, and the sign-in page sends the public to find
their neighbourhood team."""

import pytest
from django.urls import reverse

from tests.conftest import READERS_OF_A

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", sorted(READERS_OF_A))
def test_the_ward_page_links_to_its_promises_priorities_and_public_page(
    client, cast, who, ward_a, team_a
):
    client.force_login(cast(who))
    body = client.get(reverse("wards:ward", args=[ward_a.code])).content.decode()
    delivery = reverse("promises:ward_delivery", args=[ward_a.code])
    assert "Promises and priorities" in body
    assert f'href="{delivery}"' in body
    assert f'href="{delivery}#priorities"' in body
    assert f'href="{reverse("promises:public_team", args=[ward_a.code])}"' in body


def test_the_priorities_link_lands_on_the_priorities_section(client, staff_a, ward_a):
    client.force_login(staff_a)
    body = client.get(reverse("promises:ward_delivery", args=[ward_a.code])).content.decode()
    assert 'id="priorities">Ward priorities' in body


@pytest.mark.parametrize("who", sorted(READERS_OF_A))
def test_the_borough_page_links_to_its_promise_delivery(client, cast, who, borough_a):
    client.force_login(cast(who))
    body = client.get(reverse("wards:borough", args=[borough_a.code])).content.decode()
    assert f'href="{reverse("promises:borough_delivery", args=[borough_a.code])}"' in body


def test_the_sign_in_page_sends_the_public_to_find_their_team(client):
    body = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("promises:find")}"' in body
    assert "Find your neighbourhood team" in body
    # ...and that page opens without signing in.
    assert client.get(reverse("promises:find")).status_code == 200
