"""From a DemandFilter to the figures: the wards it shows, ranked among all the wards of their
boroughs that the user sees. Pages, the API and the map all go through here."""

from rest_framework.exceptions import NotFound, ValidationError

from config.access import sees_all_boroughs
from demand.filters import DemandFilter
from demand.selectors import DemandTable, selection, ward_demand, ward_infos
from wards.models import Ward

UNKNOWN = {"unknown_ward", "unknown_borough"}


def valid_filter(request, *, filter_class=DemandFilter, resource=()) -> DemandFilter:
    """The filter over the user's wards, names resolved among them; raises ValidationError
    (400, field errors) if bad. Where the area is what is asked for (`resource`: a ward's
    points, an area's profile), one the user cannot see is a 404, as any other borough's
    object is (wards.names gives a missing and an outside area the same answer)."""
    filterset = filter_class(
        request.query_params, queryset=Ward.objects.for_user(request.user), request=request
    )
    if not filterset.is_valid():
        errors = filterset.form.errors.as_data()
        unknown = [e for f in resource for e in errors.get(f, []) if e.code in UNKNOWN]
        if unknown and len(unknown) == sum(len(e) for e in errors.values()):
            raise NotFound()
        raise ValidationError(filterset.errors)
    return filterset


def demand_table(filterset: DemandFilter, user) -> DemandTable:
    chosen = filterset.chosen()
    sel = selection(chosen["first"], chosen["last"], chosen["categories"], chosen["theme"])
    area = filterset.form.cleaned_data
    every = not any(area.get(k) for k in ("borough", "cluster", "ward"))
    wards = Ward.objects.for_user(user)
    shown = None
    if not every:  # a part of the user's wards: rank them among all of their boroughs' wards
        shown = dict(filterset.qs.order_by().values_list("pk", "borough_id"))
        wards = wards.filter(borough_id__in=set(shown.values()))
    table = ward_demand(
        ward_infos(wards),
        sel,
        show=set(shown) if shown is not None else None,
        every_ward=every and sees_all_boroughs(user),
    )
    table.rows.sort(key=lambda r: (r.ward.borough.name, r.rank, r.ward.name))
    return table
