"""From a DemandFilter to the figures: the wards it shows, ranked among all the wards of their
boroughs that the user sees. Pages, the API and the map all go through here."""

from rest_framework.exceptions import ValidationError

from config.access import sees_all_boroughs
from demand.filters import DemandFilter
from demand.selectors import DemandTable, selection, ward_demand
from wards.models import Ward

# What the figures and the map need of a ward (not its boundary: the map reads that as text).
WARD_FIELDS = (
    "code", "name", "borough_id", "cluster_id", "borough__code", "borough__name",
    "population__residents",
)  # fmt: skip


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
    boroughs = set(shown.values())
    wards = (
        Ward.objects.for_user(user)
        .filter(borough_id__in=boroughs)
        .select_related("borough", "population")
        .only(*WARD_FIELDS)
        .order_by("borough__name", "name")
    )
    area = filterset.form.cleaned_data
    every = sees_all_boroughs(user) and not any(area.get(k) for k in ("borough", "cluster", "ward"))
    table = ward_demand(list(wards), sel, show=set(shown), every_ward=every)
    table.rows.sort(key=lambda r: (r.ward.borough.name, r.rank, r.ward.name))
    return table
