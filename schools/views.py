"""The borough's Safer Schools page: the weights and number of officers, every school ranked with
its score, the criteria used and missing, and its allocation; the decisions recorded with their
review dates; for its commander, the weights and decision forms. And the per-school import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from config.access import EDITOR_ROLES, get_for_user, has_role
from config.forms import posted_data, submit_form
from config.import_views import csv_import_page
from config.timeutils import today
from schools import services
from schools.forms import DecisionForm, ImportForm, WeightsForm, decision_initial
from schools.importing import import_schools
from schools.models import AllocationDecision
from schools.recommendation import recommend
from wards.models import Borough


def _post(request, borough, forms):
    weights_form, decision_form = forms
    if not has_role(request.user, services.DECIDER_ROLES):
        raise PermissionDenied("Only the borough's commander decides the Safer Schools allocation.")
    if request.POST.get("action") == "weights":
        saved = submit_form(request, weights_form, lambda data: services.weights_save(
            borough=borough, values=data, by=request.user))  # fmt: skip
        message = "Weights saved: the ranking below uses them."
    else:
        saved = submit_form(request, decision_form, lambda data: services.allocation_record(
            borough=borough, effective_from=data["effective_from"], rationale=data["rationale"],
            by=request.user, today=today(), officer_urns=decision_form.officer_urns(),
            contacts=decision_form.contacts(),
        ))  # fmt: skip
        message = "Allocation recorded: it is reviewed a year from its date."
    if saved is not None:
        messages.success(request, message)
        return redirect(request.get_full_path())
    return None


@login_required
def schools_page(request, code):
    borough = get_for_user(Borough.objects.select_related("bcu"), request.user, code=code)
    on = today()
    rec = recommend(borough, on=on)
    posted = posted_data(request)
    action = request.POST.get("action") if posted is not None else None
    weights_form = WeightsForm(
        posted if action == "weights" else None,
        initial={**rec.weights.values, "officers": rec.weights.officers},
    )  # fmt: skip
    decision_form = DecisionForm(
        posted if action == "decide" else None, rec=rec, initial=decision_initial(rec, on)
    )
    if posted is not None:
        response = _post(request, borough, (weights_form, decision_form))
        if response is not None:
            return response
    decisions = list(
        AllocationDecision.objects.filter(borough=borough).select_related("decided_by")[:10]
    )
    in_force = next((d for d in decisions if d.effective_from <= on), None)
    return render(request, "schools/schools.html", {
        "borough": borough, "rec": rec, "weights_form": weights_form,
        "decision_form": decision_form, "action": action, "decisions": decisions,
        "in_force": in_force,
        "may_decide": has_role(request.user, services.DECIDER_ROLES),
        "may_import": has_role(request.user, EDITOR_ROLES),
    })  # fmt: skip


@login_required
def school_import(request):
    return csv_import_page(request, form_class=ImportForm, load=import_schools,
                           template="schools/import.html", noun="schools")  # fmt: skip
