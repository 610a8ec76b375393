"""Pages recording and deleting rest days (deployment.rest_days holds the rules; a refusal lands
in the form's GOV.UK error summary). Outsiders meet 404, readers 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from config.access import get_for_user
from config.forms import posted_data, submit_form
from deployment.duty_views import _officer_from_query
from deployment.models import RestDay
from deployment.rest_day_forms import RestDayForm
from deployment.rest_days import rest_day_delete, rest_day_record


def _month_of(officer, day):
    return redirect("deployment:officer_month", officer.shoulder_number, day.year, day.month)


@login_required
def rest_day_new(request):
    officer = _officer_from_query(request)
    form = RestDayForm(posted_data(request), user=request.user, initial={"officer": officer})
    saved = submit_form(
        request, form, lambda data: rest_day_record(by=request.user, **form.service_arguments())
    )
    if saved:
        first, officer = saved[0], saved[0].officer
        what = f"{first.day:%d %B %Y}" if len(saved) == 1 else (
            f"{len(saved)} days from {first.day:%d %B %Y} to {saved[-1].day:%d %B %Y}"
        )
        messages.success(request, f"Rest days recorded for {officer.full_name}: {what}.")
        return _month_of(officer, first.day)
    return render(request, "deployment/rest_day_form.html", {"form": form})


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
        return _month_of(rest_day.officer, rest_day.day)
    return render(request, "deployment/rest_day_delete.html", {"rest_day": rest_day})
