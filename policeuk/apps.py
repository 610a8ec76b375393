from django.apps import AppConfig


class PoliceUkConfig(AppConfig):
    name = "policeuk"
    verbose_name = "Public API (data.police.uk compatible)"
    default_auto_field = "django.db.models.BigAutoField"
