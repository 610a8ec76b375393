from django import template

register = template.Library()


@register.filter
def pct(value):
    """0.2055 → "20.5%"; no rate (no rostered hours) → "–"."""
    if value is None or value == "":
        return "–"
    return f"{float(value) * 100:.1f}%"


@register.filter
def get(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def signed(value):
    if value is None:
        return "–"
    return f"{value:+.1f}"
