from django.apps import AppConfig


class WardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wards"
    verbose_name = "London: BCUs, boroughs and wards"
