"""The inbox: nothing private reachable anonymously; scoped to the ward's borough (another
borough's users get 404); commanders, HQ and admins 403 (messages are read only by those who
answer them); every view logged; assign, reply (emailed through the outbox) and close; overdue
first replies listed, on Grip and Pace too; the deletion schedule."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from config.models import OutboundEmail
from config.schedule import CELERY_BEAT_SCHEDULE
from contact import services, tasks
from contact.models import Message, MessageViewLog, Reply, Status

pytestmark = pytest.mark.django_db


def inbox_urls(message):
    return [
        reverse("contact:inbox"),
        reverse("contact:message", args=[message.pk]),
    ]


def post_urls(message):
    return [
        reverse(f"contact:message_{action}", args=[message.pk])
        for action in ("assign", "reply", "close")
    ]


def test_nothing_private_is_reachable_anonymously(client, message_a):
    for address in inbox_urls(message_a) + post_urls(message_a):
        method = client.post if address in post_urls(message_a) else client.get
        response = method(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert message_a.reference not in client.get(
        reverse("contact:send", args=[message_a.ward.code])
    ).content.decode()
    message_a.refresh_from_db()
    assert message_a.status == Status.NEW


@pytest.mark.parametrize("who", ["staff_a", "sergeant_a", "inspector_a", "chief_inspector_a"])
def test_the_boroughs_team_reads_the_message_and_each_view_is_logged(client, cast, who,
                                                                      message_a):
    user = cast(who)
    client.force_login(user)
    inbox = client.get(reverse("contact:inbox"))
    assert inbox.status_code == 200 and message_a.reference in inbox.content.decode()
    for _ in range(2):
        page = client.get(message_a.get_absolute_url())
        assert page.status_code == 200 and "Bins left out" in page.content.decode()
    logs = MessageViewLog.objects.filter(user=user, message=message_a)
    assert logs.count() == 2 and logs.first().reference == message_a.reference


@pytest.mark.parametrize("who", ["inspector_b", "staff_b"])
def test_another_borough_gets_404_and_sees_nothing(client, cast, who, message_a):
    client.force_login(cast(who))
    assert client.get(message_a.get_absolute_url()).status_code == 404
    for address in post_urls(message_a):
        assert client.post(address, {"text": "x"}).status_code == 404
    assert message_a.reference not in client.get(reverse("contact:inbox")).content.decode()
    assert not MessageViewLog.objects.exists()


@pytest.mark.parametrize("who", ["commander_a", "hq", "admin_user"])
def test_commanders_hq_and_admins_are_refused(client, cast, who, message_a):
    client.force_login(cast(who))
    assert client.get(reverse("contact:inbox")).status_code == 403
    assert client.get(message_a.get_absolute_url()).status_code == 403
    assert client.post(post_urls(message_a)[2]).status_code == 403
    assert not MessageViewLog.objects.exists()


def test_assign_reply_by_email_and_close(client, sergeant_a, inspector_a, message_a,
                                         django_capture_on_commit_callbacks):
    client.force_login(sergeant_a)
    response = client.post(
        reverse("contact:message_assign", args=[message_a.pk]), {"assigned_to": inspector_a.pk}
    )
    assert response.status_code == 302
    message_a.refresh_from_db()
    assert message_a.assigned_to == inspector_a and message_a.status == Status.ASSIGNED

    response = client.post(
        reverse("contact:message_reply", args=[message_a.pk]),
        {"text": "We will speak to the council this week."},
    )
    assert response.status_code == 302
    message_a.refresh_from_db()
    assert message_a.status == Status.ANSWERED and message_a.first_replied_at is not None
    reply = Reply.objects.get()
    assert reply.by == sergeant_a and reply.emailed_at is not None
    email = OutboundEmail.objects.get()
    assert email.recipients == ["pat@example.com"]
    assert "We will speak to the council" in email.body and message_a.reference in email.subject

    first = message_a.first_replied_at
    client.post(reverse("contact:message_reply", args=[message_a.pk]), {"text": "Done."})
    message_a.refresh_from_db()
    assert message_a.first_replied_at == first  # the deadline is met by the first reply
    assert OutboundEmail.objects.count() == 2

    assert client.post(reverse("contact:message_close", args=[message_a.pk])).status_code == 302
    message_a.refresh_from_db()
    assert message_a.status == Status.CLOSED and message_a.closed_at is not None
    again = client.post(reverse("contact:message_close", args=[message_a.pk]))
    assert again.status_code == 409


def test_a_reply_without_an_address_is_not_emailed(client, sergeant_a, ward_a):
    message = services.message_send(ward=ward_a, category="question", text="Hello?")
    client.force_login(sergeant_a)
    client.post(reverse("contact:message_reply", args=[message.pk]), {"text": "Hi."})
    assert Reply.objects.get().emailed_at is None
    assert not OutboundEmail.objects.exists()


def test_assigning_to_someone_of_another_borough_is_refused(client, sergeant_a, staff_b,
                                                           message_a):
    client.force_login(sergeant_a)
    response = client.post(
        reverse("contact:message_assign", args=[message_a.pk]), {"assigned_to": staff_b.pk}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Choose someone of the ward&#x27;s team" in page
    message_a.refresh_from_db()
    assert message_a.assigned_to is None


def test_an_empty_reply_gets_the_error_summary(client, sergeant_a, message_a):
    client.force_login(sergeant_a)
    response = client.post(reverse("contact:message_reply", args=[message_a.pk]), {"text": ""})
    assert response.status_code == 400 and "Enter your reply" in response.content.decode()
    assert not Reply.objects.exists()


def _overdue(ward):
    message = services.message_send(
        ward=ward, category="question", text="Anyone there?",
        now=timezone.now() - datetime.timedelta(days=30),
    )
    assert message.is_overdue
    return message


def test_overdue_first_replies_are_listed_in_the_inbox_and_on_grip_and_pace(
    client, inspector_a, ward_a, message_a
):
    late = _overdue(ward_a)
    assert list(Message.objects.overdue()) == [late]
    client.force_login(inspector_a)
    inbox = client.get(reverse("contact:inbox")).content.decode()
    overdue_part = inbox.split("Open messages")[0]
    assert late.reference in overdue_part and message_a.reference not in overdue_part
    grip = client.get(reverse("reports:grip_and_pace", args=[ward_a.borough.code]))
    assert grip.status_code == 200
    page = grip.content.decode()
    assert late.reference in page and message_a.reference not in page
    services.message_reply(late, text="Sorry for the wait.", by=inspector_a)
    assert not Message.objects.overdue().exists()


def test_the_deletion_schedule_deletes_what_was_kept_long_enough_once(settings, ward_a,
                                                                      sergeant_a):
    settings.CONTACT_RETENTION_DAYS = 30
    now = timezone.now()
    old = now - datetime.timedelta(days=31)
    recent = now - datetime.timedelta(days=29)
    closed_long_ago = services.message_send(ward=ward_a, category="question", text="a", now=old)
    services.message_reply(closed_long_ago, text="Answer", by=sergeant_a, now=old)
    services.message_close(closed_long_ago, by=sergeant_a, now=old)
    never_closed_old = services.message_send(ward=ward_a, category="question", text="b", now=old)
    closed_recently = services.message_send(ward=ward_a, category="question", text="c", now=old)
    services.message_close(closed_recently, by=sergeant_a, now=recent)
    fresh = services.message_send(ward=ward_a, category="question", text="d", now=recent)
    # A view is logged: the audit outlives the message.
    services.log_view(sergeant_a, closed_long_ago)

    assert tasks.delete_expired_messages() == 2
    assert set(Message.objects.all()) == {closed_recently, fresh}
    assert not Reply.objects.exists()
    log = MessageViewLog.objects.get()
    assert log.message is None and log.reference == closed_long_ago.reference
    assert tasks.delete_expired_messages() == 0  # idempotent
    assert never_closed_old.reference not in Message.objects.values_list("reference", flat=True)


def test_beat_runs_the_deletion_nightly():
    names = {entry["task"] for entry in CELERY_BEAT_SCHEDULE.values()}
    assert "contact.tasks.delete_expired_messages" in names


def test_the_inbox_and_a_message_take_a_fixed_number_of_queries(
    client, sergeant_a, inspector_a, ward_a, message_a, assert_fixed_queries
):
    client.force_login(sergeant_a)
    client.get(reverse("contact:inbox"))  # the session and the user, once

    def more():
        for _ in range(5):
            late = _overdue(ward_a)
            services.message_assign(late, to=inspector_a, by=sergeant_a)
            services.message_reply(message_a, text="Thanks, noted", by=inspector_a)

    def pages():
        return [client.get(reverse("contact:inbox")).content.decode(),
                client.get(message_a.get_absolute_url()).content.decode()]

    (inbox_before, _), (inbox_after, detail_after) = assert_fixed_queries(
        pages, more, queries=QUERIES
    )
    # each overdue message is in both lists: waiting past its date, and open
    assert inbox_before.count("Overdue") == 0 and inbox_after.count("Overdue") == 10
    assert detail_after.count("Thanks, noted") == 5


QUERIES = 12
