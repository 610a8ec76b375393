from django.contrib import admin

from config.admin import ReadOnlyScopedAdmin, ScopedAdminMixin
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


# Decisions are recorded on the borough's supervision page (the service applies them to
# postings) and kept as history: read-only here.
@admin.register(SupervisionDecision)
class SupervisionDecisionAdmin(ReadOnlyScopedAdmin):
    list_display = ["borough", "effective_from", "decided_by", "decided_at"]


@admin.register(SupervisionGroup)
class SupervisionGroupAdmin(ReadOnlyScopedAdmin):
    list_display = ["decision", "sergeant", "workload"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyScopedAdmin):
    list_display = ["borough", "on", "who", "consulted"]
