"""Writing a place: the one service the admin, the API, the ward's page and the CSV import all
call. A place belongs to its ward's borough: only that borough's editors write it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from config import audit
from config.access import EDITOR_ROLES, borough_ids, has_role
from config.errors import ConflictError, DomainError
from wards.bounds import LONDON_BOX
from wards.models import Place, Ward


def place_check(place: Place) -> None:
    """Everything about the place itself that can be checked without the database: its fields,
    and a location given as both coordinates, inside London. DomainError names the field."""
    try:
        place.clean_fields(exclude=["ward"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=field) from None
    if (place.lat is None) != (place.lng is None):
        missing = "lng" if place.lng is None else "lat"
        raise DomainError("Give both latitude and longitude, or neither.", field=missing)
    if place.lat is not None and not LONDON_BOX.has_lat(place.lat):
        raise DomainError("That latitude is outside London.", field="lat")
    if place.lng is not None and not LONDON_BOX.has_lng(place.lng):
        raise DomainError("That longitude is outside London.", field="lng")


def _require_editor_of(user, ward: Ward) -> None:
    ids = borough_ids(user)
    if not has_role(user, EDITOR_ROLES) or (ids is not None and ward.borough_id not in ids):
        raise PermissionDenied("Only the ward's borough changes its places.")


def place_save(place: Place, *, by) -> Place:
    """Check and save a new or changed place for `by`, an editor of its ward's borough."""
    _require_editor_of(by, place.ward)
    place_check(place)
    try:
        with transaction.atomic():
            place.save()
    except IntegrityError as exc:
        if "place_source_ref_unique" in str(exc):
            raise ConflictError(
                audit.identifier_in_use("source reference", place.source_ref, by=by),
                field="source_ref",
            ) from None
        raise
    return place


def place_create(*, ward: Ward, by, **fields) -> Place:
    return place_save(Place(ward=ward, **fields), by=by)
