"""Recording many crimes at once (the importer, victims.importer): the batch form of
victims.services.crime_create. Each crime is checked by the same rules, in the same order, with
the same messages; what crime_create asks the database one crime at a time is looked up once for
the file (the wards holding each point, the references already in use, the earlier victims that
make a victim a repeat), and the crimes, victims, visit offers and their first transitions are
written with one COPY each (config.db.copy_instances), in one transaction. The references are
unique in the database, so the same file imported twice at once cannot record a crime twice: the
second import waits on the first's rows and is then refused whole."""

from __future__ import annotations

import psycopg
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from shapely.geometry import Point, shape

from config import audit, datacache
from config.access import borough_ids
from config.db import copy_instances, copy_new
from config.errors import ConflictError, DomainError
from victims.models import Crime, OfferStatus, Victim, VisitOffer, VisitTransition
from victims.privacy import require_victim_worker
from victims.services import (
    REPEAT_WINDOW,
    _check_victim,
    _check_when,
    _duplicate_reference,
    offer_due_date,
)
from wards.bounds import LONDON_BOX
from wards.models import Ward


class _Wards:
    """services._where's answer for a crime given by its point: the first ward (in wards'
    order) whose boundary covers it. The wards are read once, their shapes made as needed."""

    def __init__(self):
        self.wards = list(
            Ward.objects.select_related("borough").exclude(boundary=None).order_by(
                "borough__name", "name"
            )
        )
        self._shapes: dict[int, object] = {}
        self._found: dict[tuple, Ward | None] = {}

    def at(self, lat, lng) -> Ward:
        if not LONDON_BOX.contains(lat, lng):
            raise DomainError("No London ward contains that location.", field="lat")
        key = (float(lat), float(lng))
        if key not in self._found:
            self._found[key] = self._search(*key)
        if self._found[key] is None:
            raise DomainError("No London ward contains that location.", field="lat")
        return self._found[key]

    def _search(self, lat: float, lng: float) -> Ward | None:
        point = Point(lng, lat)
        for w in self.wards:
            if w.bbox_south <= lat <= w.bbox_north and w.bbox_west <= lng <= w.bbox_east:
                if w.pk not in self._shapes:
                    self._shapes[w.pk] = shape(w.boundary)
                if self._shapes[w.pk].covers(point):
                    return w
        return None


def _keys(name, phone, email, postcode, address) -> list[tuple]:
    """What makes two victims the same (Victim.objects.repeats_of), as comparable keys."""
    keys = []
    if name and phone:
        keys.append(("phone", name.upper(), phone))
    if name and email:
        keys.append(("email", name.upper(), email.upper()))
    if postcode and address:
        keys.append(("address", postcode.upper(), address.upper()))
    return keys


class _Repeats:
    """Victim.objects.repeats_of for each victim of the file, in file order: victims of other
    crimes (recorded before, or earlier in the file) reported since the window's start."""

    def __init__(self, victims, since):
        names = {v.name.upper() for v in victims if v.name}
        places = {v.postcode.upper() for v in victims if v.postcode}
        self.seen: dict[tuple, list] = {}
        earlier = (
            Victim.objects.filter(anonymised_at__isnull=True, crime__reported_at__gte=since)
            .annotate(uname=Upper("name"), upostcode=Upper("postcode"))
            .filter(Q(uname__in=sorted(names)) | Q(upostcode__in=sorted(places)))
            .values_list("crime_id", "crime__reported_at", "name", "phone", "email", "postcode",
                         "address")
        )  # fmt: skip
        for crime_id, reported_at, *fields in earlier:
            self.add(crime_id, reported_at, _keys(*fields))

    def add(self, crime_id, reported_at, keys) -> None:
        for key in keys:
            self.seen.setdefault(key, []).append((crime_id, reported_at))

    def check(self, victim, crime) -> bool:
        since = crime.reported_at - REPEAT_WINDOW
        keys = _keys(victim.name, victim.phone, victim.email, victim.postcode, victim.address)
        repeat = any(
            other != crime.reference and reported_at >= since
            for key in keys
            for other, reported_at in self.seen.get(key, ())
        )
        self.add(crime.reference, crime.reported_at, keys)
        return repeat


def checked(groups, *, by, result) -> list[tuple[Crime, list]]:
    """The crimes of `groups` ({reference: (line, crime fields, [VictimInput])}) that pass
    crime_create's rules, unsaved, with their victims; each refused one is added to
    `result.rejected` as (line, message)."""
    ids = borough_ids(by)
    wards = _Wards()
    taken = set(
        Crime.objects.filter(reference__in=list(groups)).values_list("reference", flat=True)
    )
    good = []
    for line, fields, victims in groups.values():
        try:
            good.append((_crime(fields, victims, by, ids, wards, taken), victims))
        except (DomainError, PermissionDenied) as exc:
            result.rejected.append((line, getattr(exc, "message", str(exc))))
    return good


def _crime(fields, victims, by, ids, wards, taken) -> Crime:
    """crime_create's checks, in its order, for a crime given by its point."""
    _check_when(fields["occurred_at"], fields["reported_at"])
    ward = wards.at(fields["lat"], fields["lng"])
    borough = ward.borough
    if ids is not None and borough.pk not in ids:
        raise DomainError(f"You record crimes for your own borough, not {borough.name}.")
    if not victims:
        raise DomainError("Name at least one victim.", field="victims")
    if fields["reference"] in taken:
        raise _duplicate_reference(fields["reference"], by)
    for index, v in enumerate(victims):
        _check_victim(v, index)
    crime = Crime(
        **fields, borough=borough, ward=ward, routed_to=fields["category"].routes_to,
        created_by=by,
    )  # fmt: skip
    require_victim_worker(by, crime)
    return crime


class _DueDates:
    """offer_due_date for each victim, worked out once per London day and kind of rights."""

    def __init__(self):
        self.found: dict[tuple, object] = {}

    def __call__(self, victim):
        key = (timezone.localdate(victim.crime.reported_at), victim.enhanced_rights)
        if key not in self.found:
            self.found[key] = offer_due_date(victim.crime.reported_at, enhanced=key[1])
        return self.found[key]


def record(good, *, by) -> None:
    """Write the checked crimes, their victims, offers and first transitions with COPY, each
    row's id taken from its table's sequence first so the next table's rows can point at it."""
    if not good:
        return
    since = min(crime.reported_at for crime, _v in good) - REPEAT_WINDOW
    repeats = _Repeats([v for _c, victims in good for v in victims], since)
    crimes = [crime for crime, _v in good]
    due = _DueDates()
    with connection.cursor() as cursor:
        try:
            with transaction.atomic():
                copy_instances(cursor, Crime, crimes)
        except (IntegrityError, psycopg.IntegrityError):
            raise ConflictError(
                "Some of these crime references were recorded a moment ago: import the file again."
            ) from None
        victims = []
        for crime, inputs in good:
            for v in inputs:
                victim = Victim(crime=crime, **v.__dict__)
                victim.is_repeat = repeats.check(victim, crime)
                audit.repeat_victim_checked(by=by, crime=crime, repeat=victim.is_repeat)
                victims.append(victim)
        copy_instances(cursor, Victim, victims)
        offers = copy_new(
            cursor, VisitOffer, [{"victim_id": v.pk, "due_date": due(v)} for v in victims]
        )
        first = {"to_status": OfferStatus.DUE, "by_id": by.pk, "at": timezone.now(),
                 "reason": "Crime recorded."}  # fmt: skip
        copy_new(cursor, VisitTransition, [{**first, "offer_id": pk} for pk in offers])
    # COPY is not seen by config.datacache: say the tables changed, once they have.
    tables = [m._meta.db_table for m in (Crime, Victim, VisitOffer, VisitTransition)]
    transaction.on_commit(lambda: datacache.bump(*tables))
