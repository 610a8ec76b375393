"""Who is told about promises at risk: each ward's supervising sergeant (the sergeant's linked
user account), else the sergeants of the ward's borough."""

from collections import defaultdict

from django.conf import settings
from django.urls import reverse

from config.access import Role
from config.mail import email_once
from config.timeutils import today
from promises.delivery import AT_RISK, deliveries
from promises.models import Promise
from teams.models import Posting, User
from wards.models import Ward


def at_risk_by_ward(on=None) -> dict[int, list]:
    """Ward id -> deliveries at risk on `on`, for every running ward promise in London."""
    on = on or today()
    promises = (
        Promise.objects.filter(start__lte=on, ward__isnull=False)
        .exclude(end__lt=on)
        .select_related("ward", "team")
    )
    by_ward = defaultdict(list)
    for delivery in deliveries(promises, on):
        if delivery.status == AT_RISK:
            by_ward[delivery.promise.ward_id].append(delivery)
    return by_ward


def sergeant_emails(wards) -> dict[int, list[str]]:
    """Ward id -> email addresses of its supervising sergeants, else its borough's sergeants."""
    supervisors = defaultdict(set)
    postings = (
        Posting.objects.current()
        .filter(role=Posting.Role.SUPERVISOR, team__ward__in=wards, officer__user__is_active=True)
        .exclude(officer__user__email="")
        .values_list("team__ward_id", "officer__user__email")
    )
    for ward_id, email in postings:
        supervisors[ward_id].add(email)
    borough_sergeants = defaultdict(set)
    users = User.objects.filter(
        is_active=True, role=Role.SERGEANT, boroughs__in={w.borough_id for w in wards}
    ).exclude(email="")
    for borough_id, email in users.values_list("boroughs", "email"):
        borough_sergeants[borough_id].add(email)
    return {
        w.pk: sorted(supervisors.get(w.pk) or borough_sergeants.get(w.borough_id, ()))
        for w in wards
    }


def send_at_risk(on=None) -> int:
    """One email per ward with promises at risk, written to the outbox under the ward and the
    day (config/mail.py): each goes once, however often the day's job runs. Returns how many
    emails are new."""
    on = on or today()
    by_ward = at_risk_by_ward(on)
    wards = list(Ward.objects.filter(pk__in=list(by_ward)))
    recipients = sergeant_emails(wards)
    sent = 0
    for ward in wards:
        lines = [
            f"- {d.promise.title}: {d.done} of {d.target} done, {d.days_left} day(s) left"
            for d in by_ward[ward.pk]
        ]
        link = settings.SITE_URL.rstrip("/") + reverse("promises:ward_delivery", args=[ward.code])
        sent += email_once(
            key=f"promises-at-risk:{ward.code}:{on}",
            subject=f"{ward}: {len(lines)} promise(s) at risk",
            body="These promises cannot reasonably be kept this period at the current pace:\n\n"
            + "\n".join(lines)
            + f"\n\nDelivery for the ward: {link}",
            recipients=recipients[ward.pk],
        )
    return sent
