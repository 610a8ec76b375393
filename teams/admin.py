from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction

from config.access import Role
from config.admin import ScopedAdminMixin, is_london_admin
from config.errors import DomainError
from teams.models import Officer, Posting, Team, User
from teams.services import posting_create, posting_end


class PostingHistoryInline(admin.TabularInline):
    """An officer's or team's postings, read-only: postings change through the Posting admin
    (or the pages), which go through teams.services."""

    model = Posting
    extra = 0
    can_delete = False
    fields = ["officer", "team", "role", "is_primary", "start_date", "end_date"]
    readonly_fields = fields
    ordering = ["-start_date"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("officer", "team")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


@admin.register(Officer)
class OfficerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["shoulder_number", "last_name", "first_name", "rank", "is_detective", "borough"]
    list_filter = [
        "rank", "is_detective", "active", "publish", ("borough", admin.RelatedOnlyFieldListFilter)
    ]
    list_select_related = ["borough"]
    search_fields = ["shoulder_number", "first_name", "last_name"]
    inlines = [PostingHistoryInline]

    def get_readonly_fields(self, request, obj=None):
        # A change of borough is a transfer (teams.services.officer_transfer), never an edit.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "borough"] if obj is not None else readonly


@admin.register(Team)
class TeamAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "borough", "email", "phone"]
    list_filter = ["kind", ("borough", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["borough"]
    search_fields = ["name", "ward__code", "email"]
    inlines = [PostingHistoryInline]


class _DryRun(Exception):
    """Raised to roll back a service call made only to validate the form."""


class PostingAdminForm(forms.ModelForm):
    """Runs the posting service inside a rolled-back savepoint, so every rule of
    teams.services (ranks, boroughs, overlapping postings) shows as a form error."""

    request_user = None  # set by PostingAdmin.get_form

    class Meta:
        model = Posting
        fields = "__all__"  # noqa: DJ007 (PostingAdmin.get_fields chooses the fields shown)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            with transaction.atomic():
                PostingAdmin.apply(self.instance, cleaned, by=self.request_user)
                raise _DryRun
        except _DryRun:
            pass
        except DomainError as exc:
            field = exc.field if exc.field in self.fields else None
            raise ValidationError({field or "__all__": exc.message}) from None
        return cleaned


@admin.register(Posting)
class PostingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Postings are history: they are added through teams.services.posting_create, later only
    ended (posting_end), and never deleted."""

    form = PostingAdminForm
    list_display = ["officer", "team", "role", "is_primary", "start_date", "end_date"]
    list_filter = ["role", "is_primary"]
    list_select_related = ["officer", "team"]
    search_fields = ["officer__shoulder_number", "officer__last_name", "team__name"]
    date_hierarchy = "start_date"
    ADD_FIELDS = ["officer", "team", "role", "is_primary", "start_date", "end_date"]
    RECORD_FIELDS = ["end_reason", "created_by", "created_at", "ended_by", "ended_at"]

    def get_fields(self, request, obj=None):
        return self.ADD_FIELDS if obj is None else self.ADD_FIELDS + self.RECORD_FIELDS

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        editable = {"end_date", "end_reason"}
        return [f for f in self.ADD_FIELDS + self.RECORD_FIELDS if f not in editable]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request_user": request.user})

    def has_delete_permission(self, request, obj=None):
        return False

    @staticmethod
    def apply(instance: Posting, cleaned: dict, *, by) -> Posting:
        """Create the posting (add) or end it (change) through the services."""
        if instance.pk is None:
            return posting_create(
                officer=cleaned["officer"],
                team=cleaned["team"],
                role=cleaned["role"],
                is_primary=cleaned.get("is_primary", True),
                start_date=cleaned["start_date"],
                end_date=cleaned.get("end_date"),
                by=by,
            )
        stored = Posting.objects.get(pk=instance.pk)
        end_date = cleaned.get("end_date")
        if end_date == stored.end_date and cleaned.get("end_reason") == stored.end_reason:
            return stored
        if end_date is None:
            raise DomainError(
                "A posting's end date cannot be removed: add a new posting instead.",
                field="end_date",
            )
        return posting_end(
            posting=stored, end_date=end_date, reason=cleaned.get("end_reason", ""), by=by
        )

    def save_model(self, request, obj, form, change):
        saved = self.apply(obj, form.cleaned_data, by=request.user)
        obj.pk, obj.created_at = saved.pk, saved.created_at
        obj._state.adding = False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Logins are managed by London-wide administrators only (a borough editor could otherwise
    give themselves more boroughs or a stronger role)."""

    list_display = ["username", "first_name", "last_name", "role", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "boroughs"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Neighbourhood Ops", {"fields": ["role", "boroughs", "officer"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        ("Neighbourhood Ops", {"fields": ["role", "boroughs", "officer"]}),
    ]
    filter_horizontal = ["boroughs", "groups", "user_permissions"]
    raw_id_fields = ["officer"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        return ["is_superuser", "groups", "user_permissions", "last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        if obj.role == Role.ADMIN:
            obj.is_staff = True  # the admin role works in the admin site
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request):
        return is_london_admin(request.user) and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)
