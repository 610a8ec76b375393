"""Showing report figures: minutes as hours:minutes and rates as percentages, from the stored
figures, by the same functions as the PDF (reports.measures)."""

from django import template

from reports import measures

register = template.Library()


@register.filter
def pct(value):
    """A stored rate ("10.95", a percentage rounded once) → "10.95%"; no rate → "–"."""
    if value is None or value == "":
        return "–"
    return f"{value}%"


@register.filter
def hm(minutes):
    """Whole minutes → "473:59"."""
    return measures.hm(minutes)


@register.filter
def signed_hm(minutes):
    return measures.signed_hm(minutes)


@register.filter
def get(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def signed(value):
    """A change in percentage points, already signed ("+1.25") → "+1.25"; none → "–"."""
    return "–" if value is None else value
