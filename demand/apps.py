from django.apps import AppConfig


class DemandConfig(AppConfig):
    name = "demand"
    verbose_name = "Demand: crime, ASB and calls"
    default_auto_field = "django.db.models.BigAutoField"
