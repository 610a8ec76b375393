from django.apps import AppConfig


class WardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wards"
    verbose_name = "London: BCUs, boroughs and wards"

    def ready(self):
        from config import panels
        from wards.views import places_panel

        panels.register(
            "ward", "wards.places", template="wards/panels/places.html",
            context=places_panel, order=90,
        )
