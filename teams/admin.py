from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from config.access import Role
from config.admin import ScopedAdminMixin, is_london_admin, scoped_for_user
from config.errors import DomainError
from teams.models import Officer, Posting, Team, User
from teams.services import posting_create, posting_end, shoulder_number_refusal


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
        # The user's boroughs' postings only: a transferred officer's postings in the borough
        # they left are that borough's.
        postings = super().get_queryset(request).select_related("officer", "team")
        return scoped_for_user(postings, request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


class OfficerAdminForm(forms.ModelForm):
    """Shoulder numbers are force-wide: one in use in any borough is refused without saying
    where (teams.services.shoulder_number_refusal logs the attempt)."""

    request_user = None  # set by OfficerAdmin.get_form

    class Meta:
        model = Officer
        fields = "__all__"  # noqa: DJ007 (OfficerAdmin chooses the fields shown)

    def clean_shoulder_number(self):
        number = self.cleaned_data["shoulder_number"]
        refusal = shoulder_number_refusal(number, by=self.request_user, officer=self.instance)
        if refusal:
            raise ValidationError(refusal, code="in_use")
        return number

    def validate_unique(self):
        exclude = self._get_validation_exclusions() | {"shoulder_number"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as exc:
            self._update_errors(exc)


@admin.register(Officer)
class OfficerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["shoulder_number", "last_name", "first_name", "rank", "is_detective", "borough"]
    list_filter = [
        "rank", "is_detective", "active", "publish", ("borough", admin.RelatedOnlyFieldListFilter)
    ]
    list_select_related = ["borough"]
    search_fields = ["shoulder_number", "first_name", "last_name"]
    inlines = [PostingHistoryInline]
    form = OfficerAdminForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request_user": request.user})

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


class UserAddForm(forms.ModelForm):
    """A new login added by an administrator who is not a superuser: no password (only a
    superuser sets passwords, in the admin or with `manage.py createuser --password-stdin`)."""

    class Meta:
        model = User
        fields = ["username"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


def _rights(user) -> int:
    """How much a login may do: a superuser everything, a London-wide administrator the admin
    of every borough, anyone else less."""
    if user.is_superuser:
        return 3
    return 2 if is_london_admin(user) else 1


# What a user who is not a superuser may never change about their own login.
OWN_GRANTS = ["role", "boroughs", "officer", "is_active", "is_staff"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Logins are managed by London-wide administrators only (a borough editor could otherwise
    give themselves more boroughs or a stronger role). An administrator who is not a superuser
    sets no password, changes none of their own grants, and manages no login with more rights
    than their own: only a superuser does."""

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
    add_fieldsets_without_password = [
        (None, {"classes": ["wide"], "fields": ["username"]}),
        ("Neighbourhood Ops", {"fields": ["role", "boroughs", "officer"]}),
    ]
    filter_horizontal = ["boroughs", "groups", "user_permissions"]
    raw_id_fields = ["officer"]

    def get_fieldsets(self, request, obj=None):
        if obj is None and not request.user.is_superuser:
            return self.add_fieldsets_without_password
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = UserAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        readonly = ["password", "is_superuser", "groups", "user_permissions", "last_login",
                    "date_joined"]  # fmt: skip
        if obj is not None and obj.pk == request.user.pk:
            readonly += OWN_GRANTS
        return readonly

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied("Only a superuser sets passwords.")
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if obj.role == Role.ADMIN:
            obj.is_staff = True  # the admin role works in the admin site
        super().save_model(request, obj, form, change)

    def _may_manage(self, request, obj) -> bool:
        if not (is_london_admin(request.user) and request.user.is_staff):
            return False
        return obj is None or _rights(obj) <= _rights(request.user)

    def has_module_permission(self, request):
        return self._may_manage(request, None)

    def has_view_permission(self, request, obj=None):
        return self._may_manage(request, None)

    def has_add_permission(self, request):
        return self._may_manage(request, None)

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_manage(request, obj) and (obj is None or obj.pk != request.user.pk)
