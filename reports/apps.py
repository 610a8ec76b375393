from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    label = "reports"
    verbose_name = "Monthly SNT abstraction and flex reports"

    def ready(self):
        from reports import page_panels

        page_panels.register()
