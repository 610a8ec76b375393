from django.apps import AppConfig


class TeamsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "teams"
    verbose_name = "Teams, officers and postings"

    def ready(self):
        from config import menu
        from teams import (
            page_panels,
            token_revocation,  # noqa: F401  (API tokens follow a user's grants)
        )

        page_panels.register()
        menu.register("teams.officers", "Officers", url="teams:officer_list", order=20)
