"""One filter for the report list, shared by the page and the API."""

import django_filters

from config.forms import MonthField
from config.limits import RECORD
from reports.models import MonthlyReport
from wards.models import Borough


class MonthFilter(django_filters.Filter):
    """A month typed as people write it (config.forms.MonthField); an inline error otherwise."""

    field_class = MonthField


def _boroughs(request):
    if request is None:
        return Borough.objects.none()
    return Borough.objects.for_user(request.user)


class MonthlyReportFilter(django_filters.FilterSet):
    borough = django_filters.ModelChoiceFilter(
        queryset=_boroughs, to_field_name="code", empty_label="All boroughs"
    )
    month = MonthFilter(
        label="Month", help_text="For example, November 2026, Nov 2026 or 2026-11", kind=RECORD
    )
    status = django_filters.ChoiceFilter(choices=MonthlyReport.Status.choices)

    class Meta:
        model = MonthlyReport
        fields = ["borough", "month", "status"]

