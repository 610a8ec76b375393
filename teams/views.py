"""Pages for officers, their postings and the integrated teams. Reads go through the user's
borough scope; writes go through teams.services, whose DomainErrors land in the form."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render

from config.access import can_edit, get_for_user
from config.datacache import cached_page
from config.forms import posted_data, submit_form
from config.listing import (
    Column,
    applied_filters,
    csv_response,
    export_href,
    header_cells,
    wants_csv,
)
from teams import services
from teams.filters import OfficerFilter
from teams.forms import (
    OfficerTransferForm,
    PostingCreateForm,
    PostingEndForm,
    PostingMoveForm,
    TransferCancelForm,
)
from teams.models import Officer, OfficerTransfer, Posting, Team
from teams.page_panels import POSTING_COLUMNS, current_postings
from teams.strength import WARD_STRENGTH_COLUMNS, with_strength
from wards.models import Borough, Ward

OFFICERS_PER_PAGE = 50
OFFICER_COLUMNS = (
    Column("Rank"),
    Column("Name", sort="name"),
    Column("Shoulder number", sort="shoulder_number"),
    Column("Borough", sort="borough"),
    Column("Current posting"),
)
HISTORY_COLUMNS = ("Team", "Role", "From", "To", "Recorded by", "Ended by", "")


@login_required
@cached_page
def officer_list(request):
    current = Posting.objects.current().select_related("team").order_by("-is_primary", "team__name")
    officers = (
        Officer.objects.for_user(request.user)
        .select_related("borough")
        .prefetch_related(Prefetch("postings", queryset=current, to_attr="current_postings"))
        .order_by("last_name", "first_name", "pk")
    )
    filterset = OfficerFilter(request.GET or None, queryset=officers, request=request)
    _tailor_filter_form(filterset.form, request.user)
    if wants_csv(request) and filterset.is_valid():
        return csv_response(
            "officers.csv", [c.label for c in OFFICER_COLUMNS], filterset.qs, _officer_cells
        )
    page = Paginator(filterset.qs, OFFICERS_PER_PAGE).get_page(request.GET.get("page"))
    # Planned transfers out of and into the user's boroughs, with why any is held up.
    planned = (
        OfficerTransfer.objects.for_user(request.user)
        .filter(status=OfficerTransfer.Status.PLANNED)
        .select_related("officer", "from_borough", "to_borough")
        .order_by("effective_on", "pk")
    )
    return render(
        request,
        "teams/officer_list.html",
        {
            "planned_transfers": planned,
            "filter_form": filterset.form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "columns": header_cells(request, OFFICER_COLUMNS),
            "filter_tags": applied_filters(request, filterset.form),
            "export_href": export_href(request),
        },
    )


def _officer_cells(officer):
    postings = "; ".join(
        f"{p.team.name} ({p.get_role_display().lower()})" for p in officer.current_postings
    )
    return [officer.rank_title, officer.full_name, officer.shoulder_number,
            officer.borough.name, postings]


def _tailor_filter_form(form, user):
    """Offer the user's boroughs by name in the filter's borough field (it takes an ONS code),
    and "Any" rather than "Unknown" for the yes/no filters."""
    boroughs = Borough.objects.for_user(user).values_list("code", "name")
    form.fields["borough"].label = "Borough"
    form.fields["borough"].widget = forms.Select(choices=[("", "All your boroughs"), *boroughs])
    for name in ("is_detective", "active"):
        form.fields[name].widget.choices = [("unknown", "Any"), ("true", "Yes"), ("false", "No")]


@login_required
@cached_page
def officer(request, shoulder_number):
    officer = get_for_user(
        Officer.objects.select_related("borough__bcu"),
        request.user,
        shoulder_number=shoulder_number,
    )
    postings = (
        Posting.objects.for_user(request.user)
        .filter(officer=officer)
        .select_related("team__ward", "created_by__officer", "ended_by__officer")
        .order_by("-start_date", "-pk")
    )
    transfers = (
        OfficerTransfer.objects.for_user(request.user)
        .filter(officer=officer)
        .select_related("from_borough", "to_borough", "transferred_by__officer")
    )
    return render(
        request,
        "teams/officer.html",
        {
            "officer": officer,
            "postings": postings,
            "transfers": transfers,
            "can_edit": can_edit(request.user),
            "columns": HISTORY_COLUMNS,
        },
    )


@login_required
def officer_move(request, shoulder_number):
    officer = get_for_user(
        Officer.objects.select_related("borough__bcu"),
        request.user,
        edit=True,
        shoulder_number=shoulder_number,
    )
    form = PostingMoveForm(posted_data(request), user=request.user, officer=officer)
    posting = submit_form(
        request, form, lambda data: services.posting_move(officer=officer, by=request.user, **data)
    )
    if posting:
        messages.success(request, f"{officer.full_name} moved to {posting.team}.")
        return redirect(officer)
    return render(request, "teams/officer_move.html", {"form": form, "officer": officer})


@login_required
def officer_transfer(request, shoulder_number):
    officer = get_for_user(
        Officer.objects.select_related("borough__bcu"),
        request.user,
        edit=True,
        shoulder_number=shoulder_number,
    )
    form = OfficerTransferForm(posted_data(request), officer=officer)
    transfer = submit_form(
        request,
        form,
        lambda data: services.officer_transfer(
            officer=officer,
            to_borough=data["borough"],
            effective_on=data["effective_on"],
            reason=data["reason"],
            by=request.user,
        ),
    )
    if transfer and transfer.status == OfficerTransfer.Status.PLANNED:
        messages.success(
            request,
            f"Transfer of {officer.full_name} to {transfer.to_borough} planned for "
            f"{transfer.effective_on:%d %B %Y}. It is done that morning if they are clear of "
            f"{transfer.from_borough} by then.",
        )
        return redirect(officer)
    if transfer:
        messages.success(
            request,
            f"{officer.full_name} transferred to {transfer.to_borough} from "
            f"{transfer.effective_on:%d %B %Y}. Their postings here ended the day before.",
        )
        # The officer page stays visible only if the user also works in the new borough.
        if Officer.objects.for_user(request.user).filter(pk=officer.pk).exists():
            return redirect(officer)
        return redirect("teams:officer_list")
    return render(request, "teams/officer_transfer.html", {"form": form, "officer": officer})


@login_required
def transfer_cancel(request, shoulder_number):
    officer = get_for_user(Officer, request.user, edit=True, shoulder_number=shoulder_number)
    transfer = get_for_user(
        OfficerTransfer.objects.select_related("to_borough"),
        request.user,
        officer=officer,
        status=OfficerTransfer.Status.PLANNED,
    )
    form = TransferCancelForm(posted_data(request))
    cancelled = submit_form(
        request,
        form,
        lambda data: services.officer_transfer_cancel(
            transfer=transfer, reason=data["reason"], by=request.user
        ),
    )
    if cancelled:
        messages.success(request, f"Transfer to {transfer.to_borough} cancelled.")
        return redirect(officer)
    return render(
        request, "teams/transfer_cancel.html", {"form": form, "officer": officer,
                                                "transfer": transfer}
    )


@login_required
def ward_post(request, code):
    ward = get_for_user(
        Ward.objects.select_related("borough__bcu", "team"), request.user, edit=True, code=code
    )
    team = getattr(ward, "team", None)
    if team is None:
        raise Http404("This ward has no neighbourhood team yet.")
    form = PostingCreateForm(posted_data(request), user=request.user, ward=ward)
    posting = submit_form(
        request, form, lambda data: services.posting_create(team=team, by=request.user, **data)
    )
    if posting:
        messages.success(request, f"{posting.officer.full_name} posted to {team}.")
        return redirect(ward)
    return render(request, "teams/ward_post.html", {"form": form, "ward": ward, "team": team})


@login_required
def posting_end(request, pk):
    posting = get_for_user(
        Posting.objects.select_related("officer__borough__bcu", "team"),
        request.user,
        edit=True,
        pk=pk,
    )
    form = PostingEndForm(posted_data(request))
    ended = submit_form(
        request, form, lambda data: services.posting_end(posting=posting, by=request.user, **data)
    )
    if ended:
        messages.success(request, f"Posting to {posting.team} ends on {ended.end_date:%d %B %Y}.")
        return redirect(posting.officer)
    return render(request, "teams/posting_end.html", {"form": form, "posting": posting})


@login_required
@cached_page
def team(request, pk):
    team = get_for_user(
        Team.objects.select_related("borough__bcu", "cluster", "ward"), request.user, pk=pk
    )
    if team.ward_id:
        return redirect(team.ward)
    postings = current_postings(request.user, team)
    wards = with_strength(Ward.objects.for_user(request.user)).select_related("cluster")
    wards = wards.filter(cluster_id=team.cluster_id) if team.cluster_id else wards.none()
    return render(
        request,
        "teams/team.html",
        {
            "team": team,
            "postings": postings,
            "leads": [p for p in postings if p.role == Posting.Role.LEAD],
            "wards": wards.order_by("-below_minimum", "name"),
            "posting_columns": POSTING_COLUMNS,
            "ward_columns": WARD_STRENGTH_COLUMNS,
        },
    )
