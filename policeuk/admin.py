from django.contrib import admin

from config.admin import ScopedAdminMixin
from policeuk.models import SeniorOfficer


@admin.register(SeniorOfficer)
class SeniorOfficerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The force's public list: London-wide administrators edit it, as reference data."""

    reference_data = True
    list_display = ["name", "rank", "ordering"]
    search_fields = ["name", "rank"]
