"""The 403 page says why, and who can do it instead, for the role that met it."""

import pytest

from config.views import FORBIDDEN_ADVICE
from tests import factories as f


@pytest.fixture
def move_page(borough_a):
    officer = f.OfficerFactory(borough=borough_a)
    return f"/officers/{officer.shoulder_number}/move/"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["commander_a", "hq"])
def test_a_read_only_role_is_told_why_and_who_can_make_the_change(client, cast, move_page, who):
    user = cast(who)
    client.force_login(user)
    response = client.get(move_page)
    assert response.status_code == 403
    text = response.content.decode()
    assert "You cannot do this" in text
    assert "Your role does not allow this." in text
    assert FORBIDDEN_ADVICE[user.role].replace("'", "&#x27;") in text
    # Not the old advice that sent staff to ask their own staff.
    assert "Ask a member of your borough's staff" not in text


@pytest.mark.django_db
def test_staff_are_not_told_to_ask_staff(client, staff_a):
    client.force_login(staff_a)
    response = client.get("/victims/view-log/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "The log of views of victims&#x27; details is for HQ." in text
    assert "inspector of your borough" in text
    assert "ask your borough&#x27;s staff" not in text.lower()


def test_each_role_has_its_own_advice():
    assert len(set(FORBIDDEN_ADVICE.values())) == len(FORBIDDEN_ADVICE)
