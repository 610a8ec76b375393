"""One FilterSet per list, shared by the pages and the API."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from config import filters
from config.limits import PLANNED, RECORD
from config.listing import sort_filter
from victims.models import Crime, CrimeCategory, OfferStatus, Route, Victim, VisitOffer
from victims.privacy import log_views, works_with_victims
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


# Where a victim-name search is logged (VictimViewLog.where).
VICTIM_SEARCH = "crime search by victim"


class CrimeFilter(django_filters.FilterSet):
    """Crimes found again: by reference, area, type, route and the days reported; by a victim's
    name only for the roles that see victims (victims.privacy), each such search logged as a
    view of the victims it finds."""

    reference = django_filters.CharFilter(
        field_name="reference", lookup_expr="icontains", label="Crime reference (or part of it)"
    )
    borough = BoroughNameFilter(field_name="borough")
    ward = WardNameFilter(field_name="ward")
    victim = django_filters.CharFilter(
        method="filter_victim", label="Victim's name (or part of it)", max_length=120
    )
    open = django_filters.BooleanFilter(
        field_name="closed_at", lookup_expr="isnull", label="Open crimes only"
    )
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
    sort = sort_filter(
        reference="reference", reported="reported_at", ward="ward__name", type="category__name"
    )

    class Meta:
        model = Crime
        fields = [
            "reference", "borough", "ward", "category", "routed_to", "reported_from",
            "reported_to", "open", "victim",
        ]

    def filter_victim(self, queryset, name, value):
        """Crimes with a victim of that name (not yet anonymised). Refused (403) to a role that
        may not see victims; every victim found is logged as seen by this search."""
        user = getattr(self.request, "user", None)
        if user is None or not works_with_victims(user):
            raise PermissionDenied("Your role cannot search crimes by a victim's name.")
        victims = Victim.objects.filter(
            crime__in=queryset.values("pk"), anonymised_at__isnull=True,
            name__icontains=value.strip(),
        )
        log_views(user, victims.only("pk"), where=VICTIM_SEARCH)
        return queryset.filter(pk__in=victims.values("crime_id"))
