from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project's wiring, installed as an app for one table of its own: the email outbox
    (config/mail.py), which every app's notifications go through."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "config"
    verbose_name = "Configuration"
