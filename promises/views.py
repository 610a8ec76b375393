"""Pages for promises and their delivery, the quick activity log, ward priorities, panel
meetings, engagement events and places. Reads go through the user's borough scope; writes go
through promises.services, whose DomainErrors land in the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from config import datacache
from config.access import (
    EDITOR_ROLES,
    can_edit,
    get_for_user,
    is_constable,
    require_own,
    require_role,
)
from config.datacache import cached_page
from config.errors import DomainError
from config.forms import posted_data, submit_form
from config.import_views import csv_import_page
from config.listing import (
    Column,
    applied_filters,
    csv_response,
    export_href,
    header_cells,
    wants_csv,
)
from config.timeutils import today
from promises import services
from promises.delivery import AT_RISK, MISSED, deliveries
from promises.filters import PromiseFilter
from promises.forms import (
    ActivityForm,
    EventForm,
    PanelMeetingForm,
    PlaceForm,
    PlaceImportForm,
    PriorityActionForm,
    PriorityForm,
    PromiseEndForm,
    PromiseForm,
)
from promises.models import Activity, EngagementEvent, PanelMeeting, Promise, WardPriority
from promises.places_import import import_places
from promises.services import ACTIVITY_LOGGER_ROLES
from teams.authority import own_ward, own_ward_ids, team_officer_ids
from wards import services as wards_services
from wards.models import Borough, Ward

PROMISES_PER_PAGE = 50
PROMISE_COLUMNS = (
    Column("Promise", sort="title"),
    Column("Borough", sort="borough"),
    Column("Where"),
    Column("Kind", sort="kind"),
    Column("Runs", sort="runs"),
    Column("This period"),
)
PROMISE_CSV_HEADER = (
    "Promise", "Borough", "Where", "Kind", "Starts", "Ends", "Done this period",
    "Target this period", "Status",
)  # fmt: skip
DELIVERY_COLUMNS = ("Promise", "Where", "Period", "Done", "Status")
ACTIVITY_COLUMNS = ("When", "What", "Where", "Officers", "Recorded by")
PRIORITY_COLUMNS = ("Issue", "Action", "Agreed", "Last acted on", "State", "")


def running_promises(user, on=None):
    on = on or today()
    return (
        Promise.objects.for_user(user)
        .filter(start__lte=on)
        .exclude(end__lt=on)
        .select_related("ward", "team", "borough")
    )


@login_required
@cached_page
def promise_list(request):
    promises = Promise.objects.for_user(request.user).select_related("ward", "team", "borough")
    filterset = PromiseFilter(
        request.GET or None, queryset=promises.order_by("title", "pk"), request=request
    )
    if wants_csv(request) and filterset.is_valid():
        return csv_response(
            "promises.csv", PROMISE_CSV_HEADER, _with_delivery(filterset.qs), _promise_cells
        )
    page = Paginator(filterset.qs, PROMISES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "promises/promise_list.html",
        {
            "filter_form": filterset.form,
            "page": page,
            "rows": _with_delivery(page.object_list),
            "columns": header_cells(request, PROMISE_COLUMNS),
            "filter_tags": applied_filters(request, filterset.form),
            "export_href": export_href(request),
            "page_range": page.paginator.get_elided_page_range(page.number),
            "can_edit": can_edit(request.user),
            "boroughs": Borough.objects.for_user(request.user).only("code", "name"),
        },
    )


def _with_delivery(promises) -> list[tuple]:
    """(promise, its delivery this period or None), in the list's order."""
    promises = list(promises)
    by_pk = {d.promise.pk: d for d in deliveries(promises)}
    return [(p, by_pk.get(p.pk)) for p in promises]


def _promise_cells(row):
    promise, delivery = row
    return [
        promise.title, promise.borough.name, promise.where, promise.get_kind_display(),
        promise.start.isoformat(), promise.end.isoformat() if promise.end else "",
        delivery.done if delivery else "", delivery.target if delivery else "",
        delivery.status_label if delivery else "Not running",
    ]


@login_required
@cached_page
def promise(request, pk):
    promise = get_for_user(
        Promise.objects.select_related(
            "ward__borough__bcu",
            "team",
            "borough__bcu",
            "owner_user__officer",
            "owner_officer",
            "panel_meeting",
            "place",
        ),
        request.user,
        pk=pk,
    )
    if is_constable(request.user):
        owned = Promise.objects.filter(pk=promise.pk).of_wards(own_ward_ids(request.user))
        require_own(request.user, owned.exists())
    delivery = next(iter(deliveries([promise])), None)
    activities = (
        Activity.objects.for_user(request.user)
        .filter(promises=promise)
        .select_related("ward", "place", "recorded_by__officer")
        .prefetch_related("officers")[:50]
    )
    return render(
        request,
        "promises/promise.html",
        {
            "promise": promise,
            "delivery": delivery,
            "activities": activities,
            "activity_columns": ACTIVITY_COLUMNS,
            "can_edit": can_edit(request.user),
        },
    )


@login_required
def promise_end(request, pk):
    """End a promise on a given day, saying why. Promises are ended, never deleted."""
    promise = get_for_user(
        Promise.objects.select_related("ward__borough__bcu", "team", "borough__bcu"),
        request.user,
        edit=True,
        pk=pk,
    )
    form = PromiseEndForm(posted_data(request), initial={"end": today()})
    ended = submit_form(
        request,
        form,
        lambda data: services.promise_end(promise=promise, by=request.user, **data),
    )
    if ended:
        last_day = f"{ended.end.day} {ended.end:%B %Y}"
        messages.success(request, f"Promise “{ended.title}” ends on {last_day}.")
        return redirect(ended)
    return render(request, "promises/promise_end.html", {"form": form, "promise": promise})


@login_required
def promise_create(request):
    require_role(request.user, EDITOR_ROLES)
    form = PromiseForm(posted_data(request), user=request.user)
    if request.method == "GET" and request.GET.get("ward", "").replace("\x00", ""):
        form.initial["ward"] = (
            Ward.objects.for_user(request.user)
            .filter(code=request.GET["ward"].replace("\x00", ""))
            .values_list("pk", flat=True)
            .first()
        )
    created = submit_form(
        request,
        form,
        lambda data: services.promise_create(by=request.user, **form.service_kwargs()),
    )
    if created:
        messages.success(request, f"Promise “{created.title}” recorded.")
        return redirect(created)
    return render(request, "promises/promise_form.html", {"form": form})


@login_required
def activity_log(request):
    """The quick log, made for one thumb on a phone: the user's own ward and the user themselves
    come chosen, so a patrol is "Patrol", "Log it". Another ward is one "Change ward" away."""
    user = request.user
    require_role(user, ACTIVITY_LOGGER_ROLES)
    ward = _activity_ward(request)
    if ward is not None and is_constable(user):
        require_own(user, ward.pk in own_ward_ids(user))
    form = ActivityForm(posted_data(request) if ward else None, user=user, ward=ward)
    if ward is not None and request.method == "POST":
        activity = submit_form(request, form, lambda data: _log(user, ward, data))
        if activity:
            messages.success(request, f"{activity.get_kind_display()} logged in {ward}.")
            return redirect("promises:ward_delivery", code=ward.code)
    context = {"form": form, "ward": ward}
    if ward is None:
        wards = Ward.objects.for_user(user).select_related("borough").defer("boundary")
        if is_constable(user):
            wards = wards.filter(pk__in=own_ward_ids(user))
        context["wards"] = wards
    else:
        context["officers"] = form.officer_groups(me=user.officer_id,
                                                  team=team_officer_ids(ward))
    return render(request, "promises/activity_form.html", context)


def _activity_ward(request):
    """The ward asked for (posted, or ?ward=), else the user's own ward; None: ask which."""
    code = request.POST.get("ward_code") or request.GET.get("ward")
    if code:
        return get_for_user(Ward.objects.select_related("borough"), request.user, code=code)
    if request.method == "GET" and "choose" not in request.GET:
        return own_ward(request.user)
    return None


def _log(user, ward, data):
    data = {k: v for k, v in data.items() if k != "ward"}
    return services.activity_log(ward=ward, by=user, **data)


@login_required
@cached_page
def ward_delivery(request, code):
    user = request.user
    ward = get_for_user(Ward.objects.select_related("borough__bcu", "cluster"), user, code=code)
    if is_constable(user):
        require_own(user, ward.pk in own_ward_ids(user))
    results = deliveries(running_promises(user).of_ward(ward))
    return render(
        request,
        "promises/ward_delivery.html",
        {
            "ward": ward,
            "deliveries": results,
            "priorities": WardPriority.objects.for_user(user)
            .filter(ward=ward)
            .select_related("ward"),
            "meetings": PanelMeeting.objects.for_user(user).filter(ward=ward)[:5],
            "events": _events_to_come(user, ward),
            "can_edit": can_edit(user),
            "columns": DELIVERY_COLUMNS,
            "priority_columns": PRIORITY_COLUMNS,
        },
    )


def _events_to_come(user, ward) -> list:
    """The ward's next events, not yet ended; the kept page (config.datacache) is made again
    when the first of them ends."""
    events = list(
        EngagementEvent.objects.for_user(user).filter(ward=ward, ends_at__gte=timezone.now())[:10]
    )
    if events:
        datacache.changes_at(min(event.ends_at for event in events))
    return events


@login_required
@cached_page
def borough_delivery(request, code):
    borough = get_for_user(Borough.objects.select_related("bcu"), request.user, code=code)
    results = deliveries(running_promises(request.user).filter(borough=borough))
    return render(
        request,
        "promises/borough_delivery.html",
        {
            "borough": borough,
            "deliveries": results,
            "missed": sum(1 for d in results if d.status == MISSED),
            "at_risk": sum(1 for d in results if d.status == AT_RISK),
            "columns": DELIVERY_COLUMNS,
        },
    )


def _ward_for_edit(request, code):
    return get_for_user(
        Ward.objects.select_related("borough__bcu"), request.user, edit=True, code=code
    )


def _ward_form(request, code, form_class, save, *, title, submit, done, **form_kwargs):
    """A form for a ward's record: on success a message and back to the ward's delivery page."""
    ward = _ward_for_edit(request, code)
    form = form_class(posted_data(request), **form_kwargs)
    saved = submit_form(request, form, lambda data: save(ward, data))
    if saved:
        messages.success(request, done)
        return redirect("promises:ward_delivery", code=ward.code)
    return render(
        request,
        "promises/ward_form.html",
        {"form": form, "ward": ward, "title": title, "submit": submit},
    )


@login_required
def priority_create(request, code):
    return _ward_form(
        request,
        code,
        PriorityForm,
        lambda ward, data: services.priority_create(ward=ward, by=request.user, **data),
        title="Add a ward priority",
        submit="Add priority",
        done="Priority added.",
    )


@login_required
def panel_meeting_create(request, code):
    ward = _ward_for_edit(request, code)
    return _ward_form(
        request,
        code,
        PanelMeetingForm,
        lambda ward, data: services.panel_meeting_record(ward=ward, by=request.user, **data),
        title="Record a ward panel meeting",
        submit="Record meeting",
        done="Meeting recorded.",
        ward=ward,
        user=request.user,
    )


@login_required
def event_create(request, code):
    return _ward_form(
        request,
        code,
        EventForm,
        lambda ward, data: services.event_create(ward=ward, by=request.user, **data),
        title="Add an engagement event",
        submit="Add event",
        done="Event added.",
    )


@login_required
def place_create(request, code):
    return _ward_form(
        request,
        code,
        PlaceForm,
        lambda ward, data: wards_services.place_create(ward=ward, by=request.user, **data),
        title="Add a place",
        submit="Add place",
        done="Place added.",
    )


@login_required
def priority_action(request, pk):
    priority = get_for_user(
        WardPriority.objects.select_related("ward__borough__bcu"), request.user, edit=True, pk=pk
    )
    form = PriorityActionForm(posted_data(request), initial={"action": priority.action})
    saved = submit_form(
        request,
        form,
        lambda data: services.priority_record_action(priority=priority, by=request.user, **data),
    )
    if saved:
        messages.success(request, "Action recorded.")
        return redirect("promises:ward_delivery", code=priority.ward.code)
    return render(
        request,
        "promises/ward_form.html",
        {
            "form": form,
            "ward": priority.ward,
            "title": "Record action on a priority",
            "submit": "Record action",
            "caption": priority.issue,
        },
    )


@login_required
@require_POST
def priority_close(request, pk):
    priority = get_for_user(
        WardPriority.objects.select_related("ward"), request.user, edit=True, pk=pk
    )
    try:
        services.priority_close(priority=priority, by=request.user)
        messages.success(request, "Priority closed; it stays in the ward's history.")
    except DomainError as exc:
        messages.info(request, exc.message)
    return redirect("promises:ward_delivery", code=priority.ward.code)


@login_required
def place_import(request):
    return csv_import_page(request, form_class=PlaceImportForm, load=import_places,
                           template="promises/place_import.html", noun="places")  # fmt: skip
