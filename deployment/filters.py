"""One FilterSet per list, shared by the pages and the API."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone

from config import filters
from config.limits import PLANNED
from config.listing import sort_filter
from config.timeutils import london_midnight
from deployment.models import Abstraction, Duty, FlexRequest, FlexStatus, RestDay
from wards.filters import BoroughNameFilter, WardNameFilter


class _DateRangeMixin(django_filters.FilterSet):
    """`date_from` / `date_to` (London calendar days) against a model's period."""

    date_from = filters.DateFilter(
        method="filter_date_from", label="From (YYYY-MM-DD)", kind=PLANNED
    )
    date_to = filters.DateFilter(method="filter_date_to", label="To (YYYY-MM-DD)", kind=PLANNED)
    period_start, period_end = "starts_at", "ends_at"

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(**{f"{self.period_end}__gt": london_midnight(value)})

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(
            **{f"{self.period_start}__lt": london_midnight(value + datetime.timedelta(days=1))}
        )


class DutyFilter(_DateRangeMixin):
    borough = BoroughNameFilter(
        field_name="home_ward__borough", label="Borough (name or ONS code, of the home ward)"
    )
    ward = WardNameFilter(method="filter_ward", label="Ward (name or ONS code, home or worked)")
    officer = django_filters.CharFilter(
        field_name="officer__shoulder_number", label="Shoulder number"
    )
    kind = django_filters.ChoiceFilter(choices=Duty.Kind.choices)
    sort = sort_filter(
        starts="starts_at", officer="officer__last_name", ward="worked_ward__name", kind="kind"
    )

    class Meta:
        model = Duty
        fields = ["borough", "ward", "officer", "kind", "date_from", "date_to"]

    def filter_ward(self, queryset, name, value):
        return queryset.filter(Q(home_ward=value) | Q(worked_ward=value))


class AbstractionFilter(_DateRangeMixin):
    borough = BoroughNameFilter(
        field_name="borough", label="Borough (name or ONS code, where it was recorded)"
    )
    officer = django_filters.CharFilter(
        field_name="officer__shoulder_number", label="Shoulder number"
    )
    abstraction_type = django_filters.CharFilter(field_name="abstraction_type__code")
    below_cover = django_filters.BooleanFilter(
        label="Recorded after the fact, it left a ward below minimum cover (escalated)"
    )

    class Meta:
        model = Abstraction
        fields = ["borough", "officer", "abstraction_type", "date_from", "date_to", "below_cover"]


class RestDayFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(
        field_name="borough", label="Borough (name or ONS code, served in on the day)"
    )
    officer = django_filters.CharFilter(
        field_name="officer__shoulder_number", label="Shoulder number"
    )
    date_from = filters.DateFilter(
        field_name="day", lookup_expr="gte", label="From (YYYY-MM-DD)", kind=PLANNED
    )
    date_to = filters.DateFilter(
        field_name="day", lookup_expr="lte", label="To (YYYY-MM-DD)", kind=PLANNED
    )

    class Meta:
        model = RestDay
        fields = ["borough", "officer", "date_from", "date_to"]


class FlexRequestFilter(_DateRangeMixin):
    borough = BoroughNameFilter(field_name="borough")
    ward = WardNameFilter(method="filter_ward", label="Ward (name or ONS code, to or from)")
    officer = django_filters.CharFilter(
        field_name="members__officer__shoulder_number", label="Shoulder number", distinct=True
    )
    status = django_filters.MultipleChoiceFilter(choices=FlexStatus.choices)
    review_due = django_filters.BooleanFilter(
        method="filter_review_due",
        label="Review due (active, reached its review day, not reviewed)",
    )
    sort = sort_filter(
        number="pk", ward="to_ward__name", dates="start_date", status="status",
        requested="created_at",
    )
    period_start, period_end = "start_date", "end_date"

    class Meta:
        model = FlexRequest
        fields = ["borough", "ward", "officer", "status", "date_from", "date_to", "review_due"]

    def filter_review_due(self, queryset, name, value):
        if value is None:
            return queryset
        due = FlexRequest.objects.reviews_due(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=due) if value else queryset.exclude(pk__in=due)

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(end_date__gte=value)

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(start_date__lte=value)

    def filter_ward(self, queryset, name, value):
        return queryset.filter(
            Q(to_ward=value) | Q(members__from_ward=value)
        ).distinct()
