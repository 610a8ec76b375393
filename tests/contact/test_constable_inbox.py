"""A constable reads their ward team's inbox (issue 17: "open to the sergeants, constables and
staff of the ward's team"): the messages of the ward teams they are posted to today, each view
logged; another ward's message, or their old team's once they have moved on, a 404. They answer
and close like a sergeant, but change only their own assignment: they take a message nobody has,
or hand back their own. Their home lists their team's open messages; their menu has the inbox."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config import menu
from config.access import Role
from config.errors import DomainError
from contact import services
from contact.access import readers
from contact.models import Category, Message, MessageViewLog, Status
from tests import factories as f

pytestmark = pytest.mark.django_db

ACTIONS = ("message", "message_assign", "message_reply", "message_close")


@pytest.fixture
def other_ward(borough_a):
    """A second ward of borough_a, with its own team and its own constable."""
    ward = f.WardFactory(code="E05013661", name="Belsize", borough=borough_a)
    team = f.TeamFactory(ward=ward, name="Belsize SNT")
    officer = f.OfficerFactory(borough=borough_a, first_name="Bo", last_name="Belsize")
    f.PostingFactory(officer=officer, team=team)
    ward.constable = f.UserFactory(username="pc_belsize", role=Role.CONSTABLE,
                                   boroughs=[borough_a], officer=officer)  # fmt: skip
    return ward


def message_in(ward):
    return services.message_send(ward=ward, category=Category.QUESTION, text="When?")


def act(client, action, message, data=None):
    send = client.get if action == "message" else client.post
    return send(reverse(f"contact:{action}", args=[message.pk]), data or {})


def test_a_constable_reads_their_own_ward_teams_messages_and_each_view_is_logged(
    client, constable_a, message_a, other_ward
):
    theirs = message_in(other_ward)
    client.force_login(constable_a)
    inbox = client.get(reverse("contact:inbox"))
    assert inbox.status_code == 200
    assert message_a.reference in inbox.content.decode()
    assert "the ward teams you are posted to" in inbox.content.decode()
    assert theirs.reference not in inbox.content.decode()
    page = client.get(message_a.get_absolute_url())
    assert page.status_code == 200 and "Bins left out" in page.content.decode()
    assert MessageViewLog.objects.filter(user=constable_a, message=message_a).count() == 1
    for action in ACTIONS:
        assert act(client, action, theirs, {"text": "x"}).status_code == 404, action
    assert not MessageViewLog.objects.filter(message=theirs).exists()
    theirs.refresh_from_db()
    assert theirs.status == Status.NEW
    assert set(Message.objects.for_user(other_ward.constable)) == {theirs}


def test_a_constable_no_longer_posted_there_no_longer_reads_it(client, constable_a, message_a):
    posting = constable_a.officer.postings.get()
    posting.end_date = timezone.localdate() - datetime.timedelta(days=1)
    posting.save(update_fields=["end_date"])
    client.force_login(constable_a)
    assert message_a.reference not in client.get(reverse("contact:inbox")).content.decode()
    for action in ACTIONS:
        assert act(client, action, message_a, {"text": "x"}).status_code == 404, action


def test_a_constable_posted_from_tomorrow_does_not_read_it_yet(constable_a, message_a):
    posting = constable_a.officer.postings.get()
    posting.start_date = timezone.localdate() + datetime.timedelta(days=1)
    posting.save(update_fields=["start_date"])
    assert not Message.objects.for_user(constable_a).exists()


def test_a_constable_of_another_borough_gets_404(client, borough_b, message_a, team_a):
    officer = f.OfficerFactory(borough=borough_b)
    # Still posted to team_a on paper, but no longer a user of its borough: nothing.
    f.PostingFactory(officer=officer, team=team_a)
    outsider = f.UserFactory(username="pc_b", role=Role.CONSTABLE, boroughs=[borough_b],
                             officer=officer)  # fmt: skip
    client.force_login(outsider)
    for action in ACTIONS:
        assert act(client, action, message_a, {"text": "x"}).status_code == 404, action


def test_a_constable_answers_and_closes_like_a_sergeant(client, constable_a, message_a):
    client.force_login(constable_a)
    response = act(client, "message_reply", message_a, {"text": "We will look at the bins."})
    assert response.status_code == 302
    message_a.refresh_from_db()
    assert message_a.status == Status.ANSWERED and message_a.first_replied_at is not None
    assert message_a.replies.get().by == constable_a
    assert act(client, "message_close", message_a).status_code == 302
    message_a.refresh_from_db()
    assert message_a.status == Status.CLOSED


def test_a_constable_takes_a_message_and_hands_it_back(client, constable_a, message_a):
    client.force_login(constable_a)
    page = client.get(message_a.get_absolute_url()).content.decode()
    assert 'name="assigned_to"' in page and "Con Stable" in page
    assert act(client, "message_assign", message_a,
               {"assigned_to": constable_a.pk}).status_code == 302  # fmt: skip
    message_a.refresh_from_db()
    assert message_a.assigned_to == constable_a and message_a.status == Status.ASSIGNED
    assert act(client, "message_assign", message_a, {"assigned_to": ""}).status_code == 302
    message_a.refresh_from_db()
    assert message_a.assigned_to is None


def test_a_constable_assigns_to_nobody_else(client, constable_a, sergeant_a, message_a):
    assert sergeant_a in readers(message_a)
    client.force_login(constable_a)
    page = client.get(message_a.get_absolute_url()).content.decode()
    assert str(sergeant_a) not in page  # the sergeant is not offered
    response = act(client, "message_assign", message_a, {"assigned_to": sergeant_a.pk})
    assert response.status_code == 400
    with pytest.raises(DomainError, match="constable"):
        services.message_assign(message_a, to=sergeant_a, by=constable_a)
    message_a.refresh_from_db()
    assert message_a.assigned_to is None


def test_a_constable_does_not_take_or_clear_someone_elses_message(client, constable_a,
                                                                  sergeant_a, message_a):
    services.message_assign(message_a, to=sergeant_a, by=sergeant_a)
    client.force_login(constable_a)
    page = client.get(message_a.get_absolute_url()).content.decode()
    assert 'name="assigned_to"' not in page  # nothing they may change
    for to in (constable_a.pk, ""):
        response = act(client, "message_assign", message_a, {"assigned_to": to})
        assert response.status_code == 400, to
        # the error summary's link has its field to go to
        assert 'name="assigned_to"' in response.content.decode()
    message_a.refresh_from_db()
    assert message_a.assigned_to == sergeant_a
    # Their own team's sergeant still reassigns it to them.
    services.message_assign(message_a, to=constable_a, by=sergeant_a)
    message_a.refresh_from_db()
    assert message_a.assigned_to == constable_a


def test_only_the_ward_teams_constables_are_offered_to_the_sergeant(
    client, sergeant_a, constable_a, message_a, other_ward
):
    assert constable_a in readers(message_a)
    assert other_ward.constable not in readers(message_a)
    with pytest.raises(DomainError, match="ward's team"):
        services.message_assign(message_a, to=other_ward.constable, by=sergeant_a)
    client.force_login(sergeant_a)
    page = client.get(message_a.get_absolute_url()).content.decode()
    assert str(constable_a) in page and str(other_ward.constable) not in page


def test_a_constables_home_lists_their_teams_open_messages(client, constable_a, message_a,
                                                          other_ward):  # fmt: skip
    theirs = message_in(other_ward)
    closed = message_in(constable_a.officer.postings.get().team.ward)
    services.message_close(closed, by=constable_a)
    overdue = message_in(constable_a.officer.postings.get().team.ward)
    Message.objects.filter(pk=overdue.pk).update(reply_by=datetime.date(2020, 1, 2))
    client.force_login(constable_a)
    page = client.get(reverse("home")).content.decode()
    assert "Your team's messages (2 open)" in page
    assert message_a.reference in page and overdue.reference in page
    assert closed.reference not in page and theirs.reference not in page
    assert page.index(overdue.reference) < page.index(message_a.reference)  # earliest first
    assert "Overdue" in page
    hrefs = dict((text, href) for href, text in menu.entries(constable_a, []))
    assert hrefs["Messages"] == reverse("contact:inbox")


def test_a_sergeants_menu_has_the_inbox_and_a_commanders_has_not(cast):
    assert "Messages" in [text for _h, text in menu.entries(cast("sergeant_a"), [])]
    assert "Messages" not in [text for _h, text in menu.entries(cast("commander_a"), [])]


@pytest.mark.django_db(transaction=True)
def test_two_constables_taking_the_same_message_at_once_one_has_it(constable_a, team_a, ward_a):
    officer = f.OfficerFactory(borough=team_a.borough, first_name="Pat", last_name="Second")
    f.PostingFactory(officer=officer, team=team_a)
    second = f.UserFactory(username="pc_second", role=Role.CONSTABLE, boroughs=[team_a.borough],
                           officer=officer)  # fmt: skip
    message = message_in(ward_a)
    barrier = threading.Barrier(2)
    outcomes = {}

    def take(user):
        try:
            barrier.wait(timeout=10)
            services.message_assign(Message.objects.get(pk=message.pk), to=user, by=user)
            outcomes[user.pk] = "took"
        except DomainError:
            outcomes[user.pk] = "refused"
        finally:
            connection.close()  # each thread its own connection: a real transaction each

    threads = [threading.Thread(target=take, args=(user,)) for user in (constable_a, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes.values()) == ["refused", "took"]
    message.refresh_from_db()
    assert outcomes[message.assigned_to_id] == "took"
