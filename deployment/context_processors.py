"""The protocol's numbers in every template: `{{ protocol.max_flex_days }}`,
`{{ protocol.review_after_days }}`…"""

from django.utils.functional import SimpleLazyObject

from deployment import protocol


def protocol_numbers(request) -> dict:
    return {"protocol": SimpleLazyObject(protocol.numbers)}
