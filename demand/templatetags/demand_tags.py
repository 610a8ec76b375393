"""Display helpers for demand figures: rounded only here, never in the figures."""

from django import template

register = template.Library()


@register.filter
def percent_change(value) -> str:
    """0.123 -> "up 12.3%"; -0.05 -> "down 5.0%"; 0 -> "no change"."""
    if value is None:
        return "–"
    if value == 0:
        return "no change"
    return f"{'up' if value > 0 else 'down'} {abs(value) * 100:.1f}%"


@register.filter
def percent(value) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


@register.simple_tag
def theme_rule(theme) -> str:
    """A theme's rule in words."""
    parts = []
    anywhere = [c.name for c in theme.categories.all()]
    if anywhere:
        parts.append(", ".join(anywhere) + " anywhere")
    if theme.at_locations:
        from demand.locations import LocationKind

        kinds = ", ".join(str(LocationKind(k).label).lower() for k in theme.at_locations)
        at = [c.name for c in theme.at_location_categories.all()] or ["every crime"]
        parts.append(f"{', '.join(at)} at: {kinds}")
    return "; ".join(parts) or "nothing"


@register.simple_tag
def cell_value(cell: dict, key: str):
    return cell[key]


@register.filter
def hours(minutes) -> str:
    """Officer-minutes shown as hours, one decimal."""
    return f"{(minutes or 0) / 60:,.1f} h"


@register.filter
def sum_of(values) -> int:
    return sum(values)
