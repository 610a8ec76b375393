"""Pages about where officers' time went: a ward's deployment calendar for a month, an officer's
month of duties, and recording duties and abstractions (rosters: deployment.roster_views; the
pages' shape: deployment.record_views). Reads go through the user's borough scope; writes go
through deployment.duties, whose refusals land in the form's GOV.UK error summary."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from config.access import EDITOR_ROLES, get_for_user, has_role, require_own
from config.datacache import cached_page
from config.listing import (
    Column,
    applied_filters,
    csv_response,
    export_href,
    header_cells,
    wants_csv,
)
from config.timeutils import LONDON, month_bounds
from deployment import calendar, cover, selectors
from deployment.duties import abstraction_record, duty_record
from deployment.filters import AbstractionFilter, DutyFilter
from deployment.forms import AbstractionForm, DutyForm
from deployment.models import Abstraction, Duty, RestDay
from deployment.record_views import record_page
from teams import strength
from teams.history import officer_read_over
from teams.models import Officer
from teams.strength import minimum_cover_text
from wards.models import Borough, Ward

DUTY_COLUMNS = ("Date", "Start", "End", "Hours", "What", "Where", "Belongs to", "Notes")
DUTIES_PER_PAGE = 50
DUTY_LIST_COLUMNS = (
    Column("Officer", sort="officer"),
    Column("Starts", sort="starts"),
    Column("Ends"),
    Column("What", sort="kind"),
    Column("Where", sort="ward"),
)
BELOW_COVER_COLUMNS = ("Officer", "When", "Type and event", "Authorised by", "Cover", "Recorded")
ABSTRACTIONS_PER_PAGE = 25


# --- months ----------------------------------------------------------------------------------


def _month(year, month):
    """(first day, last day, first of the month before, first of the month after); 404 for no
    such month."""
    if year is None:
        today = timezone.localdate()
        year, month = today.year, today.month
    try:
        first, last = month_bounds(year, month)
        before = first - datetime.timedelta(days=1)
        return first, last, before.replace(day=1), last + datetime.timedelta(days=1)
    except (ValueError, OverflowError):
        raise Http404("No such month.") from None


@login_required
@cached_page
def duty_list(request):
    """The duties of the user's boroughs, filtered (a ward or borough by name or code, an
    officer, a kind, days), sorted by column and exported as CSV with the same filters."""
    duties = (
        Duty.objects.for_user(request.user)
        .select_related("officer", "home_ward", "worked_ward")
        .order_by("-starts_at", "pk")
    )
    filterset = DutyFilter(request.GET or None, queryset=duties, request=request)
    if wants_csv(request) and filterset.is_valid():
        header = [c.label for c in DUTY_LIST_COLUMNS] + ["Shoulder number", "Home ward", "Notes"]
        return csv_response("duties.csv", header, filterset.qs, _duty_cells)
    page = Paginator(filterset.qs, DUTIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "deployment/duty_list.html", {
        "filter_form": filterset.form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "columns": header_cells(request, DUTY_LIST_COLUMNS),
        "filter_tags": applied_filters(request, filterset.form),
        "export_href": export_href(request),
    })


def _duty_cells(duty):
    def local(moment):
        return f"{moment.astimezone(LONDON):%d/%m/%Y %H:%M}"

    return [
        f"{duty.officer.rank_title} {duty.officer.full_name}", local(duty.starts_at),
        local(duty.ends_at), duty.get_kind_display(), duty.worked_ward.name,
        duty.officer.shoulder_number, duty.home_ward.name, duty.notes,
    ]


@login_required
@cached_page
def ward_calendar(request, code, year=None, month=None):
    ward = get_for_user(Ward.objects.select_related("borough__bcu"), request.user, code=code)
    first, last, previous, following = _month(year, month)
    return render(
        request,
        "deployment/ward_calendar.html",
        {
            "ward": ward,
            "first": first,
            "previous": previous,
            "next": following,
            "grid": calendar.ward_month(ward, first, last),
            "states": calendar.STATES,
            "today": timezone.localdate(),
            "cover_definition": cover.definitions()["cover"],
            "minimum": strength.minimum_cover(),
            "print_view": request.GET.get("print") == "1",
        },
    )


@login_required
@cached_page
def officer_month(request, shoulder_number, year=None, month=None):
    user = request.user
    first, last, previous, following = _month(year, month)
    # The borough the officer served in then reads its records of them after they have left;
    # recording more for them is their own borough's.
    officer, borough_id = officer_read_over(
        Officer.objects.select_related("borough__bcu"), user, first, last,
        shoulder_number=shoulder_number,
    )
    ours = borough_id == officer.borough_id
    require_own(user, officer.pk == user.officer_id)  # a constable sees their own duties
    duties, totals = calendar.officer_duties(Duty.objects.for_user(user), officer, first, last)
    commitments = selectors.commitments_by_officer([officer.pk], first, last, user=user)
    commitments = commitments[officer.pk]
    rest_days = calendar.officer_rest_days(
        RestDay.objects.for_user(user), officer, first, last, duties
    )
    return render(
        request,
        "deployment/officer_month.html",
        {
            "officer": officer,
            "ours": ours,
            "borough": officer.borough if ours else Borough.objects.get(pk=borough_id),
            "first": first,
            "previous": previous,
            "next": following,
            "duties": duties,
            "totals": totals,
            "commitments": commitments,
            "rest_days": rest_days,
            "columns": DUTY_COLUMNS,
            "can_edit": ours and has_role(user, EDITOR_ROLES),
        },
    )


# --- recording duties, abstractions and rosters -------------------------------------------------


@login_required
def duty_new(request):
    return record_page(
        request, DutyForm, duty_record, "deployment/duty_form.html", done=_duty_recorded
    )


def _duty_recorded(duty):
    day = duty.starts_at.astimezone(LONDON)
    message = (
        f"{duty.get_kind_display()} shift recorded for {duty.officer.full_name} on "
        f"{day:%d %B %Y}."
    )
    return message, duty.officer, day


@login_required
def abstraction_new(request):
    return record_page(
        request, AbstractionForm, abstraction_record, "deployment/abstraction_form.html",
        done=_abstraction_recorded,
    )  # fmt: skip


def _abstraction_recorded(abstraction):
    officer, kind = abstraction.officer, abstraction.abstraction_type
    message = f"Abstraction recorded: {officer.full_name}, {kind}."
    return message, officer, abstraction.starts_at.astimezone(LONDON)


@login_required
def abstractions_below_cover(request):
    """The abstractions recorded after the fact that left a ward below minimum cover, newest
    first: escalated to the borough's Chief Inspectors (each was emailed as it was recorded)."""
    flagged = (
        Abstraction.objects.for_user(request.user)
        .filter(below_cover=True)
        .select_related("officer", "borough", "abstraction_type", "recorded_by")
        .order_by("-starts_at", "-pk")
    )
    filterset = AbstractionFilter(request.GET or None, queryset=flagged, request=request)
    page = Paginator(filterset.qs, ABSTRACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    for abstraction in page.object_list:
        abstraction.london_start = abstraction.starts_at.astimezone(LONDON)
    return render(
        request,
        "deployment/abstractions_below_cover.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "columns": BELOW_COVER_COLUMNS,
            "filter_form": filterset.form,
            "minimum_cover": minimum_cover_text(),
        },
    )
