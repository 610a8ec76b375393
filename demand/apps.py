from django.apps import AppConfig


class DemandConfig(AppConfig):
    name = "demand"
    verbose_name = "Demand: crime, ASB and calls"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from config import menu, panels
        from config.access import Role
        from demand import page_panels

        menu.register("demand.index", "Demand", url="demand:index", order=45)
        panels.register(
            "home", "demand.imports", template="demand/panels/home_imports.html",
            context=page_panels.home_imports, roles={Role.STAFF}, order=3,
        )  # fmt: skip
        # Next to the ward's promises and priorities (promises.links, 30).
        panels.register(
            "ward", "demand.ward", template="demand/panels/ward_demand.html",
            context=page_panels.ward_demand_panel, order=35,
        )  # fmt: skip
        panels.register(
            "borough", "demand.wards_ranked", template="demand/panels/borough_demand.html",
            context=page_panels.borough_demand_panel, order=25,
        )  # fmt: skip
