"""The inspector's queue (submitted requests oldest first, with conflicts and cover warnings,
decided from the page) and the list of flex requests."""

import datetime

import pytest
from django.urls import reverse

from deployment import services
from deployment.models import FlexStatus
from tests import factories as f
from tests.deployment.factories import raise_flex, staff_ward
from tests.pages import assert_error_summary, page_of, post_as

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def queue_url(db):
    return reverse("deployment:flex_queue")


def decide_from_queue(client, user, flex, decision, **fields):
    prefix = f"decide-{flex.pk}"
    data = {"action": "decide", "flex": flex.pk, f"{prefix}-decision": decision}
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return post_as(client, user, reverse("deployment:flex_queue"), data)


class TestTheInspectorsQueue:
    def test_it_lists_submitted_requests_of_the_users_boroughs_oldest_first(
        self, client, sergeant_a, inspector_a, inspector_b, staff_b, ward_a_east, ward_b,
        dwos_a, dwos_a_east, frozen_today, time_machine, queue_url,
    ):
        older = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        time_machine.move_to(datetime.datetime(2026, 3, 2, 10, 0), tick=False)
        newer = raise_flex(sergeant_a, ward_a_east, dwos_a[1:2], start=D(2026, 3, 10))
        raise_flex(sergeant_a, ward_a_east, dwos_a[2:3], submit=False)  # a draft: not waiting
        other = raise_flex(staff_b, ward_b, [f.OfficerFactory(borough=ward_b.borough)])
        content = page_of(client, inspector_a, queue_url)
        assert content.index(f'id="flex-{older.pk}"') < content.index(f'id="flex-{newer.pk}"')
        assert content.count('class="govuk-summary-card"') == 2
        assert f'id="flex-{other.pk}"' not in content
        assert f'id="flex-{other.pk}"' in page_of(client, inspector_b, queue_url)

    def test_conflicts_and_cover_warnings_are_shown_before_deciding(
        self, client, sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today,
        queue_url,
    ):
        approved = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        services.flex_approve(flex=approved, by=inspector_a)
        conflicting = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 20),
                                 end=D(2026, 3, 25))
        short = raise_flex(sergeant_a, ward_a_east, [dwos_a[3]])  # the ward's only PCSO
        content = page_of(client, inspector_a, queue_url)
        conflict_card = content[content.index(f'id="flex-{conflicting.pk}"'):]
        conflict_card = conflict_card[:conflict_card.index("</form>")]
        assert f"already committed to approved flex #{approved.pk}" in conflict_card
        short_card = content[content.index(f'id="flex-{short.pk}"'):]
        assert "Cover warning" in short_card
        assert "Haverstock below minimum dedicated cover on 14 days" in short_card

    def test_an_inspector_approves_from_the_queue(
        self, client, sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        response = decide_from_queue(client, inspector_a, flex, "approve", reason="Go ahead")
        assert response.status_code == 302
        assert response["Location"] == reverse("deployment:flex_queue")
        flex.refresh_from_db()
        assert (flex.status, flex.decided_by) == (FlexStatus.APPROVED, inspector_a)
        content = page_of(client, inspector_a, reverse("deployment:flex_queue"))
        assert f"Flex request #{flex.pk} approved." in content
        assert f'id="flex-{flex.pk}"' not in content

    def test_refusing_from_the_queue_needs_a_reason(
        self, client, sergeant_a, inspector_a, ward_a_east, dwos_a, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        response = decide_from_queue(client, inspector_a, flex, "reject")
        assert_error_summary(response, "Give the reason for refusing",
                             field=f"id_decide-{flex.pk}-reason")
        flex.refresh_from_db()
        assert flex.status == FlexStatus.SUBMITTED
        decide_from_queue(client, inspector_a, flex, "reject", reason="Not intelligence-led")
        flex.refresh_from_db()
        assert (flex.status, flex.decision_reason) == (
            FlexStatus.REJECTED, "Not intelligence-led"
        )

    def test_a_second_decision_is_told_the_request_is_already_decided(
        self, client, sergeant_a, inspector_a, chief_inspector_a, ward_a_east, dwos_a,
        dwos_a_east, frozen_today,
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        decide_from_queue(client, inspector_a, flex, "approve")
        response = decide_from_queue(client, chief_inspector_a, flex, "reject", reason="No")
        assert_error_summary(response, "This request has already been decided: approved by")
        flex.refresh_from_db()
        assert (flex.status, flex.decided_by) == (FlexStatus.APPROVED, inspector_a)

    def test_a_refused_approval_is_shown_on_the_requests_card(
        self, client, sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
    ):
        approved = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        services.flex_approve(flex=approved, by=inspector_a)
        clash = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 20))
        response = decide_from_queue(client, inspector_a, clash, "approve")
        assert_error_summary(response, f"is already committed to approved flex #{approved.pk}")
        content = response.content.decode()
        card = content[content.index(f'id="flex-{clash.pk}"'):]
        card = card[card.index("<form"):card.index("</form>")]
        assert 'class="govuk-error-message"' in card and "already committed" in card
        clash.refresh_from_db()
        assert clash.status == FlexStatus.SUBMITTED

    def test_the_requester_is_not_offered_a_decision_on_their_own_request(
        self, client, inspector_a, ward_a_east, dwos_a, frozen_today, queue_url
    ):
        flex = raise_flex(inspector_a, ward_a_east, dwos_a[:1])
        content = page_of(client, inspector_a, queue_url)
        assert (
            "You raised, changed or submitted this request: another Inspector must decide it."
            in content
        )
        assert f'name="decide-{flex.pk}-decision"' not in content

    @pytest.mark.parametrize("who", ["staff_a", "sergeant_a", "commander_a", "hq"])
    def test_roles_that_do_not_decide_see_the_queue_without_forms_and_cannot_post(
        self, client, cast, sergeant_a, ward_a_east, dwos_a, frozen_today, queue_url, who
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        content = page_of(client, cast(who), queue_url)
        assert f'id="flex-{flex.pk}"' in content
        assert f'name="decide-{flex.pk}-decision"' not in content
        assert decide_from_queue(client, cast(who), flex, "approve").status_code == 403

    def test_an_inspector_of_another_borough_cannot_decide_from_the_queue(
        self, client, sergeant_a, inspector_b, ward_a_east, dwos_a, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        assert decide_from_queue(client, inspector_b, flex, "approve").status_code == 404
        flex.refresh_from_db()
        assert flex.status == FlexStatus.SUBMITTED

    @pytest.mark.parametrize("data", [{"action": "decide", "flex": "abc"},
                                      {"action": "decide"}])
    def test_a_post_naming_no_request_is_not_found(self, client, inspector_a, queue_url, data):
        assert post_as(client, inspector_a, queue_url, data).status_code == 404

    def test_active_flexes_due_for_review_are_listed_and_reviewed_there(
        self, client, sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today,
        time_machine, queue_url,
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 2),
                          end=D(2026, 3, 29))
        services.flex_approve(flex=flex, by=inspector_a)
        assert f'id="review-{flex.pk}"' not in page_of(client, inspector_a, queue_url)
        time_machine.move_to(datetime.datetime(2026, 3, 16, 9, 0), tick=False)
        assert f'id="review-{flex.pk}"' in page_of(client, inspector_a, queue_url)
        response = post_as(client, inspector_a, queue_url, {
            "action": "review", "flex": flex.pk, f"review-{flex.pk}-decision": "continue",
            f"review-{flex.pk}-reason": "Still working",
        })
        assert response.status_code == 302
        flex.refresh_from_db()
        assert flex.last_reviewed_at is not None
        assert flex.transitions.last().reason == "Still working"
        assert f'id="review-{flex.pk}"' not in page_of(client, inspector_a, queue_url)

    def test_it_runs_a_fixed_number_of_queries(
        self, client, sergeant_a, inspector_a, borough_a, team_a, frozen_today, queue_url,
        assert_fixed_queries,
    ):
        wards = [f.WardFactory(borough=borough_a) for _ in range(2)]
        for ward in wards:
            f.TeamFactory(ward=ward)
        home = staff_ward(team_a, pcs=12, pcsos=4)
        client.force_login(inspector_a)

        def raise_requests(officers):
            for i, officer in enumerate(officers):
                raise_flex(sergeant_a, wards[i % 2], [officer],
                           start=D(2026, 3, 9 + i), end=D(2026, 3, 15 + i))

        raise_requests(home[:3])

        def fetch():
            response = client.get(queue_url)
            assert response.status_code == 200
            return response.content.decode().count('class="govuk-summary-card"')

        # user, user's boroughs (scope), requests (pending, changes and reviews due), their
        # officers, their timelines (who raised them: never the decider) and changes, dedicated
        # postings of the wards their officers serve (cover), commitments (conflicts and
        # cover), navigation boroughs
        before, after = assert_fixed_queries(fetch, lambda: raise_requests(home[3:13]),
                                             queries=9)
        assert (before, after) == (3, 13)


class TestTheListOfRequests:
    def test_it_lists_only_requests_of_the_users_boroughs(
        self, client, sergeant_a, staff_b, inspector_b, ward_a_east, ward_b, dwos_a, frozen_today
    ):
        mine = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        theirs = raise_flex(staff_b, ward_b, [f.OfficerFactory(borough=ward_b.borough)])
        url = reverse("deployment:flex_list")
        content = page_of(client, sergeant_a, url)
        assert mine.get_absolute_url() in content
        assert theirs.get_absolute_url() not in content
        assert mine.get_absolute_url() not in page_of(client, inspector_b, url)

    def test_it_filters_by_status_ward_and_dates(
        self, client, sergeant_a, inspector_a, ward_a, ward_a_east, dwos_a, dwos_a_east,
        frozen_today,
    ):
        submitted = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        draft = raise_flex(sergeant_a, ward_a_east, dwos_a[1:2], start=D(2026, 4, 1),
                           end=D(2026, 4, 10), submit=False)
        back = raise_flex(sergeant_a, ward_a, dwos_a_east[:1])
        url = reverse("deployment:flex_list")

        def listed(query):
            content = page_of(client, sergeant_a, url + query)
            return {flex for flex in (submitted, draft, back)
                    if f'href="{flex.get_absolute_url()}"' in content}

        assert listed("?status=draft") == {draft}
        assert listed("?status=draft&status=submitted") == {submitted, draft, back}
        assert listed(f"?ward={ward_a.code}") == {submitted, draft, back}  # to or from
        assert listed(f"?ward={ward_a_east.code}&status=submitted") == {submitted, back}
        assert listed("?date_from=2026-03-25") == {draft}
        assert listed("?date_to=2026-03-25&status=draft") == set()

    def test_a_bad_filter_value_is_shown_in_the_error_summary(
        self, client, sergeant_a, frozen_today
    ):
        client.force_login(sergeant_a)
        response = client.get(reverse("deployment:flex_list") + "?date_from=not-a-date")
        assert_error_summary(response, "Enter a valid date")

    def test_it_is_paginated(self, client, sergeant_a, ward_a_east, dwos_a, frozen_today):
        for _ in range(26):
            raise_flex(sergeant_a, ward_a_east, dwos_a[:1], submit=False)
        content = page_of(client, sergeant_a, reverse("deployment:flex_list"))
        assert "26 requests, page 1 of 2" in content
        assert content.count('class="govuk-table__row"') == 26  # header + 25

    def test_it_runs_a_fixed_number_of_queries(
        self, client, sergeant_a, ward_a_east, dwos_a, frozen_today, assert_fixed_queries
    ):
        client.force_login(sergeant_a)

        def add(n):
            for _ in range(n):
                raise_flex(sergeant_a, ward_a_east, dwos_a[:2], submit=False)

        add(3)

        def fetch():
            response = client.get(reverse("deployment:flex_list"))
            assert response.status_code == 200
            return response.content.decode().count("/flex/")

        # user, user's boroughs (scope), borough and ward choices of the filter, count, page of
        # requests, their officers, navigation boroughs
        before, after = assert_fixed_queries(fetch, lambda: add(7), queries=8)
        assert after > before


@pytest.mark.parametrize("pk", ["99999999999999999999", "-1"])
def test_an_out_of_range_request_number_is_not_found(client, inspector_a, pk):
    client.force_login(inspector_a)
    assert client.get(f"/flex/{pk}/").status_code == 404
    response = client.post(reverse("deployment:flex_queue"), {"action": "decide", "flex": pk})
    assert response.status_code == 404
