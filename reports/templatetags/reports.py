"""Showing report figures: minutes as hours:minutes and rates as percentages, from the stored
figures, by the same functions as the PDF (reports.measures)."""

from django import template
from django.utils.html import format_html

from reports import measures

register = template.Library()


@register.filter
def pct(value):
    """A stored rate ("10.95", a percentage rounded once) → "10.95%"; no rate → "–"."""
    return measures.pct(value)


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


# A rating as a GOV.UK tag whose words say it (colour is never the only sign): (class, words).
RATING_TAGS = {
    "green": ("govuk-tag--green", "Green"),
    "amber": ("govuk-tag--orange", "Amber"),
    "red": ("govuk-tag--red", "Red"),
}
GREY_TAG = ("govuk-tag--grey", "Grey: no data")


@register.filter
def rating_tag(rating):
    """"green" → its tag; anything else is grey. A filter, not an include: the 12-month trend
    table shows 96 of them, and an include each was a third of the page's rendering."""
    colour, words = RATING_TAGS.get(rating, GREY_TAG)
    shown = rating if rating in RATING_TAGS else "grey"
    return format_html('<strong class="govuk-tag {}" data-rating="{}">{}</strong>',
                       colour, shown, words)
