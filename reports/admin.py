"""The performance framework in the admin. Bands are London-wide records HQ edits (here and on
the bands page); survey results are scoped to the user's boroughs; commentary is written on the
level pages (by the level's commander), so it is read-only here."""

from django.contrib import admin

from config.access import has_role
from config.admin import ScopedAdminMixin
from reports.access import BAND_EDITOR_ROLES
from reports.performance.bands import rule_text
from reports.performance.models import Commentary, ConfidenceResult, RatingBand


@admin.register(RatingBand)
class RatingBandAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["measure", "green_limit", "amber_limit", "rule", "updated_at"]
    fields = ["measure", "green_limit", "amber_limit", "updated_by", "updated_at"]
    readonly_fields = ["measure", "updated_by", "updated_at"]

    def _may_write(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and has_role(user, BAND_EDITOR_ROLES)

    def has_add_permission(self, request, *args):
        return False  # one band per measure, made by the migration

    def has_delete_permission(self, request, obj=None):
        return False  # a measure without a band is grey everywhere: change it instead

    @admin.display(description="Rule")
    def rule(self, obj):
        return rule_text(obj.measure, obj)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ConfidenceResult)
class ConfidenceResultAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["quarter", "borough", "ward", "share_confident", "respondents", "imported_at"]
    list_filter = ["quarter"]
    readonly_fields = ["imported_by", "imported_at"]


@admin.register(Commentary)
class CommentaryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["level", "area_code", "month", "written_by", "written_at"]

    def _may_write(self, request) -> bool:
        return False
