"""Filters for showing dates and phone numbers to people.

`{% load people %}`, then `{{ d|day }}`, `{{ d|day:"j M Y H:i" }}`, `{{ phone|tel_href }}`."""

import re

from django import template
from django.template.defaultfilters import date as date_filter

register = template.Library()

# The calendar's last year: where open-ended periods (datetime.date.max) and hostile input meet.
# No real date a person acts on lies there, so it reads as open-ended, never "31 December 9999".
OPEN_ENDED_YEAR = 9999
OPEN_ENDED_TEXT = "no end date"


@register.filter(expects_localtime=True)
def day(value, fmt="j F Y"):
    if value in (None, ""):
        return ""
    if value.year >= OPEN_ENDED_YEAR:
        return OPEN_ENDED_TEXT
    return date_filter(value, fmt)


@register.filter
def tel_href(phone):
    """`tel:` link for a UK number as people write it: "020 7123 4567" → "tel:+442071234567"."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    if digits.startswith("0"):
        digits = "+44" + digits[1:]
    return f"tel:{digits}" if digits else ""
