from django.apps import AppConfig


class DemandConfig(AppConfig):
    name = "demand"
    verbose_name = "Demand: crime, ASB and calls"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from config import panels
        from demand import page_panels

        # Next to the ward's promises and priorities (promises.links, 30).
        panels.register(
            "ward", "demand.ward", template="demand/panels/ward_demand.html",
            context=page_panels.ward_demand_panel, order=35,
        )  # fmt: skip
        panels.register(
            "borough", "demand.wards_ranked", template="demand/panels/borough_demand.html",
            context=page_panels.borough_demand_panel, order=25,
        )  # fmt: skip
