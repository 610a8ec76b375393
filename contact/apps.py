from django.apps import AppConfig


class ContactConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "contact"
    verbose_name = "Contact your team"

    def ready(self):
        from contact import page_panels

        page_panels.register()
