"""The profile's input: one area and a range of months (the same fields and checks as demand's
filter, so bad input is a field error, never a server error)."""

import django_filters

from demand.filters import DemandFilterForm, MonthFilter
from wards.filters import BoroughNameFilter, WardNameFilter
from wards.models import Ward


class ProfileForm(DemandFilterForm):
    def clean(self):
        data = super().clean()
        # What was typed, not what resolved: a ward and an unknown borough are still two.
        chosen = [k for k in ("ward", "cluster", "borough") if data.get(k) or self.data.get(k)]
        if len(chosen) != 1 and (len(chosen) > 1 or not self.errors):
            self.add_error(
                chosen[1] if len(chosen) > 1 else "borough",
                "Choose one ward, one cluster or one borough.",
            )
        return data


class ProfileFilter(django_filters.FilterSet):
    ward = WardNameFilter(method="area")
    cluster = django_filters.NumberFilter(method="area", label="Ward cluster id", min_value=1)
    borough = BoroughNameFilter(method="area")
    month_from = MonthFilter(label="First month (YYYY-MM)")
    month_to = MonthFilter(label="Last month (YYYY-MM)")

    class Meta:
        model = Ward
        fields = ["ward", "cluster", "borough", "month_from", "month_to"]
        form = ProfileForm

    def area(self, qs, name, value):
        return qs
