"""One FilterSet for every demand list, map and page: the area (borough, cluster, ward), the
months and what to count (categories or a theme). Bad input is a field error (400 in the API,
the GOV.UK error summary on pages)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from config.errors import DomainError
from demand.models import Category, Theme
from demand.months import check_range, parse_month
from wards.filters import BoroughNameFilter, WardNameFilter
from wards.models import Ward

SLUG_RE = r"^[a-z0-9-]{1,40}$"


class MonthField(forms.CharField):
    """YYYY-MM, from police.uk's first month to the last accepted year's December."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except DomainError as exc:
            raise ValidationError(exc.message) from None


@extend_schema_field({"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$"})
class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs, value):
        return qs  # the months choose what is counted, not which wards


class SlugsField(forms.MultipleChoiceField):
    """One or more slugs; an unknown one (or a NUL) is a field error, never a query."""

    def valid_value(self, value):
        return isinstance(value, str) and "\x00" not in value and super().valid_value(value)


@extend_schema_field(OpenApiTypes.STR)  # slugs from the database: today's list, not the schema's
class SlugsFilter(django_filters.MultipleChoiceFilter):
    field_class = SlugsField


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(django_filters.ChoiceFilter):
    """One slug from choices read from the database when the filter is made."""


class DemandFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        first, last = data.get("month_from"), data.get("month_to")
        if first and last:
            try:
                check_range(first, last)
            except DomainError as exc:
                self.add_error(exc.field, exc.message)
        if data.get("category") and data.get("theme"):
            self.add_error("theme", "Choose categories or a theme, not both.")
        return data


class DemandFilter(django_filters.FilterSet):
    borough = BoroughNameFilter(field_name="borough")
    cluster = django_filters.NumberFilter(field_name="cluster_id", label="Ward cluster id")
    ward = WardNameFilter(method="one_ward")
    month_from = MonthFilter(label="First month (YYYY-MM)")
    month_to = MonthFilter(label="Last month (YYYY-MM)")
    category = SlugsFilter(
        choices=[],
        method="counting",
        label="data.police.uk category slug (repeat for a group)",
    )
    theme = SlugFilter(choices=[], method="counting", label="MOPAC theme slug")

    class Meta:
        model = Ward
        fields = ["borough", "cluster", "ward", "month_from", "month_to", "category", "theme"]
        form = DemandFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._categories = {c.slug: c for c in Category.objects.all()}
        self._themes = None
        self.filters["category"].extra["choices"] = [
            (s, c.name) for s, c in self._categories.items()
        ]
        self.filters["theme"].extra["choices"] = lambda: [
            (s, t.name) for s, t in self.themes().items()
        ]
        # A filter builds its form field once and keeps it; the schema's generation builds the
        # class's, which every instance then copies: drop it, so the choices are today's.
        for name in ("category", "theme"):
            self.filters[name].__dict__.pop("_field", None)

    def themes(self) -> dict:
        if self._themes is None:
            self._themes = {
                t.slug: t
                for t in Theme.objects.filter(active=True).prefetch_related(
                    "categories", "at_location_categories"
                )
            }
        return self._themes

    def counting(self, qs, name, value):
        return qs  # what is counted, not which wards

    def one_ward(self, qs, name, value):
        return qs.filter(pk=value.pk)  # a Ward, resolved from its name or code (wards.names)

    def chosen(self) -> dict:
        """The valid form's months, Category objects and Theme (or None)."""
        data = self.form.cleaned_data
        return {
            "first": data.get("month_from"),
            "last": data.get("month_to"),
            "categories": [self._categories[s] for s in data.get("category") or []],
            "theme": self.themes().get(data.get("theme")) if data.get("theme") else None,
        }
