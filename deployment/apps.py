from django.apps import AppConfig


class DeploymentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "deployment"
    verbose_name = "SN deployment: duties, abstractions and flex"
