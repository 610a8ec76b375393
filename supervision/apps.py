from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Shared supervision: which wards share a sergeant, recommended from demand and decided by
    the borough commander."""

    name = "supervision"
    verbose_name = "Shared supervision"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from config import panels
        from supervision import page_panels

        # After the borough's clusters (teams.clusters, 30); after the ward's team (40).
        panels.register(
            "borough", "supervision.borough", template="supervision/panels/borough.html",
            context=page_panels.borough_panel, order=35,
        )  # fmt: skip
        panels.register(
            "ward", "supervision.ward", template="supervision/panels/ward.html",
            context=page_panels.ward_panel, order=45,
        )  # fmt: skip
