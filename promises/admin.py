"""Promises in the admin: view only, scoped like every page. Changes go through the pages and the
API, whose services keep the rules (a ward's open priorities, sanitised actions, kept history)."""

from django.contrib import admin

from config.admin import ReadOnlyScopedAdmin
from promises.models import Activity, EngagementEvent, PanelMeeting, Promise, WardPriority


@admin.register(Promise)
class PromiseAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "kind", "ward", "team", "start", "end"]
    list_filter = ["kind"]
    list_select_related = ["ward", "team"]
    search_fields = ["title"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyScopedAdmin):
    list_display = ["kind", "ward", "starts_at", "recorded_by"]
    list_filter = ["kind"]
    list_select_related = ["ward", "recorded_by"]


@admin.register(WardPriority)
class WardPriorityAdmin(ReadOnlyScopedAdmin):
    list_display = ["issue", "ward", "issue_date", "action_date", "closed_on"]
    list_select_related = ["ward"]


@admin.register(PanelMeeting)
class PanelMeetingAdmin(ReadOnlyScopedAdmin):
    list_display = ["ward", "date", "attendees"]
    list_select_related = ["ward"]


@admin.register(EngagementEvent)
class EngagementEventAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "kind", "ward", "starts_at"]
    list_select_related = ["ward"]
