"""One FilterSet per list: the HTML pages and the API use the same ones."""

import django_filters

from wards.models import Borough, Place, WardCluster


class BoroughFilter(django_filters.FilterSet):
    bcu = django_filters.CharFilter(field_name="bcu__code", lookup_expr="iexact", label="BCU code")
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Borough
        fields = ["bcu", "name"]


class WardClusterFilter(django_filters.FilterSet):
    borough = django_filters.CharFilter(field_name="borough__code", label="Borough ONS code")

    class Meta:
        model = WardCluster
        fields = ["borough"]


class PlaceFilter(django_filters.FilterSet):
    borough = django_filters.CharFilter(field_name="ward__borough__code", label="Borough ONS code")
    ward = django_filters.CharFilter(field_name="ward__code", label="Ward ONS code")
    kind = django_filters.ChoiceFilter(choices=Place.Kind.choices)
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Place
        fields = ["borough", "ward", "kind", "name"]
