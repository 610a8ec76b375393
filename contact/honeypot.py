"""The form's spam guard, with no external captcha (none is reachable): a signed timestamp in a
hidden field, and a trap field people never see. A form sent sooner than CONTACT_FORM_MIN_SECONDS
after it was served (a script), later than CONTACT_FORM_MAX_SECONDS (a stale or replayed copy),
with a forged timestamp, or with the trap filled in, is refused quietly: nothing is stored and the
sender is not told which check failed."""

import time

from django.conf import settings
from django.core import signing

SALT = "contact.form.started"
TRAP_FIELD = "website"  # a name a form-filling bot is keen to fill
# The last token signed, with its second and key: signing is deterministic, and the contact form's
# kept copy (config.publiccache) asks for one with every answer, so a second is signed once.
_last: tuple[tuple[int, str], str] | None = None


def issue(at: float | None = None) -> str:
    """The token for a form served at `at` (now by default)."""
    global _last
    key = (int(at if at is not None else time.time()), settings.SECRET_KEY)
    last = _last
    if last is None or last[0] != key:
        last = _last = (key, signing.dumps(key[0], salt=SALT))
    return last[1]


def issue_for(request) -> str:
    """The token for a form served now (config.publiccache fills it into a kept copy)."""
    return issue()


def looks_human(token: str, trap: str, now: float | None = None) -> bool:
    if trap:
        return False
    try:
        started = int(signing.loads(token or "", salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return False
    age = (now if now is not None else time.time()) - started
    return settings.CONTACT_FORM_MIN_SECONDS <= age <= settings.CONTACT_FORM_MAX_SECONDS
