"""One FilterSet per list: the HTML pages and the API use the same ones."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from wards.models import Borough, Place, WardCluster
from wards.names import BoroughNameField, WardNameField, user_of


class _ResolvedFilter(django_filters.Filter):
    """A ward or borough typed by a person (name or ONS code), resolved within the requesting
    user's boroughs (wards.names); `field_name` is the path to the ward or borough. A name that
    matches nothing, or more than one ward, is a form error (a 400 in the API)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", self.default_label)
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        field.user = user_of(getattr(self.parent, "request", None))
        return field


@extend_schema_field(OpenApiTypes.STR)
class WardNameFilter(_ResolvedFilter):
    field_class = WardNameField
    default_label = "Ward (name or ONS code)"


@extend_schema_field(OpenApiTypes.STR)
class BoroughNameFilter(_ResolvedFilter):
    field_class = BoroughNameField
    default_label = "Borough (name or ONS code)"


class BoroughFilter(django_filters.FilterSet):
    bcu = django_filters.CharFilter(field_name="bcu__code", lookup_expr="iexact", label="BCU code")
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Borough
        fields = ["bcu", "name"]


class WardClusterFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(field_name="borough")

    class Meta:
        model = WardCluster
        fields = ["borough"]


class PlaceFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(field_name="ward__borough")
    ward = WardNameFilter(field_name="ward")
    kind = django_filters.ChoiceFilter(choices=Place.Kind.choices)
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Place
        fields = ["borough", "ward", "kind", "name"]
