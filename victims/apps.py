from django.apps import AppConfig


class VictimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "victims"

    def ready(self):
        from teams.signals import officer_leaving_borough
        from victims.transfer_checks import officer_committed

        officer_leaving_borough.connect(officer_committed, dispatch_uid="victims")

        from victims import page_panels

        page_panels.register()
