"""Deployment in the admin. Abstraction types are reference data that admins edit. Duties,
abstractions and flex requests are read-only here: they change only through the services, so the
admin's actions call the same services as the pages and the API, and show their refusals (an
administrator as such decides nothing: deciding goes by rank and borough, teams.authority)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from config.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from config.errors import DomainError
from deployment import services
from deployment.models import (
    Abstraction,
    AbstractionType,
    Duty,
    FlexChange,
    FlexRequest,
    FlexTransition,
    RestDay,
)


@admin.register(AbstractionType)
class AbstractionTypeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    reference_data = True
    list_display = ["name", "code", "active", "ordering"]
    list_editable = ["active", "ordering"]


@admin.register(Duty)
class DutyAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["officer", "starts_at", "ends_at", "kind", "home_ward", "worked_ward"]
    list_filter = ["kind"]
    list_select_related = ["officer", "home_ward", "worked_ward"]
    search_fields = ["officer__shoulder_number", "officer__last_name"]
    date_hierarchy = "starts_at"


@admin.register(RestDay)
class RestDayAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["officer", "day", "borough", "recorded_by", "recorded_at"]
    list_select_related = ["officer", "borough", "recorded_by"]
    search_fields = ["officer__shoulder_number", "officer__last_name"]
    date_hierarchy = "day"


@admin.register(Abstraction)
class AbstractionAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "officer", "abstraction_type", "starts_at", "ends_at", "authorised_by_name", "below_cover",
    ]
    list_select_related = ["officer", "abstraction_type"]
    list_filter = ["abstraction_type", "below_cover"]


class FlexTransitionInline(admin.TabularInline):
    model = FlexTransition
    fields = ["at", "step", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class FlexChangeInline(FlexTransitionInline):
    model = FlexChange
    fields = ["proposed_at", "proposed_by", "status", "end_date", "reason", "decided_by",
              "decision_reason", "cover_override_reason"]
    readonly_fields = fields


def _run(modeladmin, request, queryset, action, **kwargs):
    for flex in queryset:
        try:
            action(flex=flex, by=request.user, **kwargs)
            modeladmin.message_user(request, f"{flex}: done.", messages.SUCCESS)
        except (DomainError, PermissionDenied) as exc:
            modeladmin.message_user(request, f"Flex #{flex.pk}: {exc}", messages.ERROR)


@admin.action(description="Approve the selected flex requests")
def approve(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.flex_approve)


@admin.action(description="Withdraw the selected flex requests")
def withdraw(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.flex_withdraw, reason="Withdrawn in the admin.")


@admin.register(FlexRequest)
class FlexRequestAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "borough", "to_ward", "start_date", "end_date", "status", "requested_by"]
    list_filter = ["status"]
    list_select_related = ["borough", "to_ward", "requested_by"]
    inlines = [FlexTransitionInline, FlexChangeInline]
    actions = [approve, withdraw]

    def has_change_permission(self, request, obj=None):
        # Actions need change permission on the changelist; objects themselves stay read-only.
        return obj is None and super(ReadOnlyAdminMixin, self).has_change_permission(request, obj)
