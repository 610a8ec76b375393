from django import forms
from django.contrib import admin

from config.access import can_edit
from config.admin import ScopedAdminMixin, is_london_admin
from config.errors import DomainError
from wards import services
from wards.models import BCU, Borough, Place, Ward, WardCluster


@admin.register(BCU)
class BCUAdmin(ScopedAdminMixin, admin.ModelAdmin):
    reference_data = True
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Borough)
class BoroughAdmin(ScopedAdminMixin, admin.ModelAdmin):
    reference_data = True
    list_display = ["name", "code", "bcu"]
    list_filter = [("bcu", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["bcu"]
    search_fields = ["name", "code"]


@admin.register(WardCluster)
class WardClusterAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "borough"]
    list_filter = [("borough", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["borough"]
    search_fields = ["name"]


@admin.register(Ward)
class WardAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Wards come from ONS files (manage.py load_london): borough editors may only move a ward
    between their clusters. The boundary is never shown: it is large and edited only by a load."""

    reference_data = True
    list_display = ["name", "code", "borough", "cluster"]
    list_filter = [("borough", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["borough", "cluster__borough"]
    search_fields = ["name", "code"]
    exclude = ["boundary"]
    ONS_FIELDS = [
        "code",
        "name",
        "borough",
        "centroid_lat",
        "centroid_lng",
        "area_km2",
        "bbox_south",
        "bbox_north",
        "bbox_west",
        "bbox_east",
    ]

    def get_readonly_fields(self, request, obj=None):
        return [] if is_london_admin(request.user) else self.ONS_FIELDS

    def has_change_permission(self, request, obj=None):
        # Editors of the ward's borough may change its cluster; the rest is reference data.
        user = request.user
        return self._may_write(request) or (user.is_active and user.is_staff and can_edit(user))


PLACE_FIELDS = ["name", "kind", "ward", "address", "postcode", "lat", "lng", "source_ref"]


class PlaceAdminForm(forms.ModelForm):
    """The place service's checks as form errors (the admin saves through it too)."""

    class Meta:
        model = Place
        fields = PLACE_FIELDS

    def clean(self):
        cleaned = super().clean()
        if self._errors:
            return cleaned  # each field's own error first
        try:
            services.place_check(Place(**{name: cleaned.get(name) for name in PLACE_FIELDS}))
        except DomainError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return cleaned


@admin.register(Place)
class PlaceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = PlaceAdminForm
    list_display = ["name", "kind", "ward", "postcode"]
    list_filter = ["kind"]
    list_select_related = ["ward"]
    search_fields = ["name", "postcode", "source_ref"]

    def save_model(self, request, obj, form, change):
        services.place_save(obj, by=request.user)
