"""manage.py createuser: a login with a role and the boroughs it may see."""

import io

import pytest
from django.core.management import CommandError, call_command

from config.access import Role
from teams.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-for-tests"


def createuser(*args, password=PASSWORD):
    call_command(
        "createuser",
        *args,
        "--password-stdin",
        stdin=io.StringIO(f"{password}\n"),
        stdout=io.StringIO(),
    )


def test_it_creates_a_user_with_a_role_and_boroughs_by_code_or_name(borough_a, borough_b):
    createuser("jo.bloggs", "--role", "inspector", "--borough", "camden", "--borough", "E09000033")

    user = User.objects.get(username="jo.bloggs")
    assert user.role == Role.INSPECTOR
    assert set(user.boroughs.all()) == {borough_a, borough_b}
    assert user.check_password(PASSWORD)
    assert not user.is_staff


def test_a_bcu_gives_a_commander_all_its_boroughs(borough_a, borough_a2, borough_b):
    createuser("cmdr", "--role", "commander", "--bcu", "central north")

    assert set(User.objects.get(username="cmdr").boroughs.all()) == {borough_a, borough_a2}


def test_hq_needs_no_borough_but_borough_roles_do(borough_a):
    createuser("hq.user", "--role", "hq")
    assert User.objects.get(username="hq.user").role == Role.HQ

    with pytest.raises(CommandError, match="at least one --borough"):
        createuser("staff.user", "--role", "staff")
    assert not User.objects.filter(username="staff.user").exists()


def test_an_admin_is_staff_and_a_superuser_only_when_asked(db):
    createuser("ops.admin", "--role", "admin")
    createuser("root.admin", "--role", "admin", "--superuser")

    ops, root = User.objects.get(username="ops.admin"), User.objects.get(username="root.admin")
    assert (ops.is_staff, ops.is_superuser) == (True, False)
    assert (root.is_staff, root.is_superuser) == (True, True)


def test_a_user_can_be_linked_to_their_officer_record(borough_a):
    officer = f.OfficerFactory(shoulder_number="7016CN", borough=borough_a, first_name="Ada")

    createuser("ada", "--role", "sergeant", "--borough", "Camden", "--officer", "7016cn")

    user = User.objects.get(username="ada")
    assert (user.officer, user.first_name) == (officer, "Ada")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "superintendent", "--borough", "Camden"], "Unknown role 'superintendent'"),
        (["--role", "staff", "--borough", "Narnia"], "No borough with code or name 'Narnia'"),
        (["--role", "commander", "--bcu", "ZZ"], "No BCU with code or name 'ZZ'"),
        (["--role", "staff", "--borough", "Camden", "--officer", "0000XX"], "No officer"),
        (["--role", "staff", "--borough", "Camden", "--superuser"], "only for the admin role"),
    ],
)
def test_bad_input_is_a_clear_error_and_creates_nothing(borough_a, args, message):
    with pytest.raises(CommandError, match=message):
        createuser("newbie", *args)

    assert not User.objects.filter(username="newbie").exists()


def test_an_existing_username_is_an_error(staff_a):
    with pytest.raises(CommandError, match="already exists"):
        createuser("STAFF_A", "--role", "staff", "--borough", "Camden")


def test_an_officer_of_another_borough_is_an_error(borough_a, borough_b):
    f.OfficerFactory(shoulder_number="1234AW", borough=borough_b)

    with pytest.raises(CommandError, match="not one of this user's boroughs"):
        createuser("x", "--role", "staff", "--borough", "Camden", "--officer", "1234AW")


def test_the_password_must_pass_the_password_validators(borough_a):
    with pytest.raises(CommandError, match="too common|too short"):
        createuser("weak", "--role", "staff", "--borough", "Camden", password="password")

    assert not User.objects.filter(username="weak").exists()


def test_the_password_prompt_asks_twice(borough_a, monkeypatch):
    answers = iter([PASSWORD, "something different"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    with pytest.raises(CommandError, match="differ"):
        call_command("createuser", "pat", "--role", "staff", "--borough", "Camden")

    answers = iter([PASSWORD, PASSWORD])
    call_command(
        "createuser", "pat", "--role", "staff", "--borough", "Camden", stdout=io.StringIO()
    )
    assert User.objects.get(username="pat").check_password(PASSWORD)
