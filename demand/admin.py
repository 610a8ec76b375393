"""Demand in the admin. Themes and the MOPAC target are records HQ edits (here and on the themes
page); categories are data.police.uk's, seeded by a migration. Imports and their rows change only
through the imports (page, API, command), so they are read-only here."""

from django.contrib import admin

from config.access import has_role
from config.admin import ReadOnlyScopedAdmin, ScopedAdminMixin
from demand.models import Category, DataImport, ReductionTarget, Theme
from demand.views import HQ_ROLES


class HQEditsMixin(ScopedAdminMixin):
    def _may_write(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and has_role(user, HQ_ROLES)


@admin.register(Theme)
class ThemeAdmin(HQEditsMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "active", "ordering"]
    filter_horizontal = ["categories", "at_location_categories"]


@admin.register(ReductionTarget)
class ReductionTargetAdmin(HQEditsMixin, admin.ModelAdmin):
    list_display = ["name", "baseline_from", "reduction_percent", "target_month", "active"]
    filter_horizontal = ["categories"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Category)
class CategoryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    reference_data = True
    list_display = ["name", "slug", "is_asb", "ordering"]


@admin.register(DataImport)
class DataImportAdmin(ReadOnlyScopedAdmin):
    list_display = ["created_at", "kind", "file_name", "status", "imported", "rejected"]
    list_filter = ["kind", "status"]
    exclude = ["payload"]
