"""Pages recording and deleting rest days (deployment.rest_days holds the rules; a refusal lands
in the form's GOV.UK error summary). Outsiders meet 404, readers 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from config.access import get_for_user
from deployment.models import RestDay
from deployment.record_views import month_of, record_page
from deployment.rest_day_forms import RestDayForm
from deployment.rest_days import rest_day_delete, rest_day_record


@login_required
def rest_day_new(request):
    return record_page(
        request, RestDayForm, rest_day_record, "deployment/rest_day_form.html",
        done=_rest_days_recorded,
    )  # fmt: skip


def _rest_days_recorded(saved):
    first, officer = saved[0], saved[0].officer
    what = f"{first.day:%d %B %Y}" if len(saved) == 1 else (
        f"{len(saved)} days from {first.day:%d %B %Y} to {saved[-1].day:%d %B %Y}"
    )
    return f"Rest days recorded for {officer.full_name}: {what}.", officer, first.day


@login_required
def rest_day_remove(request, pk):
    rest_day = get_for_user(
        RestDay.objects.select_related("officer"), request.user, edit=True, pk=pk
    )
    if request.method == "POST":
        rest_day_delete(rest_day=rest_day, by=request.user)
        messages.success(
            request,
            f"Rest day of {rest_day.officer.full_name} on {rest_day.day:%d %B %Y} deleted.",
        )
        return month_of(rest_day.officer, rest_day.day)
    return render(request, "deployment/rest_day_delete.html", {"rest_day": rest_day})
