"""The protocol's numbers in every template: `{{ protocol.max_flex_days }}`,
`{{ protocol.review_after_days }}`…, and the two cover figures' names and definitions:
`{{ cover_figures.cover.name }}`, `{{ cover_figures.posted_strength.text }}`."""

from django.utils.functional import SimpleLazyObject

from deployment import cover, protocol


def protocol_numbers(request) -> dict:
    return {
        "protocol": SimpleLazyObject(protocol.numbers),
        "cover_figures": SimpleLazyObject(cover.definitions),
    }
