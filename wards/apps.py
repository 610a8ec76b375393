from django.apps import AppConfig


class WardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wards"
    verbose_name = "London: BCUs, boroughs and wards"

    def ready(self):
        from config import panels
        from wards import page_panels

        panels.register(
            "ward", "wards.places", template="wards/panels/places.html",
            context=page_panels.ward_places_panel, order=90,
        )  # fmt: skip
        panels.register(
            "borough", "wards.map", template="wards/panels/borough_map.html",
            context=page_panels.borough_map_panel, order=15,
        )  # fmt: skip
