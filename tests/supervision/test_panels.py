"""The ward page says why the ward shares, or does not share, a sergeant; the borough page links
to the recommendation and says which decision is in force. Fixed numbers of queries."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from supervision import page_panels
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db
FROM = datetime.date(2026, 12, 7)


def decide(commander, w):
    groups = [[w["W1"].code], [w["W2"].code, w["W3"].code], [w["W4"].code, w["W5"].code]]
    groups[2].append(w["W6"].code)  # not adjacent: refused
    bad = api_client_for(commander).post(
        reverse("api:supervision-decisions"),
        {"borough": "E09000007", "effective_from": FROM.isoformat(), "rationale": "x",
         "groups": groups}, format="json",
    )  # fmt: skip
    assert bad.status_code == 400
    groups = [[w["W1"].code, w["W2"].code], [w["W3"].code, w["W4"].code, w["W5"].code]]
    groups.append([w["W6"].code])
    answer = api_client_for(commander).post(
        reverse("api:supervision-decisions"),
        {"borough": "E09000007", "effective_from": FROM.isoformat(),
         "rationale": "Balance the sergeants' work.", "groups": groups}, format="json",
    )  # fmt: skip
    assert answer.status_code == 201


def ward_page(client, user, ward):
    client.force_login(user)
    return client.get(reverse("wards:ward", args=[ward.code])).content.decode()


def test_before_a_decision_the_ward_page_says_what_the_postings_say(client, staff_a, row):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 12), tick=False):
        text = ward_page(client, staff_a, row["W2"])
    assert "supervises W2 and also W1, W3" in text
    assert "No supervision decision is recorded" in text


def test_from_the_decision_the_ward_page_says_why(client, staff_a, commander_a, row):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 12), tick=False):
        decide(commander_a, row)
        before = ward_page(client, staff_a, row["W6"])
    assert "No supervision decision is recorded" in before
    with time_machine.travel(datetime.datetime(2026, 12, 7, 12), tick=False):
        alone = ward_page(client, staff_a, row["W6"])
        shared = ward_page(client, staff_a, row["W1"])
    assert "W6 has a sergeant of its own" in alone
    assert "has no ward within 50 m" in alone
    assert "W1 shares its sergeant" in shared and "with W2" in shared
    assert "Balance the sergeants&#x27; work." in shared


def test_the_panels_take_a_fixed_number_of_queries(commander_a, row, django_assert_num_queries, rf):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 12), tick=False):
        decide(commander_a, row)
    with time_machine.travel(datetime.datetime(2026, 12, 8, 12), tick=False):
        with django_assert_num_queries(2):  # the group in force, its wards
            page_panels.ward_panel(row["W1"], None)
        with django_assert_num_queries(1):
            found = page_panels.borough_panel(row["W1"].borough, None)
    assert found["in_force"].effective_from == FROM
    with django_assert_num_queries(2):  # no group in force: the group, today's postings
        page_panels.ward_panel(row["W1"], None)
