import time

import pytest

from contact import honeypot, services
from contact.models import Category


def form_data(**overrides) -> dict:
    """A form a person filled in a minute ago."""
    return {
        "category": Category.QUESTION, "text": "When is the next ward panel meeting?",
        "name": "Pat Resident", "email": "pat@example.com", "phone": "",
        "started": honeypot.issue(at=time.time() - 60), "website": "", **overrides,
    }


@pytest.fixture
def sergeant_a(sergeant_a, team_a):
    """Here the cast's sergeant is the sergeant of ward_a's team, whose messages they read."""
    from tests import factories as f

    f.post_to_team(sergeant_a, team_a)
    return sergeant_a


@pytest.fixture
def message_a(ward_a):
    return services.message_send(
        ward=ward_a, category=Category.PROBLEM, text="Bins left out on the high street.",
        name="Pat Resident", email="pat@example.com",
    )
