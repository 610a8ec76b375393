"""Each rule of deployment is defined in one place, and every page, API, task and report that
applies it follows that one definition: change it (here with monkeypatch) and they all change.

- which flex requests are due or overdue for review: FlexRequest.objects.review_overdue;
- which statuses count as authorised flex: deployment.protocol.AUTHORISED_STATUSES;
- the protocol's numbers: deployment.protocol.MAX_FLEX_DAYS and REVIEW_AFTER_DAYS;
- the minimum-cover rule: teams.strength.minimum_cover (the two cover figures:
  deployment.cover, tested in test_cover.py);
- what may happen next to a request: deployment.services.next_actions;
- who holds operational authority: teams.authority.authority_refusal;
- who may open a page recording something of one officer (a duty, an abstraction, rest days)
  and for which officer: deployment.record_views.officer_from_query."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from config.errors import DomainError
from deployment import flex_daily, protocol, record_views, services
from deployment.forms import DutyForm, FlexRequestForm
from deployment.models import Duty, FlexRequest, FlexRequestQuerySet, FlexStatus
from deployment.services import NextAction
from reports.figures import borough_figures
from tests.conftest import api_client_for
from tests.deployment.factories import raise_flex, record
from tests.pages import page_of

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time
UTC = datetime.UTC
MARCH = D(2026, 3, 1)


@pytest.fixture
def running_flex(sergeant_a, inspector_a, ward_a_east, dwos_a, frozen_today):
    """An active flex that started today (2 March 2026): its review falls on 16 March."""
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=frozen_today,
                      end=frozen_today + datetime.timedelta(days=13))
    return services.flex_approve(flex=flex, by=inspector_a)


def review_users(client, inspector_a, borough_a, today):
    """What each user of the review rule shows: the queue, Grip and Pace, the reminder, the
    report and the API's filter (ids of the flexes each lists as due or missed)."""
    queue = page_of(client, inspector_a, reverse("deployment:flex_queue"))
    grip = client.get(reverse("reports:grip_and_pace", args=[borough_a.code]))
    api = api_client_for(inspector_a).get("/api/v1/flex-requests/?review_due=true").json()
    report = borough_figures(borough_a, MARCH)["flex"]["overdue_reviews"]
    return {
        "queue": "review-" in queue,
        "grip_and_pace": [f.pk for f in grip.context["reviews_due"]],
        "reminder": flex_daily.flex_daily_housekeeping(today)["reviews_due"],
        "report": [r["id"] for r in report],
        "api": [r["id"] for r in api["results"]],
    }


def test_every_user_of_the_review_rule_follows_its_one_definition(
    client, inspector_a, borough_a, running_flex, frozen_today, monkeypatch
):
    assert running_flex.review_due == D(2026, 3, 16)
    nobody = {"queue": False, "grip_and_pace": [], "reminder": [], "report": [], "api": []}
    assert review_users(client, inspector_a, borough_a, frozen_today) == nobody

    # The rule changed: every authorised flex is overdue at once.
    monkeypatch.setattr(FlexRequestQuerySet, "review_overdue", lambda self, on: self.authorised())
    # A rule changes with a release, which starts with an empty page cache (config.datacache keeps
    # pages only while their data is unchanged, and the data has not changed here).
    cache.clear()
    pk = running_flex.pk
    assert review_users(client, inspector_a, borough_a, frozen_today) == {
        "queue": True, "grip_and_pace": [pk], "reminder": [pk], "report": [pk], "api": [pk],
    }


def test_every_user_of_the_authorised_statuses_follows_their_one_definition(
    staff_a, inspector_a, borough_a, running_flex, dwos_a, ward_a_east, frozen_today, monkeypatch
):
    ended = services.flex_end(flex=running_flex, by=inspector_a, reason="Done", on=frozen_today)
    assert ended.status == FlexStatus.ENDED

    def users():
        figures = borough_figures(borough_a, MARCH)["flex"]
        form = DutyForm(user=staff_a)
        return {
            "report": figures["authorised"]["requests"],
            "duty_form": list(form.fields["flex_request"].queryset.values_list("pk", flat=True)),
            "queryset": list(FlexRequest.objects.authorised().values_list("pk", flat=True)),
        }

    def flexed_shift(officer, start):
        return record(officer, staff_a, frozen_today, T(start), T(start + 2), kind=Duty.Kind.FLEXED,
                      worked_ward=ward_a_east, flex_request=ended)

    assert users() == {"report": 1, "duty_form": [ended.pk], "queryset": [ended.pk]}
    flexed_shift(dwos_a[0], 8)  # a shift worked under an ended flex: still authorised

    monkeypatch.setattr(protocol, "AUTHORISED_STATUSES", (FlexStatus.APPROVED, FlexStatus.ACTIVE))
    assert users() == {"report": 0, "duty_form": [], "queryset": []}
    with pytest.raises(DomainError, match="is ended, not approved"):
        flexed_shift(dwos_a[0], 12)


def test_the_protocols_numbers_are_read_from_one_place(
    client, sergeant_a, inspector_a, ward_a_east, dwos_a, borough_a, frozen_today, monkeypatch
):
    inspector_a.email = "inspector@met.police.example"
    inspector_a.save()
    monkeypatch.setattr(protocol, "MAX_FLEX_DAYS", 21)
    monkeypatch.setattr(protocol, "REVIEW_AFTER_DAYS", 7)

    with pytest.raises(Exception, match="at most 21 days \\(3 weeks\\)"):
        raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 9), end=D(2026, 3, 30))
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 9), end=D(2026, 3, 20))
    flex = services.flex_approve(flex=flex, by=inspector_a)
    assert flex.review_due == D(2026, 3, 16)

    form = FlexRequestForm(user=sergeant_a, borough=borough_a)
    expected = "A flex lasts at most 21 days (3 weeks) and is reviewed after 7."
    assert str(form.fields["end_date"].help_text) == expected
    form_page = page_of(client, sergeant_a, reverse("deployment:flex_new"))
    assert "for at most 3 weeks" in form_page and "reviewed after 1 week." in form_page
    queue_page = page_of(client, inspector_a, reverse("deployment:flex_queue"))
    assert "reach their review 7 days after they start" in queue_page
    detail_page = page_of(client, inspector_a, flex.get_absolute_url())
    assert "7-day review" in detail_page
    schema = api_client_for(inspector_a).get("/api/v1/schema/?format=json").json()
    end_date = schema["components"]["schemas"]["FlexRequestInput"]["properties"]["end_date"]
    assert end_date["description"] == "Last day; at most 21 days after the first."
    from config.models import OutboundEmail
    from deployment.notifications import send_review_due

    send_review_due(flex.pk)
    assert OutboundEmail.objects.get(key__startswith="flex-review-due").subject.endswith(
        "7-day review due"
    )


def test_every_user_of_the_minimum_cover_rule_follows_its_one_definition(
    client, staff_a, inspector_a, borough_a, team_a_east, dwos_a_east, frozen_today, monkeypatch
):
    """Highgate (ward_a_east) has 2 PCs and 1 PCSO: exactly the minimum, until it is 3 PCs."""
    ward = team_a_east.ward

    def users():
        ward_page = page_of(client, staff_a, ward.get_absolute_url())
        home = page_of(client, staff_a, "/")
        api = api_client_for(staff_a).get(f"/api/v1/wards/{ward.code}/").json()
        client.force_login(inspector_a)  # Grip and Pace is for inspectors and above
        grip = client.get(reverse("reports:grip_and_pace", args=[borough_a.code]))
        # The whole of March, as it will stand at its end.
        figures = borough_figures(borough_a, MARCH, now=datetime.datetime(2026, 4, 1, tzinfo=UTC))
        return {
            "ward_page": "Posted strength below minimum today:" in ward_page,
            "home": "at least 3 dedicated PCs" in home,
            "api": api["below_minimum"],
            "grip_and_pace": [g.ward.pk for g in grip.context["gaps"]],
            "report": figures["cover"]["cover"]["ward_days"],
        }

    assert users() == {
        "ward_page": False, "home": False, "api": False, "grip_and_pace": [], "report": 0
    }
    from teams import strength

    monkeypatch.setattr(strength, "minimum_cover", lambda: (3, 1))
    assert users() == {
        "ward_page": True, "home": True, "api": True, "grip_and_pace": [ward.pk], "report": 31
    }


def test_pages_the_api_and_the_queue_show_what_next_actions_returns(
    client, inspector_a, sergeant_a, ward_a_east, dwos_a, frozen_today, monkeypatch
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    detail = page_of(client, inspector_a, flex.get_absolute_url())
    assert "Approve<" in detail and 'name="action" value="decide"' in detail

    refused = NextAction("approve", "Approve", "Nobody today", why_not="Tasking is closed.")
    monkeypatch.setattr(
        services, "next_actions", lambda flex, user, today=None, gaps=None: [refused]
    )
    detail = page_of(client, inspector_a, flex.get_absolute_url())
    assert 'value="decide"' not in detail
    assert "To approve: Nobody today. Tasking is closed." in detail
    queue = page_of(client, inspector_a, reverse("deployment:flex_queue"))
    assert 'value="decide"' not in queue and "Tasking is closed." in queue
    body = api_client_for(inspector_a).get(f"/api/v1/flex-requests/{flex.pk}/").json()
    assert body["next_actions"] == [{
        "action": "approve", "label": "Approve", "who": "Nobody today", "allowed": False,
        "why_not": "Tasking is closed.",
    }]


def test_every_decision_follows_the_one_authority_rule(
    client, sergeant_a, inspector_a, chief_inspector_a, team_a, ward_a_east, dwos_a,
    frozen_today, monkeypatch,
):
    """Who holds operational authority is teams.authority.authority_refusal: change it and the
    services, next_actions on the pages and the API, and the cover override all follow."""
    from django.core.exceptions import PermissionDenied

    from config.errors import ConflictError
    from deployment.duties import abstraction_record
    from deployment.models import AbstractionType
    from teams import authority
    from tests import factories as f
    from tests.deployment.factories import staff_ward

    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    monkeypatch.setattr(
        authority, "authority_refusal", lambda user, **kw: "Tasking is suspended today."
    )
    with pytest.raises(PermissionDenied, match="Tasking is suspended"):
        services.flex_approve(flex=flex, by=inspector_a)
    assert "Tasking is suspended today." in page_of(client, inspector_a, flex.get_absolute_url())
    body = api_client_for(inspector_a).get(f"/api/v1/flex-requests/{flex.pk}/").json()
    approve = next(a for a in body["next_actions"] if a["action"] == "approve")
    assert (approve["allowed"], approve["why_not"]) == (False, "Tasking is suspended today.")
    short = staff_ward(f.TeamFactory(ward=f.WardFactory(borough=team_a.borough)), pcs=2, pcsos=1)
    with pytest.raises(ConflictError, match="Only a Chief Inspector"):
        abstraction_record(
            officer=short[0], abstraction_type=AbstractionType.objects.get(code="court"),
            starts_at=datetime.datetime(2026, 3, 12, 9, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2026, 3, 12, 17, tzinfo=datetime.UTC),
            by=chief_inspector_a, significant_event="Trial", authorised_by_name="Supt Khan",
            cover_override_reason="Needed",
        )


RECORDING_PAGES = ["deployment:duty_new", "deployment:abstraction_new", "deployment:rest_day_new"]


def test_every_recording_page_asks_the_one_officer_rule(client, staff_a, dwos_a, monkeypatch):
    """The duty, abstraction and rest-day pages are one shape (record_views.record_page): a
    change to who may open them (here: nobody) changes all three."""
    client.force_login(staff_a)
    query = f"?officer={dwos_a[0].shoulder_number}"
    urls = [reverse(name) + query for name in RECORDING_PAGES]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]

    def nobody(request):
        raise PermissionDenied

    monkeypatch.setattr(record_views, "officer_from_query", nobody)
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
