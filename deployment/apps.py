from django.apps import AppConfig


def _link_only(obj, request) -> dict:
    return {}


class DeploymentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "deployment"
    verbose_name = "SN deployment: duties, abstractions and flex"

    def ready(self):
        from config import panels
        from deployment.transfer_checks import officer_committed
        from teams.signals import officer_leaving_borough

        officer_leaving_borough.connect(officer_committed, dispatch_uid="deployment")

        from deployment import page_panels

        page_panels.register()
        panels.register(
            "ward", "deployment.calendar", template="deployment/panels/ward_calendar.html",
            context=_link_only, order=20,
        )
