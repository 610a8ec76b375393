"""The one shape of a page that records something of one officer (a duty, an abstraction, rest
days): the officer named by ?officer=, the form, the service that records it (its refusals land in
the form's GOV.UK error summary), then a message and the officer's month."""

from django.contrib import messages
from django.shortcuts import redirect, render

from config.access import EDITOR_ROLES, get_for_user, require_role
from config.forms import posted_data, submit_form
from teams.models import Officer


def officer_from_query(request):
    """The officer named by ?officer=<shoulder number>, for an editor; 404 for outsiders."""
    shoulder_number = request.GET.get("officer")
    if not shoulder_number:
        require_role(request.user, EDITOR_ROLES)
        return None
    return get_for_user(Officer, request.user, edit=True, shoulder_number=shoulder_number)


def month_of(officer, day):
    """The officer's month holding `day` (a London date, or a London date-time)."""
    return redirect("deployment:officer_month", officer.shoulder_number, day.year, day.month)


def record_page(request, form_class, record, template, *, done):
    """A recording page: `record(by=, **form.service_arguments())` for a valid POST, then
    `done(result)` gives (message, officer, day) and the user lands on that officer's month."""
    form = form_class(
        posted_data(request), user=request.user, initial={"officer": officer_from_query(request)}
    )
    saved = submit_form(
        request, form, lambda data: record(by=request.user, **form.service_arguments())
    )
    if not saved:
        return render(request, template, {"form": form})
    message, officer, day = done(saved)
    messages.success(request, message)
    return month_of(officer, day)
