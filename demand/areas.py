"""From a DemandFilter to the figures: the wards it shows, ranked among all the wards of their
boroughs that the user sees. Pages, the API and the map all go through here."""

from rest_framework.exceptions import ValidationError

from demand.filters import DemandFilter
from demand.selectors import DemandTable, selection, ward_demand
from wards.models import Ward


def valid_filter(params, user, *, filter_class=DemandFilter) -> DemandFilter:
    """The filter over the user's wards; raises ValidationError (400, field errors) if bad."""
    filterset = filter_class(params, queryset=Ward.objects.for_user(user))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset


def demand_table(filterset: DemandFilter, user) -> DemandTable:
    chosen = filterset.chosen()
    sel = selection(chosen["first"], chosen["last"], chosen["categories"], chosen["theme"])
    shown = dict(filterset.qs.order_by().values_list("pk", "borough_id"))
    wards = (
        Ward.objects.for_user(user)
        .filter(borough_id__in=set(shown.values()))
        .select_related("borough", "population")
        .defer("boundary", "borough__centroid_lat", "borough__centroid_lng")
        .order_by("borough__name", "name")
    )
    table = ward_demand(list(wards), sel, show=set(shown))
    table.rows.sort(key=lambda r: (r.ward.borough.name, r.rank, r.ward.name))
    return table
