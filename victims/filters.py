"""One FilterSet per list, shared by the pages and the API."""

import django_filters
from django.utils import timezone

from config import filters
from config.limits import PLANNED, RECORD
from victims.models import Crime, CrimeCategory, OfferStatus, Route, VisitOffer
from wards.filters import BoroughNameFilter, WardNameFilter


class VisitOfferFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(field_name="victim__crime__borough")
    ward = WardNameFilter(field_name="victim__crime__ward")
    routed_to = django_filters.ChoiceFilter(
        field_name="victim__crime__routed_to", choices=Route.choices
    )
    status = django_filters.MultipleChoiceFilter(choices=OfferStatus.choices)
    due_from = filters.DateFilter(field_name="due_date", lookup_expr="gte", kind=PLANNED)
    due_to = filters.DateFilter(field_name="due_date", lookup_expr="lte", kind=PLANNED)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue offers")

    class Meta:
        model = VisitOffer
        fields = ["borough", "ward", "routed_to", "status", "due_from", "due_to", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue(timezone.localdate())
        if value is None:
            return queryset
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class CrimeFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(field_name="borough")
    ward = WardNameFilter(field_name="ward")
    category = django_filters.ModelChoiceFilter(
        queryset=CrimeCategory.objects.all(), to_field_name="slug"
    )
    routed_to = django_filters.ChoiceFilter(choices=Route.choices)
    reported_from = filters.DateFilter(
        field_name="reported_at__date", lookup_expr="gte", kind=RECORD
    )
    reported_to = filters.DateFilter(
        field_name="reported_at__date", lookup_expr="lte", kind=RECORD
    )

    class Meta:
        model = Crime
        fields = ["borough", "ward", "category", "routed_to", "reported_from", "reported_to"]
