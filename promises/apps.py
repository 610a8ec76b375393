from django.apps import AppConfig


def _link_only(obj, request) -> dict:
    return {}


class PromisesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "promises"

    def ready(self):
        from config import lookups, panels
        from promises.lookups import open_priorities
        from promises.transfer_checks import officer_committed
        from teams.signals import officer_leaving_borough

        lookups.provide("ward_priorities", open_priorities)

        officer_leaving_borough.connect(officer_committed, dispatch_uid="promises")

        from promises import page_panels

        page_panels.register()
        panels.register(
            "ward", "promises.links", template="promises/panels/ward_links.html",
            context=_link_only, order=30,
        )
        panels.register(
            "borough", "promises.delivery", template="promises/panels/borough_delivery.html",
            context=_link_only, order=5,
        )
