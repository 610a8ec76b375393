"""The filter form of a list page (templates/includes/filtered_list.html).

`{% load listing %}`, then
`{% for field, width in filter_form|filter_fields:"q ward:10 kind" %}`."""

from django import template

from config.listing import SORT_PARAM

register = template.Library()


@register.filter
def filter_fields(form, names=""):
    """(bound field, width) for the fields named (space-separated) in the order a page shows them,
    `name:N` giving a text input the GOV.UK width N; without names, every field in the form's
    order but the sort, which the table's headers set."""
    if not names:
        return [(field, None) for field in form if field.name != SORT_PARAM]
    named = (name.partition(":") for name in names.split())
    return [(form[name], width or None) for name, _, width in named]
