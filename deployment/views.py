"""Flex request pages: raising and editing a request, the request page with its actions (submit,
withdraw, decide, review), the inspector's queue and the list. Reads go through the user's
borough scope; writes go through deployment.services, whose refusals land in the page's GOV.UK
error summary. The month and recording pages are in deployment.duty_views."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone

from config.access import get_for_user, has_role, require_role
from config.datacache import cached_page
from config.forms import DateInput, posted_data, submit_form
from deployment import cover, protocol, selectors, services
from deployment import flex_permissions as perms
from deployment.filters import FlexRequestFilter
from deployment.forms import (
    DecisionForm,
    FlexRequestForm,
    ReviewForm,
    SubmitForm,
    WithdrawForm,
)
from deployment.models import FlexOfficer, FlexRequest, FlexStatus
from wards.models import Borough, Ward

FLEXES_PER_PAGE = 25
# How far ahead the flex form shows each officer's existing commitments.
COMMITMENT_HORIZON = datetime.timedelta(weeks=6)
FLEX_COLUMNS = ("Request", "To ward", "Dates", "Officers", "Status", "Requested by")
STATUS_COLOURS = {
    FlexStatus.DRAFT: "grey",
    FlexStatus.SUBMITTED: "blue",
    FlexStatus.APPROVED: "turquoise",
    FlexStatus.ACTIVE: "green",
    FlexStatus.REJECTED: "red",
    FlexStatus.WITHDRAWN: "yellow",
    FlexStatus.ENDED: "purple",
}


def _flexes():
    members = FlexOfficer.objects.select_related("officer", "from_ward").order_by(
        "officer__last_name", "officer__first_name", "pk"
    )
    return FlexRequest.objects.select_related(
        "borough__bcu", "to_ward", "requested_by", "decided_by"
    ).prefetch_related(Prefetch("members", queryset=members))


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
    form = FlexRequestForm(posted_data(request), user=user, borough=borough)
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
    initial = {name: getattr(flex, name) for name in _FLEX_FIELDS}
    initial["officers"] = [m.officer_id for m in flex.members.all()]
    form = FlexRequestForm(posted_data(request), user=user, borough=flex.borough, initial=initial)
    submit = request.POST.get("action") == "submit"

    @transaction.atomic
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
    return render(
        request,
        "deployment/flex_form.html",
        {"form": form, "borough": borough, "flex": flex, "horizon": today + COMMITMENT_HORIZON},
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


def decide_action(request, flex, *, prefix=None):
    may_override = has_role(request.user, perms.COVER_OVERRIDE_ROLES)
    form = DecisionForm(request.POST, prefix=prefix, may_override=may_override)

    def decide(data):
        if data["decision"] == "approve":
            return services.flex_approve(
                flex=flex, by=request.user, reason=data["reason"],
                cover_override_reason=data.get("cover_override_reason", ""),
            )
        return services.flex_reject(flex=flex, by=request.user, reason=data["reason"])

    return form, submit_form(request, form, decide)


def review_action(request, flex, *, prefix=None):
    form = ReviewForm(request.POST, prefix=prefix)
    return form, submit_form(
        request,
        form,
        lambda data: services.flex_review(
            flex=flex, by=request.user, decision=data["decision"], reason=data["reason"]
        ),
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
# The page's forms and the next actions (deployment.services.next_actions) each one takes.
FORM_ACTIONS = {
    "submit": ("submit",),
    "decide": ("approve", "reject"),
    "review": ("review",),
    "withdraw": ("withdraw",),
}
EMPTY_FORMS = {
    "submit": SubmitForm,
    "review": ReviewForm,
    "withdraw": WithdrawForm,
}


def _empty_form(name, user, *, prefix=None):
    if name == "decide":
        may_override = has_role(user, perms.COVER_OVERRIDE_ROLES)
        return DecisionForm(prefix=prefix, may_override=may_override)
    return EMPTY_FORMS[name](prefix=prefix)


def _act(request, flex, action, *, prefix=None):
    """Run the POSTed action's view. Returns (form, fresh flex or None). PermissionDenied from
    the service becomes the 403 page."""
    view = ACTION_VIEWS.get(action)
    if view is None:
        raise Http404("No such action.")
    form, done = view(request, flex, prefix=prefix)
    if done:
        if action == "review" and done.status == FlexStatus.ACTIVE:
            outcome = "reviewed: it continues"
        else:
            outcome = ACTION_DONE.get(done.status, done.get_status_display().lower())
        messages.success(request, f"Flex request #{done.pk} {outcome}.")
    return form, done


def with_next_actions(flex, user, today):
    """Set `flex.next`: {action name: NextAction} (deployment.services.next_actions), and
    `flex.blocked`: those this user may not take, with who may and why not."""
    actions = services.next_actions(flex, user, today)
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
    flex = get_for_user(_flexes(), user, pk=pk)
    acting = acting_action = None
    if request.method == "POST":
        acting_action = request.POST.get("action", "")
        acting, done = _act(request, flex, acting_action)
        if done:
            return redirect(done)
    with_next_actions(flex, user, timezone.localdate())
    forms_by_action = {
        name: acting if name == acting_action else _empty_form(name, user)
        for name in _forms_allowed(flex)
    }
    warnings = None
    if flex.status in protocol.PENDING_STATUSES:
        warnings = _of_its_borough(flex, cover.queue_warnings([flex])[flex.pk])
    return render(
        request,
        "deployment/flex_detail.html",
        {
            "flex": flex,
            "form": acting,
            "forms": forms_by_action,
            "warnings": warnings,
            "gap_summary": summarise_gaps(warnings.gaps) if warnings else [],
            "transitions": flex.transitions.select_related("by"),
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

QUEUE_ACTIONS = ("decide", "review")


@login_required
@cached_page
def flex_queue(request):
    """Submitted requests of the user's boroughs, oldest first, each with its conflicts and cover
    warnings and the decision form; then the reviews due (FlexRequest.objects.reviews_due)."""
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
    flexes = list(
        _flexes()
        .for_user(user)
        .filter(Q(status=FlexStatus.SUBMITTED) | Q(pk__in=reviews_due))
        .order_by("submitted_at", "pk")
    )
    pending = [f for f in flexes if f.status == FlexStatus.SUBMITTED]
    reviews = sorted(
        (f for f in flexes if f.status != FlexStatus.SUBMITTED), key=lambda f: (f.review_due, f.pk)
    )
    warnings = cover.queue_warnings(pending)

    def form_for(flex, name):
        with_next_actions(flex, user, today)
        if name not in _forms_allowed(flex):
            return None
        if flex.pk == acting_pk and acting is not None:
            return acting
        return _empty_form(name, user, prefix=f"{name}-{flex.pk}")

    for flex in pending:
        flex.warnings = _of_its_borough(flex, warnings[flex.pk])
        flex.gap_summary = summarise_gaps(flex.warnings.gaps)
        flex.form = form_for(flex, "decide")
        flex.waiting_days = (today - timezone.localdate(flex.submitted_at)).days
    for flex in reviews:
        flex.form = form_for(flex, "review")
    return render(
        request,
        "deployment/flex_queue.html",
        {"pending": pending, "reviews": reviews, "form": acting, "today": today},
    )


# --- the list of requests -----------------------------------------------------------------------


@login_required
@cached_page
def flex_list(request):
    flexes = _flexes().for_user(request.user).order_by("-created_at", "-pk")
    filterset = FlexRequestFilter(request.GET or None, queryset=flexes)
    _tailor_filter_form(filterset.form, request.user)
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
            "columns": FLEX_COLUMNS,
            "colours": STATUS_COLOURS,
            "can_raise": has_role(request.user, perms.REQUESTER_ROLES),
            "can_decide": has_role(request.user, perms.DECIDER_ROLES),
        },
    )


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
