"""Crimes, their victims and the visit offer each victim is owed. Pages, the API, the importer
and Celery tasks all call these; none re-implements a rule.

Every change of an offer's state locks its row, checks the state it found, and records a
VisitTransition (who, when, from, to, why), all in one transaction."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from config import audit
from config.access import borough_ids
from config.errors import ConflictError, DomainError
from config.limits import PLANNED, RECORD, check_dates
from config.timeutils import add_working_days
from config.transactions import decision
from teams.history import require_served_in
from teams.models import Posting
from teams.services import lock_officers
from victims.models import (
    Crime,
    OfferStatus,
    Route,
    Victim,
    VisitOffer,
    VisitTransition,
)
from victims.privacy import require_victim_worker
from wards.bounds import LONDON_BOX
from wards.models import Ward

S = OfferStatus
# The one table of which step may follow which. Offered → offered is another attempt to reach
# the victim; scheduled/missed → scheduled is a reschedule.
ALLOWED = {
    S.DUE: {S.OFFERED},
    S.OFFERED: {S.OFFERED, S.ACCEPTED, S.DECLINED, S.NO_REPLY},
    S.ACCEPTED: {S.SCHEDULED, S.CANCELLED},
    S.SCHEDULED: {S.SCHEDULED, S.COMPLETED, S.MISSED, S.CANCELLED},
    S.MISSED: {S.SCHEDULED, S.CANCELLED},
    S.DECLINED: set(),
    S.NO_REPLY: set(),
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}
REPEAT_WINDOW = datetime.timedelta(days=365)
# How far ahead of this server's clock a report time may be (another machine's clock, a form
# filled in over a minute).
CLOCK_SKEW = datetime.timedelta(minutes=5)


def offer_due_date(reported_at: datetime.datetime, *, enhanced: bool) -> datetime.date:
    days = (
        settings.VICTIM_OFFER_DEADLINE_WORKING_DAYS_ENHANCED
        if enhanced
        else settings.VICTIM_OFFER_DEADLINE_WORKING_DAYS_OTHER
    )
    return add_working_days(timezone.localtime(reported_at).date(), days)


# --- crimes and victims ----------------------------------------------------------------------


@dataclass
class VictimInput:
    name: str
    phone: str = ""
    email: str = ""
    preferred_contact: str = Victim.ContactMethod.PHONE
    preferred_times: str = ""
    enhanced_rights: bool = False
    enhanced_reason: str = ""
    consents_to_referral: bool = False
    address: str = ""
    postcode: str = ""


def _where(*, borough, ward, lat, lng):
    """The crime's borough and ward: the ward containing the point when a location is given.
    A point given with a ward must fall in that ward, and with a borough not in another
    borough's ward (the crime form's map holds its points to the same rule)."""
    if (lat is None) != (lng is None):
        missing = "lat" if lat is None else "lng"
        raise DomainError("Give the location's latitude and longitude, or neither.", field=missing)
    if lat is not None:
        ward = _ward_at(borough, ward, lat, lng)
    if ward is not None:
        if borough is not None and ward.borough_id != borough.pk:
            raise DomainError(f"{ward.name} is not a ward of {borough.name}.", field="ward")
        borough = ward.borough
    if borough is None:
        raise DomainError("Give the crime's ward, borough or location.", field="borough")
    return borough, ward


def _ward_at(borough, ward, lat, lng):
    """The ward given, or found, at the point (None: a borough's crime in no ward)."""
    if not LONDON_BOX.contains(lat, lng):
        raise DomainError("No London ward contains that location.", field="lat")
    wards = Ward.objects.select_related("borough").containing(float(lat), float(lng))
    if ward is not None:
        if ward not in wards:
            raise DomainError(f"That location is not in {ward.name}.", field="lat")
        return ward
    if borough is not None:
        if wards and all(w.borough_id != borough.pk for w in wards):
            raise DomainError(f"That location is not in {borough.name}.", field="lat")
        return next((w for w in wards if w.borough_id == borough.pk), None)
    if not wards:
        raise DomainError("No London ward contains that location.", field="lat")
    return wards[0]


class VictimError(DomainError):
    """A rule about one of the victims given: `index` counts from 0 in the order they were
    given and `victim_field` names the VictimInput field at fault. The API sees field "victims";
    a page puts the message on that victim's field."""

    def __init__(self, message: str, *, index: int, victim_field: str):
        super().__init__(message, field="victims")
        self.index = index
        self.victim_field = victim_field


def _check_victim(v: VictimInput, index: int):
    def refuse(message, field):
        raise VictimError(message, index=index, victim_field=field)

    if not v.name.strip():
        refuse("Give the victim's name.", "name")
    if v.enhanced_rights and not v.enhanced_reason:
        refuse(
            "Say why the victim has enhanced rights (most serious crime, persistently "
            "targeted, vulnerable or intimidated).",
            "enhanced_reason",
        )
    if not v.enhanced_rights and v.enhanced_reason:
        v.enhanced_reason = ""
    if v.email:
        try:
            validate_email(v.email)
        except ValidationError:
            refuse("Enter the victim's email address in the right format.", "email")
    if v.preferred_contact == Victim.ContactMethod.EMAIL and not v.email:
        refuse("The victim prefers email: give their email address.", "email")
    if v.preferred_contact in ("phone", "text") and not v.phone:
        refuse("The victim prefers phone or text: give their number.", "phone")


def _check_when(occurred_at, reported_at) -> None:
    """A crime is a record of the past: in the range of records, reported after it happened and
    not in the future."""
    check_dates(RECORD, occurred_at=occurred_at, reported_at=reported_at)
    if reported_at < occurred_at:
        raise DomainError("A crime is reported after it happens.", field="reported_at")
    if reported_at > timezone.now() + CLOCK_SKEW:
        raise DomainError("A crime cannot be reported in the future.", field="reported_at")


def _reference_taken(reference) -> bool:
    return Crime.objects.filter(reference=reference).exists()


def _duplicate_reference(reference, by) -> ConflictError:
    """Crime references are force-wide: one in use in any borough is refused, without saying
    whose it is (config.audit logs the attempt)."""
    return ConflictError(
        audit.identifier_in_use("crime reference", reference, by=by),
        field="reference",
        code="duplicate_reference",
    )


def _save_new_crime(crime, by) -> None:
    """Insert the crime; two people saving the same reference at once both pass the check
    above, and the unique constraint refuses the second: that is a conflict, not a 500."""
    try:
        with transaction.atomic():
            crime.save()
    except IntegrityError:
        if Crime.objects.filter(reference=crime.reference).exists():
            raise _duplicate_reference(crime.reference, by) from None
        raise


@transaction.atomic
def crime_create(
    *,
    reference,
    category,
    occurred_at,
    reported_at,
    victims,
    by,
    borough=None,
    ward=None,
    location="",
    lat=None,
    lng=None,
) -> Crime:
    """Record a crime with its victims; each victim is owed a visit offer from now."""
    _check_when(occurred_at, reported_at)
    borough, ward = _where(borough=borough, ward=ward, lat=lat, lng=lng)
    ids = borough_ids(by)
    if ids is not None and borough.pk not in ids:
        raise DomainError(f"You record crimes for your own borough, not {borough.name}.")
    if not victims:
        raise DomainError("Name at least one victim.", field="victims")
    if _reference_taken(reference):
        raise _duplicate_reference(reference, by)
    for index, v in enumerate(victims):
        _check_victim(v, index)
    crime = Crime(
        reference=reference,
        category=category,
        occurred_at=occurred_at,
        reported_at=reported_at,
        borough=borough,
        ward=ward,
        location=location,
        lat=lat,
        lng=lng,
        routed_to=category.routes_to if ward is not None else Route.CID,
        created_by=by,
    )
    require_victim_worker(by, crime)
    _save_new_crime(crime, by)
    for v in victims:
        _add_victim(crime, v, by=by)
    return crime


def _add_victim(crime, v: VictimInput, *, by) -> Victim:
    victim = Victim(crime=crime, **v.__dict__)
    victim.is_repeat = _is_repeat(victim, by=by)
    victim.save()
    offer = VisitOffer.objects.create(
        victim=victim,
        due_date=offer_due_date(crime.reported_at, enhanced=victim.enhanced_rights),
    )
    VisitTransition.objects.create(
        offer=offer, to_status=S.DUE, by=by, at=timezone.now(), reason="Crime recorded."
    )
    return victim


def _is_repeat(victim, *, by) -> bool:
    """Whether the victim of the crime being recorded is a repeat within London: the same
    person or address in another crime of the last 12 months, in any borough. Only ever asked
    here, for a victim being recorded (never as a search), and only the flag is kept: never
    which crime, nor whose. Each check is logged."""
    since = victim.crime.reported_at - REPEAT_WINDOW
    repeat = Victim.objects.repeats_of(victim, since=since).exists()
    audit.repeat_victim_checked(by=by, crime=victim.crime, repeat=repeat)
    return repeat


def earlier_crimes(victim, user):
    """The other crimes (last 12 months) against the same victim or address that `user` may
    see. (Whether the victim is a repeat victim at all is decided London-wide, on recording.)"""
    since = victim.crime.reported_at - REPEAT_WINDOW
    return (
        Crime.objects.for_user(user)
        .filter(victims__in=Victim.objects.repeats_of(victim, since=since))
        .select_related("category", "ward")
        .distinct()
    )


@decision
def crime_close(*, crime, by) -> Crime:
    require_victim_worker(by, crime)
    crime = Crime.objects.select_for_update().get(pk=crime.pk)
    if crime.closed_at:
        raise ConflictError("This crime is already closed.", code="already_closed")
    crime.closed_at = timezone.now()
    crime.save(update_fields=["closed_at"])
    return crime


# --- the offer's lifecycle -------------------------------------------------------------------


def _lock(offer, by) -> VisitOffer:
    locked = (
        VisitOffer.objects.select_for_update(of=("self",))
        .select_related("victim__crime__ward", "victim__crime__borough")
        .get(pk=offer.pk)
    )
    require_victim_worker(by, locked.victim.crime)
    if locked.victim.anonymised_at is not None:
        raise ConflictError(
            "This victim's details were removed after the crime closed: the offer can no "
            "longer change.",
            code="anonymised",
        )
    return locked


def _move(offer, to_status, *, by, reason="") -> VisitOffer:
    if to_status not in ALLOWED[offer.status]:
        label = offer.get_status_display().lower()
        if offer.status == to_status or not ALLOWED[offer.status]:
            raise ConflictError(
                f"This offer is already {label}: it cannot become "
                f"{OfferStatus(to_status).label.lower()}.",
                code="already_" + offer.status,
            )
        raise ConflictError(
            f"An offer that is {label} cannot become {OfferStatus(to_status).label.lower()}.",
            code="invalid_transition",
        )
    VisitTransition.objects.create(
        offer=offer, from_status=offer.status, to_status=to_status, by=by, reason=reason
    )
    offer.status = to_status
    return offer


@decision
def offer_make(*, offer, by, how, at=None, note="") -> VisitOffer:
    """An attempt to offer the victim a visit (the first one counts for the deadline)."""
    check_dates(RECORD, at=at)
    offer = _lock(offer, by)
    if how not in VisitOffer.How.values:
        raise DomainError("Say how the visit was offered.", field="how")
    at = at or timezone.now()
    if at > timezone.now():
        raise DomainError("An offer cannot be recorded in the future.", field="at")
    if at < offer.victim.crime.reported_at:
        raise DomainError("An offer cannot be made before the crime was reported.", field="at")
    _move(offer, S.OFFERED, by=by, reason=note or f"Attempt {offer.attempts + 1} by {how}.")
    offer.attempts += 1
    if offer.offered_at is None:
        offer.offered_at, offer.offered_how, offer.offered_by = at, how, by
    offer.save()
    return offer


@decision
def offer_respond(*, offer, by, response, note="") -> VisitOffer:
    """The victim accepted or declined, or did not reply after enough attempts."""
    if response not in (S.ACCEPTED, S.DECLINED, S.NO_REPLY):
        raise DomainError("The response is accepted, declined or no_reply.", field="response")
    offer = _lock(offer, by)
    needed = settings.VICTIM_OFFER_NO_REPLY_ATTEMPTS
    if response == S.NO_REPLY and offer.status == S.OFFERED and offer.attempts < needed:
        raise ConflictError(
            f"Try to reach the victim {needed} times before recording no reply "
            f"({offer.attempts} so far).",
            code="too_few_attempts",
        )
    _move(offer, response, by=by, reason=note)
    offer.responded_at = timezone.now()
    offer.save()
    return offer


def _check_window(offer, *, officer, window_start, window_end):
    check_dates(PLANNED, window_start=window_start, window_end=window_end)
    if window_end <= window_start:
        raise DomainError("The visit window must end after it starts.", field="window_end")
    crime = offer.victim.crime
    if window_start < crime.reported_at:
        raise DomainError("A visit cannot come before the crime was reported.",
                          field="window_start")
    if not officer.active:
        raise DomainError(f"{officer.full_name} is not an active officer.", field="officer")
    if officer.borough_id != crime.borough_id:
        raise DomainError(
            f"{officer.full_name} is not an officer of {crime.borough}.", field="officer"
        )
    first, last = (timezone.localtime(t).date() for t in (window_start, window_end))
    require_served_in(officer, crime.borough, first, last, field="officer")
    if crime.routed_to == Route.WARD and crime.ward_id:
        on = timezone.localtime(window_start).date()
        in_team = Posting.objects.current(on).filter(officer=officer, team__ward=crime.ward_id)
        if not in_team.exists():
            raise DomainError(
                f"{officer.full_name} is not in {crime.ward.name}'s team: the ward team visits.",
                field="officer",
            )


@decision
def visit_schedule(*, offer, by, officer, window_start, window_end, reason="") -> VisitOffer:
    offer = _lock(offer, by)
    if officer is not None:
        officer = lock_officers([officer.pk])[officer.pk]  # see teams.services.officer_transfer
    _check_window(offer, officer=officer, window_start=window_start, window_end=window_end)
    rescheduling = offer.status in (S.SCHEDULED, S.MISSED)
    if rescheduling and not reason.strip():
        raise DomainError("Say why the visit is rescheduled.", field="reason")
    _move(offer, S.SCHEDULED, by=by, reason=reason)
    offer.officer, offer.window_start, offer.window_end = officer, window_start, window_end
    offer.reschedules += 1 if rescheduling else 0
    offer.save()
    return offer


def visit_reschedule(*, offer, by, officer, window_start, window_end, reason) -> VisitOffer:
    """A new window for a scheduled or missed visit."""
    if offer.status not in (S.SCHEDULED, S.MISSED):
        raise ConflictError("Only a scheduled or missed visit can be rescheduled.")
    return visit_schedule(
        offer=offer,
        by=by,
        officer=officer,
        window_start=window_start,
        window_end=window_end,
        reason=reason,
    )


@decision
def visit_complete(
    *,
    offer,
    by,
    needs_assessment_done,
    referral_made,
    crime_prevention_advice,
    satisfaction=None,
    at=None,
    note="",
) -> VisitOffer:
    check_dates(RECORD, at=at)
    offer = _lock(offer, by)
    at = at or timezone.now()
    if at > timezone.now():
        raise DomainError("A visit cannot be recorded as completed in the future.", field="at")
    _move(offer, S.COMPLETED, by=by, reason=note)
    if at < offer.window_start:
        raise DomainError("A visit is completed after its window starts.", field="at")
    if referral_made and not offer.victim.consents_to_referral:
        raise DomainError(
            "The victim has not consented to referral to support services.",
            field="referral_made",
        )
    offer.completed_at = at
    offer.needs_assessment_done = needs_assessment_done
    offer.referral_made = referral_made
    offer.crime_prevention_advice = crime_prevention_advice
    offer.save()
    if satisfaction is not None:
        _set_satisfaction(offer, satisfaction, by=by)
    return offer


def _set_satisfaction(offer, satisfaction, *, by):
    """Record the victim's answer once, as a step of the offer (who, when): a conditional
    update, so that of two recordings at once only the first stands, and none overwrites it."""
    try:
        satisfaction = int(satisfaction)
    except (TypeError, ValueError):
        satisfaction = 0
    if not 1 <= satisfaction <= 5:
        raise DomainError("Satisfaction is from 1 to 5.", field="satisfaction")
    now = timezone.now()
    recorded = VisitOffer.objects.filter(pk=offer.pk, satisfaction__isnull=True).update(
        satisfaction=satisfaction, satisfaction_recorded_at=now, satisfaction_recorded_by=by
    )
    if not recorded:
        _already_recorded(offer)
    VisitTransition.objects.create(
        offer=offer, from_status=offer.status, to_status=offer.status, by=by, at=now,
        reason=f"Satisfaction recorded: {satisfaction} of 5.",
    )
    offer.satisfaction, offer.satisfaction_recorded_at = satisfaction, now
    offer.satisfaction_recorded_by = by


def _already_recorded(offer):
    offer.refresh_from_db(fields=["satisfaction", "satisfaction_recorded_at",
                                  "satisfaction_recorded_by"])
    who = offer.satisfaction_recorded_by or "someone"
    raise ConflictError(
        f"The victim's satisfaction was already recorded ({offer.satisfaction} of 5) by {who} "
        f"on {timezone.localtime(offer.satisfaction_recorded_at):%d %b %Y %H:%M}: it is "
        "asked once and is not changed.",
        field="satisfaction",
        code="satisfaction_recorded",
    )


@decision
def visit_record_satisfaction(*, offer, by, satisfaction) -> VisitOffer:
    """The victim's satisfaction (1-5), asked once after the visit: a step with who and when."""
    offer = _lock(offer, by)
    if offer.status != S.COMPLETED:
        raise ConflictError("Satisfaction is asked after a completed visit.")
    if offer.satisfaction is not None:
        _already_recorded(offer)
    _set_satisfaction(offer, satisfaction, by=by)
    return offer


def _need_reason(reason):
    if not (reason or "").strip():
        raise DomainError("Give the reason.", field="reason")


@decision
def visit_miss(*, offer, by, reason) -> VisitOffer:
    _need_reason(reason)
    offer = _lock(offer, by)
    _move(offer, S.MISSED, by=by, reason=reason)
    offer.reason = reason
    offer.save()
    return offer


@decision
def visit_cancel(*, offer, by, reason) -> VisitOffer:
    _need_reason(reason)
    offer = _lock(offer, by)
    _move(offer, S.CANCELLED, by=by, reason=reason)
    offer.reason = reason
    offer.save()
    return offer


def next_actions(offer) -> list[str]:
    """The services that may follow the offer's current state, for pages and the API."""
    return {
        S.DUE: ["offer"],
        S.OFFERED: ["offer", "respond"],
        S.ACCEPTED: ["schedule", "cancel"],
        S.SCHEDULED: ["complete", "miss", "reschedule", "cancel"],
        S.MISSED: ["reschedule", "cancel"],
    }.get(offer.status, [])


# --- retention -------------------------------------------------------------------------------

REMOVED = "[removed]"


@transaction.atomic
def victims_anonymise(*, now=None) -> int:
    """Remove the personal data of victims of crimes closed more than
    VICTIM_DATA_RETENTION_DAYS ago, keeping what the figures need (statuses, dates, outcome
    flags, satisfaction, the repeat flag). Returns how many victims were anonymised."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.VICTIM_DATA_RETENTION_DAYS)
    victims = Victim.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        anonymised_at__isnull=True, crime__closed_at__lte=cutoff
    )
    ids = list(victims.values_list("pk", flat=True))
    if not ids:
        return 0
    Victim.objects.filter(pk__in=ids).update(
        name=REMOVED,
        phone="",
        email="",
        preferred_times="",
        address="",
        postcode="",
        anonymised_at=now,
    )
    # Free text written about the victim may name them too.
    VisitOffer.objects.filter(victim_id__in=ids).exclude(reason="").update(reason=REMOVED)
    VisitTransition.objects.filter(offer__victim_id__in=ids).exclude(reason="").update(
        reason=REMOVED
    )
    return len(ids)
