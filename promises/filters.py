"""One FilterSet per list: the HTML pages and the API use the same ones."""

import django_filters
from django.db.models import Q

from config import filters
from config.limits import PLANNED, RECORD
from config.listing import sort_filter
from promises.models import Activity, EngagementEvent, PanelMeeting, Promise, WardPriority
from wards.filters import BoroughNameFilter, WardNameFilter


def _ward_or_cluster(queryset, name, value):
    """A ward's promises, and its cluster team's."""
    return queryset.filter(Q(ward=value) | Q(team__cluster__wards=value)).distinct()


class PromiseFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(field_name="borough")
    ward = WardNameFilter(method=lambda qs, n, v: _ward_or_cluster(qs, n, v))
    kind = django_filters.ChoiceFilter(choices=Promise.Kind.choices)
    running_on = filters.DateFilter(
        method="filter_running_on", label="Running on", kind=PLANNED
    )
    sort = sort_filter(title="title", borough="borough__name", kind="kind", runs="start")

    class Meta:
        model = Promise
        fields = ["borough", "ward", "kind", "running_on"]

    def filter_running_on(self, queryset, name, value):
        return queryset.filter(start__lte=value).exclude(end__lt=value)


class ActivityFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(field_name="ward__borough")
    ward = WardNameFilter(field_name="ward")
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices)
    promise = django_filters.NumberFilter(field_name="promises", label="Promise id")
    since = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte", kind=RECORD)
    until = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt", kind=RECORD)

    class Meta:
        model = Activity
        fields = ["borough", "ward", "kind", "promise", "since", "until"]


class WardPriorityFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(field_name="ward__borough")
    ward = WardNameFilter(field_name="ward")
    open = django_filters.BooleanFilter(field_name="closed_on", lookup_expr="isnull")

    class Meta:
        model = WardPriority
        fields = ["borough", "ward", "open"]


class PanelMeetingFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(field_name="ward__borough")
    ward = WardNameFilter(field_name="ward")

    class Meta:
        model = PanelMeeting
        fields = ["borough", "ward"]


class EngagementEventFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(field_name="ward__borough")
    ward = WardNameFilter(field_name="ward")
    kind = django_filters.ChoiceFilter(choices=EngagementEvent.Kind.choices)
    since = filters.IsoDateTimeFilter(field_name="ends_at", lookup_expr="gte", kind=PLANNED)

    class Meta:
        model = EngagementEvent
        fields = ["borough", "ward", "kind", "since"]
