"""People appear by rank and name ("Sgt Jo Bloggs"), never by their username, on the flex pages;
the username is for audit views only (the victims' view log)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams.models import Rank
from tests import factories as f
from tests.deployment.factories import raise_flex
from tests.pages import page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sgt_bloggs(sergeant_a, borough_a):
    sergeant_a.officer = f.OfficerFactory(
        first_name="Jo", last_name="Bloggs", rank=Rank.SERGEANT, borough=borough_a
    )
    sergeant_a.save()
    return sergeant_a


def test_the_flex_list_and_page_say_who_asked_by_rank_and_name(
    client, sgt_bloggs, inspector_a, ward_a_east, dwos_a, frozen_today
):
    flex = raise_flex(sgt_bloggs, ward_a_east, dwos_a[:2])
    for url in (reverse("deployment:flex_list"), flex.get_absolute_url()):
        body = page_of(client, inspector_a, url)
        assert "Sgt Jo Bloggs" in body
        assert "sergeant_a" not in body


def test_a_user_without_an_officer_record_is_shown_by_name(
    client, sergeant_a, inspector_a, ward_a_east, dwos_a, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    body = page_of(client, inspector_a, flex.get_absolute_url())
    assert "Jo Bloggs" in body and "sergeant_a" not in body


def test_a_user_with_no_name_recorded_is_shown_by_role_not_username(sergeant_a):
    sergeant_a.first_name = sergeant_a.last_name = ""
    assert str(sergeant_a) == "Sergeant (no name recorded)"


def test_the_flex_list_joins_the_people_it_names(
    client, sgt_bloggs, inspector_a, ward_a_east, dwos_a, frozen_today
):
    """The list's query count does not grow with the requests it shows (their requesters'
    officer records come in the same query)."""
    url = reverse("deployment:flex_list")
    raise_flex(sgt_bloggs, ward_a_east, dwos_a[:1])
    client.force_login(inspector_a)
    cache.clear()
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    raise_flex(sgt_bloggs, ward_a_east, dwos_a[1:2])
    raise_flex(sgt_bloggs, ward_a_east, dwos_a[2:3])
    cache.clear()
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)
