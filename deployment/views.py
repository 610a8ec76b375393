"""Flex request pages: raising and editing a request, the request page with its actions (submit,
withdraw, decide, review), the inspector's queue and the list. Reads go through the user's
borough scope; writes go through deployment.services, whose refusals land in the page's GOV.UK
error summary. The month and recording pages are in deployment.duty_views."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone

from config.access import get_for_user, has_role, holds_role, require_role
from config.datacache import cached_page
from config.forms import DateInput, posted_data, submit_form
from config.listing import (
    Column,
    applied_filters,
    csv_response,
    export_href,
    header_cells,
    wants_csv,
)
from config.transactions import decision
from deployment import cover, protocol, selectors, services
from deployment import flex_permissions as perms
from deployment.filters import FlexRequestFilter
from deployment.flex_review import pending_change
from deployment.forms import (
    ChangeDecisionForm,
    DecisionForm,
    EndForm,
    FlexRequestForm,
    ReviewForm,
    SubmitForm,
    WithdrawForm,
)
from deployment.models import FlexChange, FlexOfficer, FlexRequest, FlexStatus, FlexTransition
from teams.models import Rank
from wards.models import Borough, Ward

FLEXES_PER_PAGE = 25
# How far ahead the flex form shows each officer's existing commitments.
COMMITMENT_HORIZON = datetime.timedelta(weeks=6)
FLEX_COLUMNS = (
    Column("Request", sort="number"),
    Column("To ward", sort="ward"),
    Column("Dates", sort="dates"),
    Column("Officers"),
    Column("Status", sort="status"),
    Column("Requested", sort="requested"),
)
# The export: the table's columns, split where a cell holds two things, and the problem named.
FLEX_CSV_HEADER = (
    "Request", "Borough", "To ward", "First day", "Last day", "Officers", "Status",
    "Requested by", "Requested on", "Problem",
)  # fmt: skip
STATUS_COLOURS = {
    FlexStatus.DRAFT: "grey",
    FlexStatus.SUBMITTED: "blue",
    FlexStatus.APPROVED: "turquoise",
    FlexStatus.ACTIVE: "green",
    FlexStatus.REJECTED: "red",
    FlexStatus.WITHDRAWN: "yellow",
    FlexStatus.ENDED: "purple",
}


def _flexes(*, with_steps=False):
    """Requests with what their pages show; `with_steps`: also their timeline and changes, which
    next_actions reads (who raised it, a change pending)."""
    members = FlexOfficer.objects.select_related("officer", "from_ward").order_by(
        "officer__last_name", "officer__first_name", "pk"
    )
    flexes = FlexRequest.objects.select_related(
        "borough__bcu", "to_ward", "requested_by__officer", "decided_by__officer"
    ).prefetch_related(Prefetch("members", queryset=members))
    if with_steps:
        # Whether each runs to its review (the queryset's rule, read by next_actions).
        flexes = flexes.with_reaches_review().prefetch_related(
            Prefetch("transitions", FlexTransition.objects.select_related("by__officer")),
            Prefetch("changes", FlexChange.objects.select_related("proposed_by__officer")),
        )
    return flexes


def _form_for(request, user, borough, **kwargs):
    """The raise/edit form, offering the open priorities of the borough's wards."""
    ward_ids = Ward.objects.filter(borough=borough).values_list("pk", flat=True)
    priorities = services.open_priorities(list(ward_ids))
    return FlexRequestForm(
        posted_data(request), user=user, borough=borough, priorities=priorities, **kwargs
    )


# --- raising and editing ----------------------------------------------------------------------


@login_required
def flex_new(request):
    user = request.user
    code = request.GET.get("borough")
    if code:
        borough = get_for_user(
            Borough.objects.select_related("bcu"), user, roles=perms.REQUESTER_ROLES, code=code
        )
    else:
        require_role(user, perms.REQUESTER_ROLES)
        boroughs = list(Borough.objects.for_user(user).select_related("bcu").order_by("name"))
        if len(boroughs) != 1:
            return render(request, "deployment/flex_choose_borough.html", {"boroughs": boroughs})
        borough = boroughs[0]
    form = _form_for(request, user, borough)
    submit = request.POST.get("action") == "submit"

    def save(data):
        return services.flex_create(
            borough=borough, by=user, submit=submit, **{**data, "officers": list(data["officers"])}
        )

    flex = submit_form(request, form, save)
    if flex:
        return _saved(request, flex)
    return _flex_form_page(request, form, borough, flex=None)


@login_required
def flex_edit(request, pk):
    user = request.user
    flex = get_for_user(_flexes(), user, roles=perms.REQUESTER_ROLES, pk=pk)
    if flex.status != FlexStatus.DRAFT:
        messages.info(request, "Only a draft can be changed: this request is decided as it stands.")
        return redirect(flex)
    initial = {name: getattr(flex, name) for name in _FLEX_FIELDS if name != "ward_priority"}
    initial["ward_priority"] = flex.ward_priority_id
    initial["officers"] = [m.officer_id for m in flex.members.all()]
    form = _form_for(request, user, flex.borough, initial=initial)
    submit = request.POST.get("action") == "submit"

    @decision
    def save(data):
        fields = {name: data[name] for name in _FLEX_FIELDS}
        updated = services.flex_update(
            flex=flex, by=user, officers=list(data["officers"]), **fields
        )
        return services.flex_submit(flex=updated, by=user) if submit else updated

    saved = submit_form(request, form, save)
    if saved:
        return _saved(request, saved)
    return _flex_form_page(request, form, flex.borough, flex=flex)


_FLEX_FIELDS = (
    "to_ward", "start_date", "end_date", "daily_start", "daily_end", "problem", "expected_benefit",
    "ward_priority", "intelligence_ref",
)


def _saved(request, flex):
    if flex.status == FlexStatus.SUBMITTED:
        messages.success(
            request,
            f"Flex request #{flex.pk} submitted: the borough's inspectors have been told.",
        )
    else:
        messages.success(request, f"Flex request #{flex.pk} saved as a draft.")
    return redirect(flex)


def _flex_form_page(request, form, borough, *, flex):
    """The form with each officer's home ward and commitments over the coming weeks."""
    today = timezone.localdate()
    officer_ids = list(form.fields["officers"].queryset.values_list("pk", flat=True))
    homes = selectors.home_wards(officer_ids, today)
    held = selectors.commitments_by_officer(
        officer_ids, today, today + COMMITMENT_HORIZON, user=request.user
    )
    form.officer_notes = {pk: (homes.get(pk), held.get(pk, [])) for pk in officer_ids}
    own_home = homes.get(request.user.officer_id)
    return render(
        request,
        "deployment/flex_form.html",
        {"form": form, "borough": borough, "flex": flex, "horizon": today + COMMITMENT_HORIZON,
         # The officer filter (static/js/flex_form.js): the wards officers are posted to, the
         # ranks, and the user's own team's ward first.
         "filter_wards": sorted({w for w in homes.values() if w}, key=lambda w: w.name),
         "filter_ranks": Rank.choices,
         "own_ward_pk": own_home.pk if own_home else ""},
    )


# --- the request page's actions: one view each, called by the request page and the queue -----
#
# Each takes the POST, calls its service and returns (form, the request as the service left it,
# or None when the form or the service refused).


def submit_action(request, flex, *, prefix=None):
    form = SubmitForm(request.POST, prefix=prefix)
    return form, submit_form(
        request, form, lambda data: services.flex_submit(flex=flex, by=request.user)
    )


def _may_override(user, flex) -> bool:
    return perms.refusal_to_accept_gap(user, flex.borough_id) is None


def _deciding(form_class, approve: str, reject: str):
    """The view of a decision form whose button says which: `approve` or `reject`, the names of
    the services (looked up when called)."""

    def action(request, flex, *, prefix=None):
        user = request.user
        form = form_class(request.POST, prefix=prefix, may_override=_may_override(user, flex))

        def decide(data):
            if data["decision"] == "approve":
                return getattr(services, approve)(
                    flex=flex, by=user, reason=data["reason"],
                    cover_override_reason=data.get("cover_override_reason", ""),
                )
            return getattr(services, reject)(flex=flex, by=user, reason=data["reason"])

        return form, submit_form(request, form, decide)

    return action


decide_action = _deciding(DecisionForm, "flex_approve", "flex_reject")
change_action = _deciding(ChangeDecisionForm, "flex_change_approve", "flex_change_reject")


def review_action(request, flex, *, prefix=None):
    form = ReviewForm(request.POST, prefix=prefix, flex=flex)
    return form, submit_form(
        request,
        form,
        lambda data: services.flex_review(flex=flex, by=request.user, **form.service_arguments()),
    )


def end_action(request, flex, *, prefix=None):
    form = EndForm(request.POST, prefix=prefix)
    return form, submit_form(
        request,
        form,
        lambda data: services.flex_end(flex=flex, by=request.user, reason=data["reason"]),
    )


def withdraw_action(request, flex, *, prefix=None):
    form = WithdrawForm(request.POST, prefix=prefix)
    return form, submit_form(
        request,
        form,
        lambda data: services.flex_withdraw(flex=flex, by=request.user, reason=data["reason"]),
    )


ACTION_VIEWS = {
    "submit": submit_action,
    "decide": decide_action,
    "review": review_action,
    "change": change_action,
    "end": end_action,
    "withdraw": withdraw_action,
}
ACTION_DONE = {
    FlexStatus.SUBMITTED: "submitted: the borough's inspectors have been told",
    FlexStatus.APPROVED: "approved",
    FlexStatus.ACTIVE: "approved and active",
    FlexStatus.REJECTED: "refused",
    FlexStatus.WITHDRAWN: "withdrawn",
    FlexStatus.ENDED: "ended",
}
# What the page says a step did, by its timeline entry (FlexTransition.step).
STEP_DONE = {
    FlexTransition.Step.REVIEW_CONTINUE: "reviewed: it continues",
    FlexTransition.Step.REVIEW_CHANGE: "reviewed: the change waits for another Inspector",
    FlexTransition.Step.CHANGE_APPROVE: "changed: the change applies from tomorrow",
    FlexTransition.Step.CHANGE_REJECT: "kept as it was: the change was refused",
}
# The page's forms and the next actions (deployment.services.next_actions) each one takes.
FORM_ACTIONS = {
    "submit": ("submit",),
    "decide": ("approve", "reject"),
    "review": ("review",),
    "change": ("approve_change", "reject_change"),
    "end": ("end",),
    "withdraw": ("withdraw",),
}
EMPTY_FORMS = {
    "submit": SubmitForm,
    "end": EndForm,
    "withdraw": WithdrawForm,
}


def _empty_form(name, user, flex, *, prefix=None):
    if name == "decide":
        return DecisionForm(prefix=prefix, may_override=_may_override(user, flex))
    if name == "change":
        return ChangeDecisionForm(prefix=prefix, may_override=_may_override(user, flex))
    if name == "review":
        return ReviewForm(prefix=prefix, flex=flex)
    return EMPTY_FORMS[name](prefix=prefix)


def _act(request, flex, action, *, prefix=None):
    """Run the POSTed action's view. Returns (form, fresh flex or None). PermissionDenied from
    the service becomes the 403 page."""
    view = ACTION_VIEWS.get(action)
    if view is None:
        raise Http404("No such action.")
    form, done = view(request, flex, prefix=prefix)
    if done:
        last = done.transitions.order_by("-at", "-pk").first()
        outcome = STEP_DONE.get(last.step) if last else None
        outcome = outcome or ACTION_DONE.get(done.status, done.get_status_display().lower())
        messages.success(request, f"Flex request #{done.pk} {outcome}.")
    return form, done


def with_next_actions(flex, user, today, gaps=None):
    """Set `flex.next`: {action name: NextAction} (deployment.services.next_actions), and
    `flex.blocked`: those this user may not take, with who may and why not."""
    actions = services.next_actions(flex, user, today, gaps=gaps)
    flex.next = {action.name: action for action in actions}
    flex.blocked = [action for action in actions if not action.allowed]
    return flex


def _forms_allowed(flex) -> list[str]:
    """The page's forms whose action this user may take now."""
    return [
        name
        for name, names in FORM_ACTIONS.items()
        if any(n in flex.next and flex.next[n].allowed for n in names)
    ]


@login_required
@cached_page
def flex_detail(request, pk):
    user = request.user
    flex = get_for_user(_flexes(with_steps=True), user, pk=pk)
    acting = acting_action = None
    if request.method == "POST":
        acting_action = request.POST.get("action", "")
        acting, done = _act(request, flex, acting_action)
        if done:
            return redirect(done)
    warnings = None
    if flex.status in protocol.PENDING_STATUSES:
        warnings = _of_its_borough(flex, cover.queue_warnings([flex])[flex.pk])
    with_next_actions(flex, user, timezone.localdate(), warnings.gaps if warnings else None)
    forms_by_action = {
        name: acting if name == acting_action else _empty_form(name, user, flex)
        for name in _forms_allowed(flex)
    }
    return render(
        request,
        "deployment/flex_detail.html",
        {
            "flex": flex,
            "form": acting,
            "forms": forms_by_action,
            "warnings": warnings,
            "gap_summary": summarise_gaps(warnings.gaps) if warnings else [],
            "transitions": flex.transitions.all(),
            "change": pending_change(flex),
            "can_edit": "edit" in flex.next and flex.next["edit"].allowed,
            "status_colour": STATUS_COLOURS.get(flex.status, "grey"),
        },
    )


def _of_its_borough(flex, warnings):
    conflicts, gaps = selectors.of_flex_borough(
        flex, conflicts=warnings.conflicts, gaps=warnings.gaps
    )
    return cover.FlexWarnings(conflicts=conflicts, gaps=gaps)


def summarise_gaps(gaps) -> list[dict]:
    """One line per ward: how many days it would be below minimum, first and last, at worst."""
    by_ward = {}
    for gap in gaps:
        by_ward.setdefault(gap.ward.pk, []).append(gap)
    return [
        {
            "ward": ward_gaps[0].ward,
            "days": len(ward_gaps),
            "first": ward_gaps[0].day,
            "last": ward_gaps[-1].day,
            "pcs": min(g.pcs for g in ward_gaps),
            "pcsos": min(g.pcsos for g in ward_gaps),
        }
        for ward_gaps in by_ward.values()
    ]


# --- the inspector's queue ----------------------------------------------------------------------

QUEUE_ACTIONS = ("decide", "review", "change")


@login_required
@cached_page
def flex_queue(request):
    """Submitted requests of the user's boroughs, oldest first, each with its conflicts and cover
    warnings and the decision form; then the changes proposed at reviews, waiting for another
    Inspector; then the reviews due (FlexRequest.objects.reviews_due)."""
    user = request.user
    acting = acting_pk = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in QUEUE_ACTIONS:
            return HttpResponseBadRequest("Unknown action.")
        flex = get_for_user(FlexRequest.objects.select_related("borough"), user,
                            pk=request.POST.get("flex"))
        acting, done = _act(request, flex, action, prefix=f"{action}-{flex.pk}")
        if done:
            return redirect("deployment:flex_queue")
        acting_pk = flex.pk
    today = timezone.localdate()
    reviews_due = FlexRequest.objects.reviews_due(today).values("pk")
    changing = FlexChange.objects.filter(status=FlexChange.Status.PROPOSED).values(
        "flex_request_id"
    )
    flexes = list(
        _flexes(with_steps=True)
        .for_user(user)
        .filter(
            Q(status=FlexStatus.SUBMITTED) | Q(pk__in=reviews_due)
            | Q(status=FlexStatus.ACTIVE, pk__in=changing)
        )
        .order_by("submitted_at", "pk")
    )
    pending = [f for f in flexes if f.status == FlexStatus.SUBMITTED]
    changes = [f for f in flexes if f.status != FlexStatus.SUBMITTED and pending_change(f)]
    reviews = sorted(
        (f for f in flexes if f.status != FlexStatus.SUBMITTED and not pending_change(f)),
        key=lambda f: (f.review_due, f.pk),
    )
    warnings = cover.queue_warnings(pending)

    def form_for(flex, name, gaps=None):
        with_next_actions(flex, user, today, gaps)
        if name not in _forms_allowed(flex):
            return None
        if flex.pk == acting_pk and acting is not None:
            return acting
        return _empty_form(name, user, flex, prefix=f"{name}-{flex.pk}")

    for flex in pending:
        flex.warnings = _of_its_borough(flex, warnings[flex.pk])
        flex.gap_summary = summarise_gaps(flex.warnings.gaps)
        flex.form = form_for(flex, "decide", flex.warnings.gaps)
        flex.waiting_days = (today - timezone.localdate(flex.submitted_at)).days
    for flex in changes:
        flex.change = pending_change(flex)
        flex.form = form_for(flex, "change")
    for flex in reviews:
        flex.form = form_for(flex, "review")
        flex.days_overdue = (today - flex.review_due).days
    return render(
        request,
        "deployment/flex_queue.html",
        {"pending": pending, "changes": changes, "reviews": reviews, "form": acting,
         "today": today},
    )


# --- the list of requests -----------------------------------------------------------------------


@login_required
@cached_page
def flex_list(request):
    flexes = _flexes().for_user(request.user).order_by("-created_at", "-pk")
    filterset = FlexRequestFilter(request.GET or None, queryset=flexes, request=request)
    _tailor_filter_form(filterset.form, request.user)
    if wants_csv(request) and filterset.is_valid():
        return csv_response("flex-requests.csv", FLEX_CSV_HEADER, filterset.qs, _flex_cells)
    page = Paginator(filterset.qs, FLEXES_PER_PAGE).get_page(request.GET.get("page"))
    for flex in page.object_list:
        flex.status_colour = STATUS_COLOURS.get(flex.status, "grey")
    return render(
        request,
        "deployment/flex_list.html",
        {
            "filter_form": filterset.form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "columns": header_cells(request, FLEX_COLUMNS),
            "filter_tags": applied_filters(request, filterset.form),
            "export_href": export_href(request),
            "colours": STATUS_COLOURS,
            "can_raise": has_role(request.user, perms.REQUESTER_ROLES),
            "can_decide": holds_role(request.user, perms.DECIDER_ROLES),
        },
    )


def _flex_cells(flex):
    officers = "; ".join(
        f"{m.officer.rank_title} {m.officer.full_name}"
        + (f" (from {m.from_ward_shown.name})" if m.from_ward_shown else "")
        for m in flex.members.all()
    )
    created = timezone.localtime(flex.created_at).date()
    return [flex.pk, flex.borough.name, flex.to_ward.name, flex.start_date.isoformat(),
            flex.end_date.isoformat(), officers, flex.get_status_display(),
            str(flex.requested_by), created.isoformat(), flex.problem]


def _tailor_filter_form(form, user):
    """Offer the user's boroughs and wards by name (the filter takes ONS codes)."""
    boroughs = Borough.objects.for_user(user).order_by("name").values_list("code", "name")
    wards = (
        Ward.objects.for_user(user)
        .order_by("borough__name", "name")
        .values_list("code", "name", "borough__name")
    )
    form.fields["borough"].label = "Borough"
    form.fields["borough"].widget = forms.Select(choices=[("", "All your boroughs"), *boroughs])
    form.fields["ward"].label = "Ward (to or from)"
    form.fields["ward"].widget = forms.Select(
        choices=[("", "Any ward"), *((code, f"{name} ({b})") for code, name, b in wards)]
    )
    form.fields["status"].widget = forms.CheckboxSelectMultiple(
        choices=form.fields["status"].choices
    )
    for name, label in (("date_from", "Running on or after"), ("date_to", "Running on or before")):
        form.fields[name].label = label
        form.fields[name].widget = DateInput(format="%Y-%m-%d")
    del form.fields["officer"]
