"""Demand pages: London's or a borough's wards on a map and in a ranked table, one ward's demand
month by month with police.uk's points, imports with their progress, and the themes and target
HQ keeps. Everything is read through the user's wards; bad filters show the GOV.UK error
summary."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Select
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from config.access import Role, get_for_user, has_role, require_role, sees_all_boroughs
from config.errors import DomainError
from config.listing import csv_response
from demand import maps, selectors, services
from demand.areas import demand_table
from demand.filters import DemandFilter
from demand.forms import ImportForm, TargetForm, ThemeForm
from demand.models import Category, DataImport, ReductionTarget, Theme
from demand.reference import NO_PROSTITUTION_CATEGORY
from wards.models import Borough, Ward, WardCluster

HQ_ROLES = frozenset({Role.HQ, Role.ADMIN})
DEMAND_CSV_COLUMNS = (
    "ward_code", "ward", "borough", "crimes", "crimes_per_1000", "asb", "asb_per_1000",
    "cad_calls", "rank_in_borough", "crimes_year_before", "change",
    "residents_census2021_bestfit", "counting",
)  # fmt: skip
WARD_COLUMNS = (
    "Ward", "Borough", "Crimes", "Crimes per 1,000", "ASB", "ASB per 1,000", "CAD calls",
    "Rank in borough", "Change on a year before",
)  # fmt: skip
IMPORTS_PER_PAGE = 25


def _filter(request, params=None) -> DemandFilter:
    filterset = DemandFilter(
        params if params is not None else request.GET,
        queryset=Ward.objects.for_user(request.user),
        request=request,
    )
    boroughs = Borough.objects.for_user(request.user).order_by("name")
    filterset.form.fields["borough"].widget = Select(
        choices=[("", "All my boroughs")] + [(b.code, b.name) for b in boroughs]
    )
    filterset.form.fields["borough"].label = "Borough"
    clusters = WardCluster.objects.for_user(request.user).select_related("borough")
    filterset.form.fields["cluster"].widget = Select(
        choices=[("", "All wards")] + [(c.pk, f"{c.name} ({c.borough.name})") for c in clusters]
    )
    filterset.form.fields["cluster"].label = "Or a ward cluster"
    return filterset


def _query(request) -> str:
    return request.GET.urlencode()


@login_required
def index(request):
    filterset = _filter(request)
    context = {"form": filterset.form, "freshness": selectors.freshness(), "query": _query(request)}
    if filterset.is_valid():
        try:
            table = demand_table(filterset, request.user)
        except DomainError as exc:
            filterset.form.add_error(exc.field, exc.message)
        else:
            borough_codes = {r.ward.borough.code for r in table.rows}
            london = sees_all_boroughs(request.user) and not filterset.form.cleaned_data["borough"]
            context.update(
                table=table,
                columns=WARD_COLUMNS,
                targets=selectors.target_progress(
                    None if london else [r.ward.pk for r in table.rows]
                ),
                tile_url=settings.MAP_TILE_URL,
                tile_attribution=settings.MAP_TILE_ATTRIBUTION,
                one_borough=len(borough_codes) == 1,
                themes=filterset.themes().values(),
                no_prostitution=NO_PROSTITUTION_CATEGORY,
            )
    return render(request, "demand/index.html", context)


@login_required
def table_csv(request):
    filterset = _filter(request)
    if not filterset.is_valid():
        return HttpResponse(
            "Bad filters: " + filterset.form.errors.as_text(),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    table = demand_table(filterset, request.user)
    name = f"demand_{table.selection.first:%Y-%m}_{table.selection.last:%Y-%m}.csv"
    # Through the one CSV helper: ward and borough names are typed by people, and a cell that
    # starts a formula must reach the spreadsheet as text.
    return csv_response(name, DEMAND_CSV_COLUMNS, table.rows, lambda r: [
        r.ward.code, r.ward.name, r.ward.borough.name, r.crimes, _fmt(r.crimes_rate), r.asb,
        _fmt(r.asb_rate), r.cad_calls, r.rank,
        "" if r.crimes_before is None else r.crimes_before, _fmt(r.change),
        r.residents or "", table.selection.what,
    ])  # fmt: skip


def _fmt(value):
    return "" if value is None else f"{value:.4f}"


@login_required
def ward(request, code):
    ward = get_for_user(
        Ward.objects.select_related("borough__bcu", "population"), request.user, code=code
    )
    filterset = _filter(request)
    context = {"ward": ward, "form": filterset.form, "freshness": selectors.freshness()}
    if filterset.is_valid():
        chosen = filterset.chosen()
        try:
            sel = selectors.selection(
                chosen["first"], chosen["last"], chosen["categories"], chosen["theme"]
            )
        except DomainError as exc:
            filterset.form.add_error(exc.field, exc.message)
        else:
            context.update(_ward_context(request, ward, sel))
    return render(request, "demand/ward.html", context)


def _ward_context(request, ward, sel):
    wards = selectors.ward_infos(Ward.objects.filter(borough_id=ward.borough_id))
    table = selectors.ward_demand(wards, sel, show={ward.pk})
    categories = list(Category.objects.all())
    months = selectors.by_month([ward.pk], sel)
    for month in months:
        month["cells"] = [month["categories"].get(c.pk, 0) for c in categories]
    found = maps.points(ward, sel)
    params = request.GET.copy()
    params["ward"] = ward.code
    return {
        "row": table.rows[0],
        "table": table,
        "selection": sel,
        "categories": categories,
        "months": months,
        "points": found["features"][:50],
        "points_total": found["total"],
        "points_outside": found["outside"],
        "map_query": params.urlencode(),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


# --- imports ------------------------------------------------------------------------------------


@login_required
def imports(request):
    kinds = [k for k in DataImport.Kind.values if services.may_import(request.user, k)]
    form = ImportForm(kinds=kinds)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, kinds=kinds)
        if not kinds:
            raise PermissionDenied("Your role cannot import demand data.")
        if form.is_valid():
            try:
                record = services.import_start(
                    kind=form.cleaned_data["kind"] or None,
                    upload=form.cleaned_data["file"],
                    by=request.user,
                    all_or_nothing=form.cleaned_data["all_or_nothing"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect(record)
    records = DataImport.objects.for_user(request.user).select_related(
        "imported_by__officer", "borough"
    )
    page = Paginator(records.defer("payload"), IMPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "demand/imports.html",
        {"form": form, "page": page, "kinds": kinds, "freshness": selectors.freshness()},
    )


@login_required
def import_detail(request, pk):
    record = get_for_user(
        DataImport.objects.defer("payload").select_related("imported_by__officer"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "demand/import.html",
        {
            "record": record,
            "status_url": reverse("api:demand-import-detail", args=[record.pk]),
        },
    )


# --- themes and the target (HQ) -------------------------------------------------------------------


@login_required
def themes(request):
    return render(
        request,
        "demand/themes.html",
        {
            "themes": Theme.objects.prefetch_related("categories", "at_location_categories"),
            "targets": ReductionTarget.objects.prefetch_related("categories"),
            "progress": selectors.target_progress(),
            "can_edit": has_role(request.user, HQ_ROLES),
            "no_prostitution": NO_PROSTITUTION_CATEGORY,
        },
    )


def _edit(request, form_class, instance, template, saved):
    require_role(request.user, HQ_ROLES)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        if hasattr(obj, "updated_by_id"):
            obj.updated_by = request.user
        obj.save()
        form.save_m2m()
        messages.success(request, saved.format(obj))
        return redirect("demand:themes")
    return render(request, template, {"form": form, "object": instance})


@login_required
def theme_edit(request, slug=None):
    theme = get_object_or_404(Theme, slug=slug) if slug else None
    return _edit(request, ThemeForm, theme, "demand/theme_form.html", "Theme {} saved.")


@login_required
def target_edit(request, pk=None):
    target = get_object_or_404(ReductionTarget, pk=pk) if pk else None
    return _edit(request, TargetForm, target, "demand/target_form.html", "Target {} saved.")
