"""One filter for the report list, shared by the page and the API."""

import django_filters

from config import filters
from config.limits import RECORD
from reports.models import MonthlyReport
from wards.models import Borough


def _boroughs(request):
    if request is None:
        return Borough.objects.none()
    return Borough.objects.for_user(request.user)


class MonthlyReportFilter(django_filters.FilterSet):
    borough = django_filters.ModelChoiceFilter(
        queryset=_boroughs, to_field_name="code", empty_label="All boroughs"
    )
    month = filters.DateFilter(
        input_formats=["%Y-%m"],
        label="Month (YYYY-MM)",
        help_text="For example, 2026-03",
        kind=RECORD,
    )
    status = django_filters.ChoiceFilter(choices=MonthlyReport.Status.choices)

    class Meta:
        model = MonthlyReport
        fields = ["borough", "month", "status"]

