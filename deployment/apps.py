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
        from deployment.cover_panels import borough_cover_today, ward_cover_today

        panels.register(
            "borough", "deployment.cover_today", template="deployment/panels/cover_today.html",
            context=borough_cover_today, order=5,
        )
        panels.register(
            "ward", "deployment.cover_today", template="deployment/panels/cover_today.html",
            context=ward_cover_today, order=15,
        )
