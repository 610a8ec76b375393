from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    """Safer Schools: which schools get a dedicated Safer Schools officer, ranked by need and
    decided by the borough commander; every other school's point of contact in its ward team."""

    name = "schools"
    verbose_name = "Safer Schools"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from config import panels
        from schools import page_panels

        # After supervision's panels (borough 35, ward 45).
        panels.register(
            "borough", "schools.borough", template="schools/panels/borough.html",
            context=page_panels.borough_panel, order=36,
        )  # fmt: skip
        panels.register(
            "ward", "schools.ward", template="schools/panels/ward.html",
            context=page_panels.ward_panel, order=50,
        )  # fmt: skip
