"""Demand's panels on the ward and borough pages (config.panels): the ward's demand next to its
priorities, and the borough's wards ranked by crime. Over the latest 12 months with data; a
fixed number of queries whatever the size of the borough."""

from demand.models import DataImport
from demand.selectors import selection, ward_demand, ward_infos
from wards.models import Ward

BOROUGH_PANEL_WARDS = 10


def _borough_table(borough):
    wards = ward_infos(Ward.objects.filter(borough=borough))
    return ward_demand(wards, selection())


def ward_demand_panel(ward, request) -> dict:
    table = _borough_table(ward.borough)
    row = next(r for r in table.rows if r.ward.pk == ward.pk)
    return {"demand": row, "demand_table": table, "wards_in_borough": len(table.rows)}


def borough_demand_panel(borough, request) -> dict:
    table = _borough_table(borough)
    ranked = sorted(table.rows, key=lambda r: (r.rank, r.ward.name))
    return {
        "demand_table": table,
        "ranked": ranked[:BOROUGH_PANEL_WARDS],
        "wards_in_borough": len(ranked),
    }


# How many of the user's own imports their home page lists.
HOME_IMPORTS = 3


def home_imports(_, request) -> dict:
    """Borough staff's home: their latest imports of demand data, newest first. One query."""
    imports = list(
        DataImport.objects.for_user(request.user)
        .filter(imported_by=request.user)
        .order_by("-created_at", "-pk")[:HOME_IMPORTS]
    )
    return {"imports": imports}
