import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from config.access import LONDON_WIDE_ROLES, Role
from teams.models import Officer, User
from wards.models import BCU, Borough


class Command(BaseCommand):
    help = (
        "Create a login. Boroughs by ONS code or name (--borough, repeatable; --bcu adds all the "
        "BCU's boroughs, for commanders). hq and admin see all London and need no borough. A "
        "constable needs --officer (a PC or PCSO) and works in that officer's borough. The "
        "password is asked for twice, or read from standard input with --password-stdin."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=", ".join(Role.values))
        parser.add_argument(
            "--borough", action="append", default=[], help="ONS code (E09…) or name."
        )
        parser.add_argument("--bcu", action="append", default=[], help="BCU code or name.")
        parser.add_argument("--officer", help="Shoulder number of the user's officer record.")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--superuser", action="store_true", help="With --role admin: also a superuser."
        )
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from stdin."
        )

    def handle(self, *args, **options):
        username = options["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user called {username!r} already exists.")
        role = self._role(options["role"])
        if options["superuser"] and role != Role.ADMIN:
            raise CommandError("--superuser is only for the admin role.")
        boroughs = self._boroughs(options["borough"], options["bcu"])
        officer = self._officer(options["officer"])
        if not boroughs and officer and role == Role.CONSTABLE:
            boroughs = [officer.borough]  # a constable works in their officer's borough
        if not boroughs and role not in LONDON_WIDE_ROLES:
            raise CommandError(f"A {role.label.lower()} needs at least one --borough or --bcu.")
        user = User(
            username=username,
            email=options["email"],
            role=role,
            officer=officer,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN and options["superuser"],
        )
        if officer:
            user.first_name, user.last_name = officer.first_name, officer.last_name
        if officer and boroughs and officer.borough not in boroughs:
            raise CommandError(
                f"Officer {officer.shoulder_number} belongs to {officer.borough}, which is not one "
                "of this user's boroughs."
            )
        try:
            user.clean()  # a constable's login needs their officer, a PC or PCSO
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        password = self._password(options["password_stdin"], options.get("stdin") or sys.stdin)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        user.set_password(password)
        with transaction.atomic():
            user.save()
            user.boroughs.set(boroughs)
        names = ", ".join(b.name for b in boroughs) or "all London"
        self.stdout.write(
            self.style.SUCCESS(f"Created {username} ({role.label}) for {names}.")
        )

    def _role(self, value: str) -> Role:
        try:
            return Role(value.strip().lower())
        except ValueError:
            raise CommandError(
                f"Unknown role {value!r}. Choose one of: {', '.join(Role.values)}."
            ) from None

    def _boroughs(self, borough_args: list[str], bcu_args: list[str]) -> list[Borough]:
        found = {}
        for value in borough_args:
            borough = Borough.objects.filter(
                Q(code__iexact=value.strip()) | Q(name__iexact=value.strip())
            ).first()
            if borough is None:
                raise CommandError(
                    f"No borough with code or name {value!r}. Has `manage.py load_london` run?"
                )
            found[borough.pk] = borough
        for value in bcu_args:
            bcu = BCU.objects.filter(
                Q(code__iexact=value.strip()) | Q(name__iexact=value.strip())
            ).first()
            if bcu is None:
                raise CommandError(f"No BCU with code or name {value!r}.")
            found.update({b.pk: b for b in bcu.boroughs.all()})
        return sorted(found.values(), key=lambda b: b.name)

    def _officer(self, shoulder_number: str | None) -> Officer | None:
        if not shoulder_number:
            return None
        officer = Officer.objects.filter(shoulder_number__iexact=shoulder_number.strip()).first()
        if officer is None:
            raise CommandError(f"No officer with shoulder number {shoulder_number!r}.")
        if User.objects.filter(officer=officer).exists():
            raise CommandError(f"Officer {officer.shoulder_number} already has a login.")
        return officer

    def _password(self, from_stdin: bool, stdin) -> str:
        if from_stdin:
            password = stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        if not password:
            raise CommandError("The password is empty.")
        return password
