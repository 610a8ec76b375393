from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ConfigConfig(AppConfig):
    """The project's wiring, installed as an app for one table of its own: the email outbox
    (config/mail.py), which every app's notifications go through."""

    default = True  # INSTALLED_APPS' "config" (AdminConfig below is named in full)
    default_auto_field = "django.db.models.BigAutoField"
    name = "config"
    verbose_name = "Configuration"

    def ready(self):
        from django.db import models
        from rest_framework import serializers

        from config.fields import AnswerDateTimeField

        # Every app's ModelSerializers answer date-times the one way (whole-minute offsets).
        serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = (
            AnswerDateTimeField
        )


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site that keeps "view on site" within the user's boroughs."""

    default = False

    default_site = "config.admin.ScopedAdminSite"
