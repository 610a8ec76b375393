"""The borough and ward pages' "Minimum cover today" panel: both named cover figures of
deployment.cover for today, each with its rule beside the number, so that the borough page, the
ward page and Grip and Pace say "below minimum" one way (the figures' own functions, not a second
count)."""

from config.timeutils import today
from deployment import cover
from wards.models import Ward


def _figures(ward_ids: list[int]) -> dict:
    """Both figures for today over `ward_ids`: [{name, text, wards}] (wards: the names of those
    it counts). Two queries."""
    day = today()
    definitions = cover.definitions()
    counted = {
        "posted_strength": cover.posted_strength_below_minimum(ward_ids, day, day),
        "cover": cover.cover_below_minimum(ward_ids, day, day),
    }
    return {
        "day": day,
        "ward_count": len(ward_ids),
        "figures": [
            {**definitions[key], "wards": sorted(gap.ward.name for gap in gaps)}
            for key, gaps in counted.items()
        ],
    }


def borough_cover_today(borough, request) -> dict:
    """Three queries: the borough's wards the user sees, then the two figures."""
    ward_ids = list(
        Ward.objects.for_user(request.user).filter(borough=borough).values_list("pk", flat=True)
    )
    return _figures(ward_ids)


def ward_cover_today(ward, request) -> dict:
    """Two queries: the two figures for the ward."""
    return {**_figures([ward.pk]), "ward": ward}
