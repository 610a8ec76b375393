"""Victims pages: the ward team's and CID's work lists, a crime's page with its victims and the
next step of each offer, recording a crime, the borough's figures and (for HQ) the log of who
viewed victims' details.

Reads start from the user's borough scope. Victim names and contact details are shown only to
staff of the crime's borough with a working need, and each page that shows them logs it."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.access import get_for_user
from config.errors import DomainError
from config.listing import (
    SORT_PARAM,
    Column,
    applied_filters,
    csv_response,
    export_href,
    header_cells,
    wants_csv,
)
from victims import selectors, services
from victims.filters import CrimeFilter
from victims.forms import (
    CloseCrimeForm,
    CompleteForm,
    CrimeForm,
    ErrorSummary,
    FiguresPeriodForm,
    OfferForm,
    ReasonForm,
    RespondForm,
    SatisfactionForm,
    ScheduleForm,
    VictimFormSet,
)
from victims.models import Crime, Victim, VictimViewLog, VisitOffer, VisitTransition
from victims.privacy import (
    can_read_view_log,
    can_see_victims,
    log_views,
    require_victim_worker,
    works_with_victims,
)
from wards.models import Borough, Ward
from wards.page_panels import wards_map

WORK_COLUMNS = (
    Column("Crime", sort="crime"),
    Column("Type", sort="type"),
    Column("Victim"),
    Column("Deadline", sort="deadline"),
    Column("Status"),
    Column("Visit", sort="visit"),
)
WORK_CSV_HEADER = (
    "Section", "Crime", "Type", "Ward", "Victim", "Deadline", "Overdue", "Status", "Attempts",
    "Visit from", "Visit to", "Visiting officer",
)  # fmt: skip
FIGURE_COLUMNS = (
    "", "Victims", "Offer rate", "Offers on time", "Accepted", "Visits completed",
    "Completed on time", "Satisfaction (1-5)", "Repeat victims",
)  # fmt: skip
LOG_COLUMNS = ("When", "Who", "Whose details", "Borough", "Where")
CRIMES_PER_PAGE = 50
CRIME_COLUMNS = (
    Column("Reference", sort="reference"),
    Column("Type", sort="type"),
    Column("Ward", sort="ward"),
    Column("Reported", sort="reported"),
    Column("Status"),
)
VIEW_LOG_PER_PAGE = 50


@login_required
def index(request):
    """The user's boroughs: each ward's open offers, the CID queue and the figures."""
    boroughs = list(Borough.objects.for_user(request.user).order_by("name"))
    wards = Ward.objects.for_user(request.user).select_related("borough").order_by("name")
    open_offers = VisitOffer.objects.for_user(request.user).exclude(
        status__in=("declined", "no_reply", "completed", "cancelled")
    )
    counts = selectors.ward_counts(open_offers)
    by_borough = {b.pk: [] for b in boroughs}
    for ward in wards:
        ward.open_offers = sum(counts.get(ward.pk, {}).values())
        by_borough.setdefault(ward.borough_id, []).append(ward)
    for borough in boroughs:
        borough.victim_wards = [w for w in by_borough.get(borough.pk, []) if w.open_offers]
    return render(
        request,
        "victims/index.html",
        {
            "boroughs": boroughs,
            "can_record": works_with_victims(request.user),
            "can_read_log": can_read_view_log(request.user),
        },
    )


def _work_list_page(request, *, offers, title, borough, ward=None):
    """A work list, in its working order or sorted by a column (`?sort=`), and as CSV
    (`?format=csv`, every section, sorted the same). Victims named on it are logged as viewed."""
    sort = request.GET.get(SORT_PARAM, "")
    order = selectors.work_sort_order(sort)
    work = selectors.work_list(offers, order=order)
    may_see = works_with_victims(request.user)
    rows = [(caption, offer) for caption, offers_of in work.sections() for offer in offers_of]
    if may_see:
        log_views(request.user, [offer.victim for _, offer in rows], where="work list")
    if wants_csv(request):
        name = (ward or borough).code
        return csv_response(
            f"victims-{name}.csv", WORK_CSV_HEADER, rows, lambda row: _work_cells(row, may_see)
        )
    return render(
        request,
        "victims/work_list.html",
        {
            "title": title,
            "borough": borough,
            "ward": ward,
            "work": work,
            "may_see": may_see,
            "columns": header_cells(request, WORK_COLUMNS),
            "sort_refused": bool(sort) and order is None,
            "sortable": ", ".join(c.label for c in WORK_COLUMNS if c.sort),
            "export_href": export_href(request),
            "count": len(rows),
            "today": timezone.localdate(),
        },
    )


def _work_cells(row, may_see):
    caption, offer = row
    victim, crime = offer.victim, offer.victim.crime
    officer = offer.officer
    return [
        caption, crime.reference, crime.category.name, crime.ward.name if crime.ward else "",
        victim.name if may_see else f"Victim {victim.pk}",
        f"{offer.due_date:%d/%m/%Y}", offer.is_overdue, offer.get_status_display(),
        offer.attempts,
        f"{timezone.localtime(offer.window_start):%d/%m/%Y %H:%M}" if offer.window_start else "",
        f"{timezone.localtime(offer.window_end):%d/%m/%Y %H:%M}" if offer.window_end else "",
        f"{officer.rank_title} {officer.full_name}" if officer else "",
    ]


@login_required
def ward_work_list(request, code):
    ward = get_for_user(Ward.objects.select_related("borough__bcu"), request.user, code=code)
    offers = selectors.queue(request.user, ward=ward)
    return _work_list_page(
        request, offers=offers, title=f"{ward.name}: victims", borough=ward.borough, ward=ward
    )


@login_required
def cid_work_list(request, code):
    borough = get_for_user(Borough.objects.select_related("bcu"), request.user, code=code)
    offers = selectors.queue(request.user, borough=borough)
    return _work_list_page(
        request, offers=offers, title=f"{borough.name} CID: victims", borough=borough
    )


# --- a crime ---------------------------------------------------------------------------------

ACTION_FORMS = {
    "offer": OfferForm,
    "respond": RespondForm,
    "schedule": ScheduleForm,
    "reschedule": ScheduleForm,
    "complete": CompleteForm,
    "miss": ReasonForm,
    "cancel": ReasonForm,
    "satisfaction": SatisfactionForm,
}
ACTION_LABELS = {
    "offer": "Record an offer attempt",
    "respond": "Record the victim's answer",
    "schedule": "Schedule the visit",
    "reschedule": "Reschedule the visit",
    "complete": "Record the visit as done",
    "miss": "Record a missed visit",
    "cancel": "Cancel the visit",
    "satisfaction": "Record satisfaction",
}


def _form_for(action, offer, data=None):
    form_class = ACTION_FORMS[action]
    kwargs = {"offer": offer} if form_class is ScheduleForm else {}
    return form_class(data, prefix=f"o{offer.pk}-{action}", **kwargs)


def _actions(offer, failed=None):
    """(action, label, form) for each step that may follow; the failed one keeps its errors."""
    names = services.next_actions(offer)
    if offer.status == "completed" and offer.satisfaction is None:
        names = ["satisfaction"]
    rows = []
    for name in names:
        form = failed[1] if failed and failed[0] == name else _form_for(name, offer)
        rows.append((name, ACTION_LABELS[name], form))
    return rows


def _crime(request, pk):
    victims = Victim.objects.select_related(
        "offer__officer", "offer__offered_by", "offer__satisfaction_recorded_by"
    ).order_by("pk")
    return get_for_user(
        Crime.objects.select_related("category", "borough__bcu", "ward").prefetch_related(
            Prefetch("victims", victims)
        ),
        request.user,
        pk=pk,
    )


def _render_crime(request, crime, *, failed=None, close_form=None, status=200):
    may_see = can_see_victims(request.user, crime)
    if close_form is None and may_see and not crime.closed_at:
        close_form = CloseCrimeForm(prefix="close")
    victims = list(crime.victims.all())
    transitions = VisitTransition.objects.filter(offer__victim__crime=crime).select_related(
        "by__officer"
    )
    timeline = {}
    for t in transitions:
        timeline.setdefault(t.offer_id, []).append(t)
    for victim in victims:
        victim.timeline = timeline.get(victim.offer.pk, [])
        victim.actions = []
        victim.earlier = []
        if may_see:
            victim.actions = _actions(
                victim.offer, failed if failed and failed[2] == victim.offer.pk else None
            )
            if victim.is_repeat and not victim.anonymised_at:
                victim.earlier = list(services.earlier_crimes(victim, request.user))
    if may_see:
        log_views(request.user, victims, where="crime page")
    form = failed[1] if failed else close_form if close_form and close_form.is_bound else None
    context = {
        "crime": crime,
        "victims": victims,
        "may_see": may_see,
        "form": form,
        "close_form": close_form,
    }
    return render(request, "victims/crime.html", context, status=status)


@login_required
def crime_detail(request, pk):
    return _render_crime(request, _crime(request, pk))


def take_step(action, offer, by, data):
    """The service of each step of an offer, called by name (so each caller can be found)."""
    match action:
        case "offer":
            return services.offer_make(offer=offer, by=by, **data)
        case "respond":
            return services.offer_respond(offer=offer, by=by, **data)
        case "schedule":
            return services.visit_schedule(offer=offer, by=by, **data)
        case "reschedule":
            return services.visit_reschedule(offer=offer, by=by, **data)
        case "complete":
            return services.visit_complete(offer=offer, by=by, **data)
        case "miss":
            return services.visit_miss(offer=offer, by=by, **data)
        case "cancel":
            return services.visit_cancel(offer=offer, by=by, **data)
        case "satisfaction":
            return services.visit_record_satisfaction(offer=offer, by=by, **data)
    raise PermissionDenied("No such step.")


@login_required
@require_POST
def offer_action(request, pk, action):
    if action not in ACTION_FORMS:
        raise PermissionDenied("No such step.")
    offer = get_for_user(
        VisitOffer.objects.select_related("victim__crime__ward", "victim__crime__borough"),
        request.user,
        pk=pk,
    )
    require_victim_worker(request.user, offer.victim.crime)
    form = _form_for(action, offer, request.POST)
    if form.is_valid():
        try:
            take_step(action, offer, request.user, form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return redirect(f"{offer.victim.crime.get_absolute_url()}#victim-{offer.victim_id}")
    crime = _crime(request, offer.victim.crime_id)
    return _render_crime(request, crime, failed=(action, form, offer.pk), status=400)


@login_required
@require_POST
def crime_close(request, pk):
    crime = _crime(request, pk)
    require_victim_worker(request.user, crime)
    form = CloseCrimeForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.crime_close(crime=crime, by=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Crime {crime.reference} is closed.")
            return redirect(crime)
    return _render_crime(request, crime, close_form=form, status=400)


@login_required
def crime_list(request):
    """Every crime of the user's boroughs, found again by reference, ward, type and the days it
    was reported (and by a victim's name, for the roles that see victims: logged), sortable and
    exported as CSV with the same filters. Not cached: a victim search is logged each time."""
    crimes = (
        Crime.objects.for_user(request.user)
        .select_related("category", "ward", "borough")
        .order_by("-reported_at", "-pk")
    )
    filterset = CrimeFilter(request.GET or None, queryset=crimes, request=request)
    form = filterset.form
    if wants_csv(request) and filterset.is_valid():
        header = [c.label for c in CRIME_COLUMNS] + ["Borough", "Occurred"]
        return csv_response("crimes.csv", header, filterset.qs, _crime_cells)
    page = Paginator(filterset.qs, CRIMES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "victims/crime_list.html",
        {
            "filter_form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "columns": header_cells(request, CRIME_COLUMNS),
            "filter_tags": applied_filters(request, form),
            "export_href": export_href(request),
            "can_record": works_with_victims(request.user),
            "can_search_victims": works_with_victims(request.user),
        },
    )


def _crime_cells(crime):
    return [
        crime.reference, crime.category.name, crime.ward.name if crime.ward else "",
        f"{timezone.localtime(crime.reported_at):%d/%m/%Y %H:%M}",
        "Closed" if crime.closed_at else "Open", crime.borough.name,
        f"{timezone.localtime(crime.occurred_at):%d/%m/%Y %H:%M}",
    ]


@login_required
def crime_new(request):
    if not works_with_victims(request.user):
        raise PermissionDenied("Only borough staff record crimes and victims.")
    data = request.POST if request.method == "POST" else None
    form = CrimeForm(data, user=request.user)
    victims = VictimFormSet(data, prefix="victims")
    locating = data is not None and "locate" in data
    if locating:  # "Show on the map": the postcode's point, the rest of the form unchecked
        form.is_valid()
        form.only_place_errors()
        _unchecked(victims)
    elif data is not None and all([form.is_valid(), victims.is_valid()]):
        try:
            crime = services.crime_create(
                **form.cleaned_data, victims=victims.victim_inputs(), by=request.user
            )
        except services.VictimError as exc:
            victims.add_victim_error(exc)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return redirect(crime)
    if locating:
        summary = ErrorSummary(form)
    else:
        summary = ErrorSummary(form, *victims.forms, non_form_errors=victims.non_form_errors())
    context = {"form": form, "victims": victims, "summary": summary, **_crime_map(form, request)}
    return render(
        request, "victims/crime_form.html", context, status=400 if summary.errors else 200
    )


def _unchecked(victims) -> None:
    """The victims as typed, their errors kept for the record itself (not the map step)."""
    for victim in victims.forms:
        victim.errors.clear()
    victims.non_form_errors().clear()


def _crime_map(form, request) -> dict:
    """The user's wards on a map to place the crime on, and the point placed so far (the
    postcode's centre or a click): the map refines the postcode, never replaces it."""
    wards = Ward.objects.for_user(request.user).only("code", "name", "boundary")
    point = form.point() if form.is_bound else None
    return {**wards_map(wards.order_by("name")), "map_point": point}


# --- figures and the view log ----------------------------------------------------------------


@login_required
def borough_figures(request, code):
    borough = get_for_user(Borough.objects.select_related("bcu"), request.user, code=code)
    period = FiguresPeriodForm(request.GET or None)
    today = timezone.localdate()
    first, last = today.replace(day=1) - datetime.timedelta(days=365), today
    if period.is_valid():
        first = period.cleaned_data["date_from"] or first
        last = period.cleaned_data["date_to"] or last
    offers = selectors.offers_in(
        VisitOffer.objects.for_user(request.user), borough=borough, first=first, last=last
    )
    figures = selectors.borough_figures(offers)
    context = {
        "borough": borough,
        "figures": figures,
        "total_rows": [figures.total],
        "columns": FIGURE_COLUMNS,
        "period": period,
        "first": first,
        "last": last,
    }
    return render(request, "victims/figures.html", context)


@login_required
def view_log(request):
    if not can_read_view_log(request.user):
        raise PermissionDenied("The log of views of victims' details is for HQ.")
    logs = VictimViewLog.objects.select_related("user__officer", "victim__crime__borough").order_by(
        "-at", "-pk"
    )
    page = Paginator(logs, VIEW_LOG_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "columns": LOG_COLUMNS,
    }
    return render(request, "victims/view_log.html", context)
