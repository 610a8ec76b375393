"""Demo deployment data on top of the foundation demo (teams/demo.py). For every borough, over the
previous month and the current month up to today: a shift for each dedicated ward officer and
sergeant on their working days (earlies, lates and nights that cross midnight, leave), the
rota's rest days recorded (never on a day with a duty), abstractions of every type, flex requests
in every state with their timelines, and a few shifts flexed without a request so the monthly
report has some.

Dates are relative to today so the demo always looks live. Deterministic for a given day: every
choice comes from a random generator seeded with a fixed string and a natural key (a borough's
code, a shoulder number). Idempotent: a borough that already has any duty, abstraction or flex
request is left alone. One transaction per borough, with bulk inserts.

Rows are written directly rather than through the services: the services stamp "now" on every
transition, refuse to approve a flex that is already over and queue notifications, and a demo needs
history. The plan keeps the protocol all the same: flexes stay within the borough and last at most
28 days, the decider is never the requester, and the database's exclusion constraints refuse
overlapping shifts and any officer both flexed and abstracted at once."""

from __future__ import annotations

import datetime
import time
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from config.access import Role
from config.db import analyze
from config.errors import DomainError
from deployment.demo.abstractions import FALLBACKS, seed_abstractions
from deployment.demo.flexes import seed_flexes
from deployment.demo.roster import (
    BoroughDemo,
    Cast,
    DeploymentSeedReport,
    flex_without_request,
    plan_rota,
    write_duties,
    write_rest_days,
)
from deployment.models import (
    Abstraction,
    AbstractionType,
    Commitment,
    Duty,
    FlexOfficer,
    FlexRequest,
    FlexTransition,
    RestDay,
)
from teams.models import Officer, Rank, User
from wards.models import Borough, Ward

__all__ = ["DeploymentSeedReport", "seed_deployment_demo"]


def seed_deployment_demo(*, boroughs=None, today=None) -> DeploymentSeedReport:
    """Seed every borough (or those whose ONS code or name is in `boroughs`)."""
    began = time.monotonic()
    today = today or timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    report = DeploymentSeedReport()
    types = {t.code: t for t in AbstractionType.objects.all()}
    missing = sorted(set(FALLBACKS) - set(types))
    if missing:
        raise DomainError(
            f"The abstraction types {', '.join(missing)} are missing: `manage.py migrate` seeds "
            "them (migration deployment 0002)."
        )
    queryset = Borough.objects.order_by("code")
    if boroughs:
        queryset = queryset.filter(Q(code__in=boroughs) | Q(name__in=boroughs))
    for borough in queryset:
        if _already_seeded(borough):
            report.skipped.append(borough.name)
            continue
        with transaction.atomic():
            demo = _borough_demo(borough, today, first, report)
            if demo is None:
                report.skipped.append(borough.name)
                continue
            _seed_borough(demo, types)
        report.seeded.append(borough.name)
        if len(report.seeded) == 1:
            _analyze()  # the next boroughs' queries are planned for tables that have rows
    _analyze()
    report.seconds = time.monotonic() - began
    return report


def _analyze() -> None:
    analyze(Duty, Abstraction, Commitment, FlexRequest, FlexOfficer, FlexTransition, RestDay)


def _already_seeded(borough) -> bool:
    return (
        Duty.objects.filter(officer__borough=borough).exists()
        or Abstraction.objects.filter(officer__borough=borough).exists()
        or FlexRequest.objects.filter(borough=borough).exists()
    )


def _seed_borough(demo: BoroughDemo, types) -> None:
    plan_rota(demo)
    seed_flexes(demo, types)
    seed_abstractions(demo, types)
    flex_without_request(demo)
    write_duties(demo)
    write_rest_days(demo)


# --- who is who -------------------------------------------------------------------------------


def _borough_demo(borough, today, first, report) -> BoroughDemo | None:
    wards = {w.pk: w for w in Ward.objects.filter(borough=borough).order_by("code")}
    officers = {o.pk: o for o in Officer.objects.filter(borough=borough)}
    if len(wards) < 3 or not officers:
        return None
    cast = _cast(borough, report)
    return BoroughDemo(borough, today, first, cast, wards, officers, report=report)


def _cast(borough, report) -> Cast:
    """The borough's own sergeant and staff users raise requests and an inspector decides. A
    borough without such logins gets a sergeant and an inspector user who cannot sign in."""
    users = User.objects.filter(boroughs=borough, is_active=True).order_by("username")
    by_role = defaultdict(list)
    for user in users:
        by_role[user.role].append(user)
    requesters = by_role[Role.SERGEANT] + by_role[Role.STAFF]
    if not requesters:
        requesters = [_demo_user(borough, Role.SERGEANT, Rank.SERGEANT, report)]
    inspectors = by_role[Role.INSPECTOR] or [
        _demo_user(borough, Role.INSPECTOR, Rank.INSPECTOR, report)
    ]
    chiefs = by_role[Role.CHIEF_INSPECTOR]
    return Cast(requesters, inspectors[0], chiefs[0] if chiefs else None)


def _demo_user(borough, role, rank, report) -> User:
    user, created = User.objects.get_or_create(
        username=f"{role}.{slugify(borough.name)}", defaults={"role": role}
    )
    if created:
        officer = (
            Officer.objects.filter(borough=borough, rank=rank, active=True, user__isnull=True)
            .order_by("shoulder_number")
            .first()
        )
        user.set_unusable_password()
        user.officer = officer
        if officer is not None:
            user.first_name, user.last_name = officer.first_name, officer.last_name
        user.save()
        user.boroughs.set([borough])
        report.created["users"] += 1
    return user
