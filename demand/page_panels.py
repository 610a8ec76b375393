"""Demand's panels on the ward and borough pages (config.panels): the ward's demand next to its
priorities, and the borough's wards ranked by crime. Over the latest 12 months with data; a
fixed number of queries whatever the size of the borough."""

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
