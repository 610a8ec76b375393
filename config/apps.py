from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ConfigConfig(AppConfig):
    """The project's wiring, installed as an app for one table of its own: the email outbox
    (config/mail.py), which every app's notifications go through."""

    default = True  # INSTALLED_APPS' "config" (AdminConfig below is named in full)
    default_auto_field = "django.db.models.BigAutoField"
    name = "config"
    verbose_name = "Configuration"


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site that keeps "view on site" within the user's boroughs."""

    default = False

    default_site = "config.admin.ScopedAdminSite"
