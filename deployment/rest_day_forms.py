"""The rest days form: one officer's rest day, or a run of dates (a week's pattern, say). It only
parses; deployment.rest_days holds the rules, whose refusals land in the error summary."""

from config.forms import DateField
from config.limits import PLANNED
from deployment.forms import DeploymentForm, _officer_field
from teams.models import Officer


class RestDayForm(DeploymentForm):
    officer = _officer_field()
    date = DateField(
        kind=PLANNED,
        label="Rest day",
        error_messages={"required": "Enter the date of the rest day"},
    )
    last_date = DateField(
        kind=PLANNED,
        required=False,
        label="Last rest day (optional)",
        help_text="For a run of rest days, the last of them, for example 3 12 2026. Leave "
        "empty for one day.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (
            Officer.objects.for_user(user).filter(active=True).order_by("last_name", "first_name")
        )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"officer": data["officer"], "first": data["date"], "last": data["last_date"]}
