"""Filter fields every app's FilterSets use for dates: each within the range of its kind
(config.limits), and date-times read as London time, so a filter can never hand PostgreSQL a date
it cannot hold or an offset it refuses (-23:00): a 400 naming the parameter instead."""

import django_filters
from django_filters.fields import IsoDateTimeField as _IsoDateTimeField

from config import forms


class DateFilter(django_filters.DateFilter):
    """`kind=` "record" or "planned" (config.limits)."""

    field_class = forms.TextDateField


class _LondonIsoDateTimeField(forms.InLondonMixin, _IsoDateTimeField):
    pass


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time (`kind=` as DateFilter); without an offset, London time."""

    field_class = _LondonIsoDateTimeField
