"""The Django admin follows the same scoping as every page: a user sees the records of their
boroughs (HQ and admins all London), roles that may only read see the admin read-only, and choices
in forms only offer what the user may see. Django's per-model permissions are not used: the role
decides (config.access). "View on site" redirects only to a record the user may see (the admin
site is ScopedAdminSite, installed by config.apps.AdminConfig)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path

from config.access import can_edit, sees_all_boroughs


def scoped_for_user(queryset: models.QuerySet, user) -> models.QuerySet:
    """`queryset` cut down to what `user` may see. Fails closed: a model with no borough scoping
    (no `for_user`) is visible only to London-wide roles."""
    if hasattr(queryset, "for_user"):
        return queryset.for_user(user)
    return queryset if sees_all_boroughs(user) else queryset.none()


def choices_for_user(db_field, user) -> models.QuerySet:
    """The rows a relation field may offer `user`, with what their labels need joined in (a
    queryset with `for_choices()` says what that is)."""
    queryset = db_field.remote_field.model._default_manager.all()
    if hasattr(queryset, "for_choices"):
        queryset = queryset.for_choices()
    return scoped_for_user(queryset, user)


def is_london_admin(user) -> bool:
    return user.is_active and (user.is_superuser or (sees_all_boroughs(user) and can_edit(user)))


class ScopedAdminMixin:
    """For ModelAdmin classes: rows, foreign-key choices and permissions by the user's role and
    boroughs.

    `reference_data = True` (BCUs, boroughs, wards loaded from ONS files) lets only London-wide
    administrators add, change or delete; everyone else on the admin may view."""

    reference_data = False

    def get_queryset(self, request):
        return scoped_for_user(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", choices_for_user(db_field, request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", choices_for_user(db_field, request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # Permissions: only staff reach the admin (AdminSite checks is_staff); inside it, the role.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def _may_write(self, request) -> bool:
        if not (request.user.is_active and request.user.is_staff):
            return False
        if self.reference_data:
            return is_london_admin(request.user)
        return request.user.is_superuser or can_edit(request.user)

    def has_add_permission(self, request, *args):
        return self._may_write(request)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request)


class ReadOnlyAdminMixin:
    """Before ScopedAdminMixin: rows that change only through their services (pages, the API,
    imports, decisions kept as history). The admin shows them in the user's scope; nobody adds,
    changes or deletes them there, whatever their role."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyScopedAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    pass


class ScopedAdminSite(admin.AdminSite):
    """Django's admin site, whose "view on site" (/admin/r/<content type>/<id>/) redirects only
    to a record the user may see: Django's own redirects for any id, so another borough's
    officers could be walked by shoulder number."""

    def get_urls(self):
        urls = super().get_urls()
        scoped = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [scoped if getattr(url, "name", None) == "view_on_site" else url for url in urls]

    def view_on_site(self, request, content_type_id, object_id):
        model = _model_of(content_type_id)
        queryset = scoped_for_user(model._default_manager.all(), request.user)
        try:
            obj = queryset.get(pk=object_id)
        except (model.DoesNotExist, ValueError, ValidationError):
            raise Http404("No such record.") from None
        if not hasattr(obj, "get_absolute_url"):
            raise Http404("This record has no page.")
        return redirect(obj.get_absolute_url())


def _model_of(content_type_id):
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        model = None
    if model is None:
        raise Http404("No such kind of record.")
    return model
