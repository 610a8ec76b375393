from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """What combines demand with deployment: demand profiles against SN officer-hours."""

    name = "planning"
    verbose_name = "Planning: demand against deployment"
    default_auto_field = "django.db.models.BigAutoField"
