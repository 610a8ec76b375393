"""The contact form is kept like the other public pages (config.publiccache), with the parts that
belong to one visitor made afresh for each answer: its CSRF token (and cookie), the form's signed
timestamp and the CSP nonce. A form served from the kept copy posts exactly as one rendered for
that visitor; a change to what it shows makes a new copy; the rate limit counts every answer."""

import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contact import honeypot
from contact.models import Message
from tests.contact.conftest import form_data

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="started" value="([^"]+)"')
NONCE = re.compile(r'nonce="([^"]+)"')


def url(ward):
    return reverse("contact:send", args=[ward.code])


def fetch(client, address):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    return response, len(ctx.captured_queries)


def parts(response) -> tuple[str, str, set[str]]:
    page = response.content.decode()
    return TOKEN.search(page)[1], STARTED.search(page)[1], set(NONCE.findall(page))


def test_a_hit_is_the_first_answer_with_this_visitors_own_parts(ward_a):
    first, made = fetch(Client(), url(ward_a))
    again, served = fetch(Client(), url(ward_a))
    assert made >= 1 and served == 0
    assert first.status_code == again.status_code == 200
    token, started, nonces = parts(first)
    token2, started2, nonces2 = parts(again)
    assert token2 != token and nonces2.isdisjoint(nonces)  # a nonce, if the page has one
    # Made afresh: a valid, current timestamp (the same second may sign the same value).
    assert abs(int(honeypot.signing.loads(started2, salt=honeypot.SALT)) - time.time()) < 5
    # Everything else is the same bytes.
    body = again.content.decode()
    for new, old in ((token2, token), (started2, started), *((n, o) for n, o in zip(
        sorted(nonces2), sorted(nonces), strict=True
    ))):
        body = body.replace(new, old)
    assert body == first.content.decode()
    # A nonce in the page is the one this answer's Content-Security-Policy allows.
    policy = again["Content-Security-Policy"]
    assert all(f"'nonce-{n}'" in policy for n in nonces2)
    assert again["Content-Type"] == first["Content-Type"]
    assert "public" not in again.get("Cache-Control", "")
    # The visitor gets the CSRF cookie the token belongs to, as from a page made for them.
    assert "csrftoken" in again.cookies


def test_the_form_served_from_the_kept_copy_still_posts(ward_a, settings):
    settings.CONTACT_FORM_MIN_SECONDS = 0
    Client().get(url(ward_a))  # kept
    visitor = Client(enforce_csrf_checks=True)
    page, served = fetch(visitor, url(ward_a))
    assert served == 0
    token, started, _ = parts(page)
    response = visitor.post(url(ward_a), form_data(csrfmiddlewaretoken=token, started=started))
    assert response.status_code == 200 and Message.objects.count() == 1
    # Its CSRF token is refused to another visitor (another cookie), as any page's is.
    other = Client(enforce_csrf_checks=True)
    other.get(url(ward_a))
    refused = other.post(url(ward_a), form_data(csrfmiddlewaretoken=token, started=started))
    assert refused.status_code == 403 and Message.objects.count() == 1


def test_the_kept_copys_timestamp_keeps_the_honeypot_rules(ward_a, settings):
    """Sent at once from a kept copy: too fast, refused quietly, as from a fresh page."""
    settings.CONTACT_FORM_MIN_SECONDS = 3
    Client().get(url(ward_a))
    visitor = Client()
    _token, started, _ = parts(visitor.get(url(ward_a)))
    response = visitor.post(url(ward_a), form_data(started=started))
    assert response.status_code == 400 and not Message.objects.exists()


def test_a_change_to_the_ward_makes_a_new_copy(ward_a):
    Client().get(url(ward_a))
    ward_a.name = "Renamed Ward"
    ward_a.save()
    response, queries = fetch(Client(), url(ward_a))
    assert queries >= 1 and "Renamed Ward" in response.content.decode()


def test_a_signed_in_visitor_neither_makes_nor_gets_a_personal_copy(client, staff_a, ward_a):
    client.force_login(staff_a)
    signed_in = client.get(url(ward_a))
    assert b"Sign out" not in signed_in.content
    anonymous, served = fetch(Client(), url(ward_a))
    assert served == 0 and b"Sign out" not in anonymous.content


def test_the_rate_limit_counts_answers_from_the_kept_copy(client, ward_a, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "contact": "3/hour"}
    statuses = [client.get(url(ward_a)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert int(client.get(url(ward_a))["Retry-After"]) > 0


def test_a_posted_form_with_errors_is_never_kept(client, ward_a):
    client.post(url(ward_a), form_data(text=""))
    response, queries = fetch(Client(), url(ward_a))
    assert queries >= 1 and "There is a problem" not in response.content.decode()


# --- The per-visitor parts, made cheaply for every answer ------------------------------------


def test_the_csrf_token_is_djangos_own_for_a_new_visitor():
    """config.publiccache.csrf_token gives what get_token() would: a new secret, left for the
    CSRF middleware to set as the cookie, masked into a 64-character token of its alphabet."""
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
    from django.test import RequestFactory

    from config.publiccache import csrf_token

    request = RequestFactory().get("/")
    token = csrf_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert len(secret) == 32 and len(token) == 64
    assert set(token) <= set(CSRF_ALLOWED_CHARS) and set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    # A visitor who has a secret keeps it; each token is masked afresh.
    again = csrf_token(request)
    assert again != token and _unmask_cipher_token(again) == secret
    assert request.META["CSRF_COOKIE"] == secret


def test_the_csrf_randomness_covers_the_whole_alphabet_evenly():
    from django.middleware.csrf import CSRF_ALLOWED_CHARS

    from config.publiccache import _random_chars

    drawn = "".join(_random_chars(32) for _ in range(500))  # 16,000: about 258 of each
    counts = [drawn.count(c) for c in CSRF_ALLOWED_CHARS]
    # A modulo bias (256 % 62 = 8) would give the first 8 characters about 4.7% more; far wider
    # bounds than chance allows (each count's sd is about 16) still catch a missing character.
    assert min(counts) > 150 and max(counts) < 380
    assert len({_random_chars(32) for _ in range(1000)}) == 1000


def test_a_returning_visitors_cookie_is_kept_on_a_hit(ward_a):
    Client().get(url(ward_a))  # kept
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(url(ward_a))
    cookie = visitor.cookies["csrftoken"].value
    page, served = fetch(visitor, url(ward_a))
    assert served == 0
    from django.middleware.csrf import _unmask_cipher_token

    assert _unmask_cipher_token(parts(page)[0]) == cookie
    assert page.cookies["csrftoken"].value == cookie  # renewed, not replaced


def test_the_honeypot_signs_a_second_once_and_as_signing_would(settings):
    now = time.time()
    first = honeypot.issue(at=now)
    assert first == honeypot.issue(at=int(now)) == honeypot.signing.dumps(
        int(now), salt=honeypot.SALT
    )
    assert honeypot.issue(at=now + 1) != first
    settings.SECRET_KEY = "another key for this test, long enough to be a key " * 2
    assert honeypot.issue(at=now) != first  # never a token signed with an old key
    assert honeypot.looks_human(honeypot.issue(at=now - 10), "", now=now) is (
        settings.CONTACT_FORM_MIN_SECONDS <= 10 <= settings.CONTACT_FORM_MAX_SECONDS
    )
