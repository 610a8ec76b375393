from django.contrib import admin

from config.admin import ReadOnlyScopedAdmin, ScopedAdminMixin
from schools.models import Allocation, AllocationDecision, School, SchoolWeights


@admin.register(SchoolWeights)
class SchoolWeightsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The London-wide row (no borough) is written here by London administrators; a borough's
    own row by its commander on the borough's Safer Schools page."""

    reference_data = True
    list_display = ["__str__", "officers", "deprivation", "attainment", "crime", "asb"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


# Schools come from load_schools and the import (which place and check them); decisions are
# recorded on the Safer Schools page and kept as history: read-only here.
@admin.register(School)
class SchoolAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "urn", "kind", "borough", "ward", "placed"]
    list_filter = ["kind", "placed"]
    search_fields = ["name", "urn"]


@admin.register(AllocationDecision)
class AllocationDecisionAdmin(ReadOnlyScopedAdmin):
    list_display = ["borough", "effective_from", "review_due", "officers", "decided_by"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyScopedAdmin):
    list_display = ["decision", "school", "rank", "score", "kind", "contact"]
