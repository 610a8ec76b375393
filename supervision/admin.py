from django.contrib import admin

from config.admin import ScopedAdminMixin
from supervision.models import (
    Consultation,
    SupervisionDecision,
    SupervisionGroup,
    WorkloadWeights,
)


@admin.register(WorkloadWeights)
class WorkloadWeightsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The London-wide row (no borough) is written here by London administrators; a borough's
    own row by its commander on the borough's supervision page."""

    reference_data = True
    list_display = ["__str__", "crime", "asb_call", "hospital", "college", "nightclub"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyHistoryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Decisions are recorded on the borough's supervision page (the service applies them to
    postings) and kept as history: nobody adds, changes or deletes them here."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupervisionDecision)
class SupervisionDecisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["borough", "effective_from", "decided_by", "decided_at"]


@admin.register(SupervisionGroup)
class SupervisionGroupAdmin(ReadOnlyHistoryAdmin):
    list_display = ["decision", "sergeant", "workload"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["borough", "on", "who", "consulted"]
