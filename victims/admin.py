"""Victims in the admin: only the routing table (crime categories and who deals with each), which
London-wide administrators edit. Crimes, victims and offers are not in the admin: they change
only through `victims.services`, and victims' personal data is shown only where views are
logged."""

from django.contrib import admin

from config.admin import ScopedAdminMixin
from victims.models import CrimeCategory


@admin.register(CrimeCategory)
class CrimeCategoryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    reference_data = True
    list_display = ["name", "slug", "routes_to"]
    list_editable = ["routes_to"]
    list_filter = ["routes_to"]
    search_fields = ["name", "slug"]
