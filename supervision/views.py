"""The borough's shared-supervision page: the weights, each ward's workload, the recommended
groups with their reasons beside today's, the objective for both, the decisions recorded, and,
for commanders of the borough, the weights and decision forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from config.access import get_for_user, has_role
from config.errors import DomainError
from config.forms import posted_data, submit_form
from config.listing import csv_response
from config.timeutils import today
from supervision import pdf, services
from supervision.arrangement import available_sergeants
from supervision.forms import ConsultationForm, DecisionForm, GroupsForm, WeightsForm
from supervision.models import Consultation, SupervisionDecision
from supervision.recommendation import compare, recommend
from wards.models import Borough


def _recommendation(borough, groups_form):
    groups = groups_form.cleaned_data.get("groups") if groups_form.is_valid() else None
    try:
        return recommend(borough, groups=groups, on=today())
    except DomainError as exc:
        groups_form.add_error("groups", exc.message)
        return recommend(borough, on=today())


def _initial(rec) -> dict:
    initial = {"effective_from": today()}
    for number, cluster in enumerate(rec.clusters, start=1):
        for code in cluster.codes:
            initial[f"ward_{code}"] = str(number)
    return initial


def _post(request, borough, rec, forms):
    weights_form, decision_form, consultation_form = forms
    if not has_role(request.user, services.DECIDER_ROLES):
        raise PermissionDenied("Only the borough's commander decides supervision.")
    if request.POST.get("action") == "consultation":
        saved = submit_form(request, consultation_form, lambda data: (
            services.consultation_record(borough=borough, by=request.user, today=today(), **data)
        ))  # fmt: skip
        message = "Consultation recorded."
    elif request.POST.get("action") == "weights":
        saved = submit_form(request, weights_form, lambda data: services.weights_save(
            borough=borough, values=data, by=request.user))  # fmt: skip
        message = "Weights saved: the workload below uses them."
    else:
        saved = submit_form(request, decision_form, lambda data: services.decision_record(
            borough=borough, recommendation=rec, groups=decision_form.ward_groups(),
            effective_from=data["effective_from"], rationale=data["rationale"],
            by=request.user, today=today(), sergeants=decision_form.named_sergeants(),
        ))  # fmt: skip
        message = "Decision recorded: the sergeants' supervision follows from its date."
    if saved is not None:
        messages.success(request, message)
        return redirect(request.get_full_path())
    return None


def _compared(posted, rec, decision_form):
    """The options side by side for the groups the commander adjusted (nothing recorded), and
    the form again, unbound, holding what they entered."""
    for name in decision_form.ward_fields:
        decision_form.fields[name].clean(posted.get(name))  # a bad group number: ValidationError
    kept = {name: posted.get(name) for name in decision_form.fields}
    groups: dict[str, list[str]] = {}
    for name in decision_form.ward_fields:
        groups.setdefault(posted.get(name), []).append(name.removeprefix("ward_"))
    options = compare(rec, [groups[k] for k in sorted(groups, key=int)])
    return options, kept


def _compare_page(posted, rec, decision_form, form_args):
    """The options and the decision form for a "Compare": the form unbound with what was
    entered, or bound with the groups' error alone (the date and rationale are not asked yet)."""
    try:
        options, kept = _compared(posted, rec, decision_form)
    except (DomainError, ValidationError) as exc:
        form = DecisionForm(posted, **form_args)
        form.is_valid()
        for field in form.other_fields() + form.sergeant_bound_fields():
            form.errors.pop(field.name, None)
        form.add_error(None, getattr(exc, "message", None) or exc.messages[0])
        return None, form
    return options, DecisionForm(initial=kept, **form_args)


@login_required
def recommendation_page(request, code):
    borough = get_for_user(Borough.objects.select_related("bcu"), request.user, code=code)
    groups_form = GroupsForm(request.GET)
    rec = _recommendation(borough, groups_form)
    may_decide = has_role(request.user, services.DECIDER_ROLES)
    posted = posted_data(request)
    action = request.POST.get("action") if posted is not None else None
    weights_form = WeightsForm(posted if action == "weights" else None, initial=rec.weights.values)
    form_args = {
        "wards": [w.ward for w in rec.loads], "n_groups": rec.problem.k,
        "sergeants": available_sergeants(borough.pk, today()) if may_decide else (),
    }  # fmt: skip
    decision_form = DecisionForm(
        posted if action == "decide" else None, initial=_initial(rec), **form_args
    )
    consultation_form = ConsultationForm(posted if action == "consultation" else None)
    options = None
    if posted is not None and action == "compare":
        if not may_decide:
            raise PermissionDenied("Only the borough's commander decides supervision.")
        options, decision_form = _compare_page(posted, rec, decision_form, form_args)
    elif posted is not None:
        forms = (weights_form, decision_form, consultation_form)
        response = _post(request, borough, rec, forms)
        if response is not None:
            return response
    decisions = (
        SupervisionDecision.objects.filter(borough=borough)
        .select_related("decided_by")
        .prefetch_related("groups__wards", "groups__sergeant")[:10]
    )
    return render(request, "supervision/recommendation.html", {
        "borough": borough, "rec": rec, "groups_form": groups_form,
        "weights_form": weights_form, "decision_form": decision_form,
        "may_decide": may_decide,
        "decisions": decisions, "action": action, "consultation_form": consultation_form,
        "options": options,
        "consultations": Consultation.objects.filter(borough=borough)
        .select_related("recorded_by")[:50],
    })  # fmt: skip


CSV_COLUMNS = [
    "group", "group_workload", "ward_code", "ward", "crimes", "asb_calls", "hospitals",
    "colleges", "nightclubs", "sn_bases", "ward_workload", "reasons",
]  # fmt: skip


@login_required
def proposal_csv(request, code):
    """The proposal for consultation: one line per ward, with its group and the reasons."""
    borough = get_for_user(Borough, request.user, code=code)
    groups_form = GroupsForm(request.GET)
    rec = _recommendation(borough, groups_form)
    name = f"supervision_{borough.code}_{today():%Y-%m-%d}.csv"
    loads = rec.by_code
    lines = [
        (number, cluster, loads[ward_code])
        for number, cluster in enumerate(rec.clusters, start=1)
        for ward_code in cluster.codes
    ]
    # Through the one CSV helper: place names are typed by people (SN bases), and a cell that
    # starts a formula must reach the spreadsheet as text.
    return csv_response(name, CSV_COLUMNS, lines, lambda line: [
        line[0], round(line[1].workload), line[2].ward.code, line[2].ward.name, line[2].crimes,
        line[2].asb_calls, line[2].places.get("hospital", 0), line[2].places.get("college", 0),
        line[2].places.get("nightclub", 0), "; ".join(line[2].sn_bases), round(line[2].score),
        " ".join(line[1].reasons),
    ])  # fmt: skip


@login_required
def proposal_pdf(request, code):
    """The proposal as a PDF for consultation: what the page and the CSV show."""
    borough = get_for_user(Borough, request.user, code=code)
    rec = _recommendation(borough, GroupsForm(request.GET))
    response = HttpResponse(pdf.proposal_pdf(rec, on=today()), content_type="application/pdf")
    name = f"supervision_{borough.code}_{today():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
