"""One FilterSet per list: the HTML pages and the API use the same ones."""

import django_filters
from django.db.models import Q

from config.listing import sort_filter
from teams.models import Officer, Posting, Rank, Team
from wards.filters import BoroughNameFilter, WardNameFilter
from wards.models import Ward


class OfficerFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(field_name="borough")
    ward = WardNameFilter(method="filter_ward", label="Ward (name or ONS code, current posting)")
    rank = django_filters.MultipleChoiceFilter(choices=Rank.choices)
    is_detective = django_filters.BooleanFilter(label="Detective")
    active = django_filters.BooleanFilter()
    q = django_filters.CharFilter(method="filter_q", label="Name or shoulder number")
    sort = sort_filter(
        name="last_name", shoulder_number="shoulder_number",
        borough="borough__name",
    )

    class Meta:
        model = Officer
        fields = ["borough", "ward", "rank", "is_detective", "active", "q"]

    def filter_ward(self, queryset, name, value):
        current = Posting.objects.current().filter(team__ward=value)
        return queryset.filter(pk__in=current.values("officer_id"))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(shoulder_number__iexact=value)
        )


class TeamFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(field_name="borough")
    ward = WardNameFilter(field_name="ward")
    kind = django_filters.ChoiceFilter(choices=Team.Kind.choices)

    class Meta:
        model = Team
        fields = ["borough", "ward", "kind"]


class PostingFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(field_name="team__borough")
    ward = WardNameFilter(field_name="team__ward")
    team = django_filters.NumberFilter(field_name="team_id")
    officer = django_filters.CharFilter(
        field_name="officer__shoulder_number", label="Shoulder number"
    )
    role = django_filters.ChoiceFilter(choices=Posting.Role.choices)
    current = django_filters.BooleanFilter(method="filter_current", label="Current postings only")

    class Meta:
        model = Posting
        fields = ["borough", "ward", "team", "officer", "role", "current"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        current_ids = Posting.objects.current().values("pk")
        if value:
            return queryset.filter(pk__in=current_ids)
        return queryset.exclude(pk__in=current_ids)


class WardFilter(django_filters.FilterSet):
    """Wards with their strength (`below_minimum` needs teams.strength.with_strength)."""


    borough = BoroughNameFilter(field_name="borough")
    bcu = django_filters.CharFilter(field_name="borough__bcu__code", lookup_expr="iexact")
    cluster = django_filters.NumberFilter(field_name="cluster_id")
    name = django_filters.CharFilter(lookup_expr="icontains")
    below_minimum = django_filters.BooleanFilter(
        field_name="below_minimum", label="Below minimum dedicated cover"
    )

    class Meta:
        model = Ward
        fields = ["borough", "bcu", "cluster", "name", "below_minimum"]
