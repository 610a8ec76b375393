"""The flex request pages: raising and editing a request, and the request page with its actions.
Forms write through the services; their refusals come back in a GOV.UK error summary, attached to
the field when the rule names one, and never as a 500. The queue and the list: test_pages_queue."""

import datetime

import pytest
from django.urls import reverse

from deployment import services
from deployment.models import FlexRequest, FlexStatus
from tests import factories as f
from tests.deployment.factories import raise_flex, record_flexed_duty
from tests.pages import assert_error_summary, page_of, post_as

pytestmark = pytest.mark.django_db
D = datetime.date


def flex_form_data(to_ward, officers, **changes):
    return {
        "to_ward": to_ward.pk,
        "officers": [o.pk for o in officers],
        "start_date": "2026-03-09",
        "end_date": "2026-03-22",
        "daily_start": "18:00",
        "daily_end": "02:00",
        "problem": "Moped-enabled phone snatches around the station",
        "expected_benefit": "Arrests and fewer snatches",
        "action": "save",
        **changes,
    }


@pytest.fixture
def new_page(borough_a):
    return reverse("deployment:flex_new") + f"?borough={borough_a.code}"


class TestRaisingAFlexRequest:
    def test_a_sergeant_saves_a_draft_with_officers_from_their_home_wards(
        self, client, sergeant_a, new_page, ward_a, ward_a_east, dwos_a, frozen_today
    ):
        response = post_as(client, sergeant_a, new_page, flex_form_data(ward_a_east, dwos_a[:2]))
        flex = FlexRequest.objects.get()
        assert response.status_code == 302
        assert response["Location"] == flex.get_absolute_url()
        assert flex.status == FlexStatus.DRAFT
        assert flex.requested_by == sergeant_a
        assert {(m.officer, m.from_ward) for m in flex.members.all()} == {
            (dwos_a[0], ward_a), (dwos_a[1], ward_a)
        }
        assert flex.daily_start == datetime.time(18) and flex.daily_end == datetime.time(2)

    def test_submit_for_decision_submits_at_once(
        self, client, sergeant_a, new_page, ward_a_east, dwos_a, frozen_today
    ):
        post_as(client, sergeant_a, new_page,
                flex_form_data(ward_a_east, dwos_a[:1], action="submit"))
        assert FlexRequest.objects.get().status == FlexStatus.SUBMITTED
        content = page_of(client, sergeant_a, FlexRequest.objects.get().get_absolute_url())
        assert "the borough&#x27;s inspectors have been told" in content

    def test_a_flex_longer_than_28_days_is_refused_on_the_end_date(
        self, client, sergeant_a, new_page, ward_a_east, dwos_a, frozen_today
    ):
        data = flex_form_data(ward_a_east, dwos_a[:1], end_date="2026-04-06")
        response = post_as(client, sergeant_a, new_page, data)
        assert_error_summary(response, "at most 28 days", field="id_end_date")
        assert not FlexRequest.objects.exists()

    def test_flexing_an_officer_to_their_own_ward_is_refused_on_the_officers(
        self, client, sergeant_a, new_page, ward_a, dwos_a, frozen_today
    ):
        response = post_as(client, sergeant_a, new_page, flex_form_data(ward_a, dwos_a[:1]))
        assert_error_summary(response, "home ward is Haverstock", field="id_officers")
        assert not FlexRequest.objects.exists()

    def test_wards_and_officers_of_another_borough_are_not_offered(
        self, client, sergeant_a, new_page, ward_a_east, ward_b, dwos_a, frozen_today
    ):
        outsider = f.OfficerFactory(last_name="Westminsterman", borough=ward_b.borough)
        content = page_of(client, sergeant_a, new_page)
        assert "Soho" not in content and "Westminsterman" not in content
        response = post_as(client, sergeant_a, new_page, flex_form_data(ward_b, [outsider]))
        assert_error_summary(response, "Choose a ward of this borough", field="id_to_ward")
        assert not FlexRequest.objects.exists()

    def test_missing_answers_are_listed_in_the_error_summary(
        self, client, sergeant_a, new_page, frozen_today
    ):
        response = post_as(client, sergeant_a, new_page, {"action": "save"})
        for message in ("Choose the ward the officers are flexed to",
                        "Choose at least one officer to flex", "Enter the first day of the flex",
                        "Name the problem the flex is against"):
            assert_error_summary(response, message)
        assert 'href="#id_officers_0"' in response.content.decode()

    def test_each_officer_is_shown_with_home_ward_and_existing_commitments(
        self, client, sergeant_a, inspector_a, new_page, ward_a_east, dwos_a, dwos_a_east,
        frozen_today,
    ):
        approved = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        services.flex_approve(flex=approved, by=inspector_a)
        content = page_of(client, sergeant_a, new_page)
        assert "Home ward: Haverstock" in content
        assert "Home ward: Highgate" in content
        assert f"Flex #{approved.pk} to Highgate, 9 Mar to 22 Mar 2026" in content

    def test_a_user_of_several_boroughs_chooses_the_borough_first(
        self, client, borough_a, borough_a2, frozen_today
    ):
        user = f.UserFactory(role="sergeant", boroughs=[borough_a, borough_a2])
        content = page_of(client, user, reverse("deployment:flex_new"))
        assert "Which borough is the flex in?" in content
        assert f"?borough={borough_a2.code}" in content

    def test_a_user_of_one_borough_goes_straight_to_the_form(
        self, client, sergeant_a, frozen_today
    ):
        content = page_of(client, sergeant_a, reverse("deployment:flex_new"))
        assert "Raise a flex request" in content and "Save draft" in content


class TestEditingADraft:
    def test_the_requester_changes_a_draft_and_submits_it(
        self, client, sergeant_a, ward_a_east, dwos_a, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], submit=False)
        url = reverse("deployment:flex_edit", args=[flex.pk])
        assert f'value="{dwos_a[0].pk}" aria-describedby' in page_of(client, sergeant_a, url)
        data = flex_form_data(ward_a_east, dwos_a[1:3], problem="Burglary series",
                              action="submit")
        assert post_as(client, sergeant_a, url, data).status_code == 302
        flex.refresh_from_db()
        assert flex.problem == "Burglary series"
        assert flex.status == FlexStatus.SUBMITTED
        assert {m.officer for m in flex.members.all()} == set(dwos_a[1:3])

    def test_a_refused_change_saves_nothing(
        self, client, sergeant_a, ward_a_east, dwos_a, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], submit=False)
        url = reverse("deployment:flex_edit", args=[flex.pk])
        data = flex_form_data(ward_a_east, dwos_a[:1], end_date="2026-05-01", action="submit")
        assert_error_summary(post_as(client, sergeant_a, url, data), "at most 28 days")
        flex.refresh_from_db()
        assert (flex.status, flex.end_date) == (FlexStatus.DRAFT, D(2026, 3, 22))

    def test_a_submitted_request_is_not_changed(
        self, client, sergeant_a, ward_a_east, dwos_a, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        client.force_login(sergeant_a)
        response = client.get(reverse("deployment:flex_edit", args=[flex.pk]), follow=True)
        assert response.redirect_chain[-1][0] == flex.get_absolute_url()
        assert "Only a draft can be changed" in response.content.decode()


class TestTheRequestPage:
    def test_it_summarises_the_request_with_officers_and_their_home_wards(
        self, client, staff_a, sergeant_a, ward_a_east, dwos_a, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        content = page_of(client, staff_a, flex.get_absolute_url())
        assert "Flex to Highgate" in content
        assert dwos_a[0].full_name in content and "from <a" in content
        assert "Mon 9 Mar 2026 to Sun 22 Mar 2026 (14 days)" in content
        assert "18:00 to 02:00 (overnight)" in content
        assert "Moped-enabled phone snatches around the station" in content

    def test_the_timeline_shows_who_when_from_to_and_why(
        self, client, staff_a, sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east,
        frozen_today,
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        services.flex_reject(flex=flex, by=inspector_a, reason="Not intelligence-led")
        content = page_of(client, staff_a, flex.get_absolute_url())
        timeline = content[content.index("Timeline"):]
        assert timeline.index("Raised as draft") < timeline.index("Draft → Submitted")
        assert timeline.index("Draft → Submitted") < timeline.index("Submitted → Rejected")
        assert "by Ivy Inman" in timeline and "2 March 2026 at 09:00" in timeline
        assert "Not intelligence-led" in timeline

    def test_a_pending_request_shows_conflicts_and_cover_warnings(
        self, client, staff_a, sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east,
        frozen_today,
    ):
        first = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        services.flex_approve(flex=first, by=inspector_a)
        # dwos_a[3] is ward_a's only PCSO; dwos_a[0] is already flexed by `first`.
        second = raise_flex(sergeant_a, ward_a_east, [dwos_a[0], dwos_a[3]])
        content = page_of(client, staff_a, second.get_absolute_url())
        assert f"is already committed to approved flex #{first.pk}" in content
        assert "Haverstock below minimum dedicated cover on 14 days" in content

    def test_a_clean_request_says_so(
        self, client, staff_a, sergeant_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        assert "No conflicts" in page_of(client, staff_a, flex.get_absolute_url())

    @pytest.mark.parametrize(
        "who, buttons",
        [
            ("sergeant_a", {"Withdraw the request"}),
            ("staff_a", set()),
            ("inspector_a", {"Approve", "Refuse", "Withdraw the request"}),
            ("chief_inspector_a", {"Approve", "Refuse", "Withdraw the request"}),
            ("commander_a", set()),
            ("hq", set()),
        ],
    )
    def test_each_user_sees_the_actions_open_to_them_on_a_submitted_request(
        self, client, cast, sergeant_a, ward_a_east, dwos_a, frozen_today, who, buttons
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        content = page_of(client, cast(who), flex.get_absolute_url())
        for button in ("Approve", "Refuse", "Withdraw the request", "Submit for decision"):
            assert (f">{button}<" in content) == (button in buttons), button

    def test_the_requester_submits_a_draft_from_the_page(
        self, client, sergeant_a, ward_a_east, dwos_a, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], submit=False)
        assert "Change this draft" in page_of(client, sergeant_a, flex.get_absolute_url())
        response = post_as(client, sergeant_a, flex.get_absolute_url(), {"action": "submit"})
        assert response.status_code == 302
        flex.refresh_from_db()
        assert flex.status == FlexStatus.SUBMITTED

    def test_an_inspector_approves_from_the_page(
        self, client, sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        response = post_as(client, inspector_a, flex.get_absolute_url(),
                           {"action": "decide", "decision": "approve", "reason": "Good case"})
        assert response.status_code == 302
        flex.refresh_from_db()
        assert (flex.status, flex.decided_by, flex.decision_reason) == (
            FlexStatus.APPROVED, inspector_a, "Good case"
        )

    def test_refusing_without_a_reason_is_shown_on_the_reason_field(
        self, client, sergeant_a, inspector_a, ward_a_east, dwos_a, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        response = post_as(client, inspector_a, flex.get_absolute_url(),
                           {"action": "decide", "decision": "reject", "reason": " "})
        assert_error_summary(response, "Give the reason for refusing", field="id_reason")
        assert "<title>Error: " in response.content.decode()
        flex.refresh_from_db()
        assert flex.status == FlexStatus.SUBMITTED

    def test_an_inspector_cannot_approve_a_ward_below_minimum_cover(
        self, client, sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, [dwos_a[3]])  # the ward's only PCSO
        content = page_of(client, inspector_a, flex.get_absolute_url())
        assert "Why you accept a ward going below minimum cover" not in content
        response = post_as(client, inspector_a, flex.get_absolute_url(),
                           {"action": "decide", "decision": "approve"})
        assert_error_summary(response, "Only a Chief Inspector can accept that")
        flex.refresh_from_db()
        assert flex.status == FlexStatus.SUBMITTED

    def test_a_chief_inspector_approves_below_minimum_cover_recording_why(
        self, client, sergeant_a, chief_inspector_a, ward_a_east, dwos_a, dwos_a_east,
        frozen_today,
    ):
        flex = raise_flex(sergeant_a, ward_a_east, [dwos_a[3]])
        url = flex.get_absolute_url()
        content = page_of(client, chief_inspector_a, url)
        assert "Why you accept a ward going below minimum cover" in content
        response = post_as(client, chief_inspector_a, url,
                           {"action": "decide", "decision": "approve"})
        assert_error_summary(response, "Record why you accept the gap",
                             field="id_cover_override_reason")
        response = post_as(client, chief_inspector_a, url, {
            "action": "decide", "decision": "approve",
            "cover_override_reason": "Knife crime spike outweighs it",
        })
        assert response.status_code == 302
        flex.refresh_from_db()
        assert flex.cover_override_reason == "Knife crime spike outweighs it"

    @pytest.mark.parametrize("who, status", [("commander_a", 403), ("hq", 403),
                                             ("staff_a", 403), ("inspector_b", 404)])
    def test_users_who_may_not_decide_are_refused(
        self, client, cast, sergeant_a, ward_a_east, dwos_a, frozen_today, who, status
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        response = post_as(client, cast(who), flex.get_absolute_url(),
                           {"action": "decide", "decision": "approve"})
        assert response.status_code == status
        flex.refresh_from_db()
        assert flex.status == FlexStatus.SUBMITTED

    def test_the_requester_withdraws_with_a_reason(
        self, client, sergeant_a, ward_a_east, dwos_a, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        post_as(client, sergeant_a, flex.get_absolute_url(),
                {"action": "withdraw", "reason": "Problem solved"})
        flex.refresh_from_db()
        assert flex.status == FlexStatus.WITHDRAWN
        assert flex.transitions.last().reason == "Problem solved"

    def test_withdrawing_a_flex_with_duties_recorded_is_refused_with_a_message(
        self, client, sergeant_a, inspector_a, staff_a, ward_a_east, dwos_a, dwos_a_east,
        frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        services.flex_approve(flex=flex, by=inspector_a)
        record_flexed_duty(dwos_a[0], ward_a_east, flex, staff_a)
        response = post_as(client, sergeant_a, flex.get_absolute_url(),
                           {"action": "withdraw", "reason": "Problem solved"})
        assert_error_summary(response, "cannot be withdrawn")
        flex.refresh_from_db()
        assert flex.status == FlexStatus.APPROVED

    def test_an_inspector_reviews_an_active_flex(
        self, client, sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today,
        time_machine,
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 2),
                          end=D(2026, 3, 29))
        services.flex_approve(flex=flex, by=inspector_a)
        url = flex.get_absolute_url()
        time_machine.move_to(datetime.datetime(2026, 3, 16, 9, 0), tick=False)  # review day
        response = post_as(client, inspector_a, url, {"action": "review"})
        assert_error_summary(response, "Choose to continue, change or end the flex",
                             field="id_decision")
        post_as(client, inspector_a, url,
                {"action": "review", "decision": "end", "reason": "Series detected"})
        flex.refresh_from_db()
        assert flex.status == FlexStatus.ENDED

    def test_an_unknown_action_is_not_found(
        self, client, sergeant_a, ward_a_east, dwos_a, frozen_today
    ):
        flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
        response = post_as(client, sergeant_a, flex.get_absolute_url(), {"action": "explode"})
        assert response.status_code == 404


def test_every_error_of_the_flex_form_comes_at_once_the_28_day_limit_too(
    client, sergeant_a, new_page, ward_a_east, dwos_a, frozen_today
):
    """One round: the missing problem, no officer and the length limit, together."""
    data = {**flex_form_data(ward_a_east, [], end_date="2026-04-30"), "problem": ""}
    response = post_as(client, sergeant_a, new_page, data)
    for message, field in [("at most 28 days", "id_end_date"),
                           ("Name the problem the flex is against", "id_problem"),
                           ("Choose at least one officer to flex", "id_officers")]:
        assert_error_summary(response, message, field=field)
    assert not FlexRequest.objects.exists()


def test_a_last_day_before_the_first_is_said_with_the_other_errors(
    client, sergeant_a, new_page, ward_a_east, dwos_a, frozen_today
):
    data = {**flex_form_data(ward_a_east, dwos_a[:1], end_date="2026-03-05"), "problem": ""}
    response = post_as(client, sergeant_a, new_page, data)
    assert_error_summary(response, "The last day must be on or after the first day.",
                         field="id_end_date")
    assert_error_summary(response, "Name the problem", field="id_problem")
