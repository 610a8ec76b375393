"""The email outbox (config/mail.py): an email goes if and only if the change it tells of commits,
once per key, and one whose task was lost is sent by the next sweep."""

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from config.mail import email_once, resend_unsent_emails, send_now
from config.models import OutboundEmail

pytestmark = pytest.mark.django_db

TO = ["inspector@met.police.example"]


def owe(key="k", **kwargs):
    return email_once(key=key, subject="Subject", body="Body", recipients=TO, **kwargs)


def test_an_email_is_sent_when_its_change_commits_and_only_once_per_key(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            assert owe() is True
            assert owe() is False  # the same event told again
            assert mail.outbox == []  # nothing before the commit
    assert [m.to for m in mail.outbox] == [TO]
    assert OutboundEmail.objects.get().sent_at is not None


def test_no_email_when_the_change_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            owe()
            raise RuntimeError("the change failed")
    assert mail.outbox == [] and not OutboundEmail.objects.exists()


def test_an_email_to_nobody_is_not_owed():
    assert email_once(key="x", subject="S", body="B", recipients=[]) is False
    assert not OutboundEmail.objects.exists()


def test_an_email_whose_task_was_lost_is_sent_by_the_sweep():
    owe()  # its task is never run: as if Redis had lost it (the on_commit is not executed)
    assert resend_unsent_emails.delay().get() == 0  # too recent: its own task may still come
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        assert resend_unsent_emails.delay().get() == 1
    assert len(mail.outbox) == 1
    assert resend_unsent_emails.delay().get() == 0


def test_an_email_sent_with_html_carries_both_parts():
    owe(html_body="<p>Body</p>")
    send_now(OutboundEmail.objects.get().pk)
    (message,) = mail.outbox
    assert message.alternatives[0][1] == "text/html"


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_the_same_task_at_once_send_it_once():
    email_id = OutboundEmail.objects.create(
        key="k", subject="Subject", body="Body", recipients=TO
    ).pk
    barrier, results = threading.Barrier(2), []

    def deliver():
        barrier.wait()
        try:
            results.append(send_now(email_id))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [0, 1]
    assert len(mail.outbox) == 1
