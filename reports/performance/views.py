"""Performance pages: one per level (ward, borough, BCU, London) with the month's measures, their
ratings and the rules, 12-month trend charts (and the same figures as a table), and the level's
commentary; the printable one-page ward summary; HQ's bands; the survey upload.

Readers: anyone signed in, within their boroughs (outsiders 404); London is HQ's (others 403).
Commentary writers: reports.access.COMMENTARY_ROLES.

The level pages and the ward summary are kept whole per user and session (config.datacache's
cached_page) until a table they read is written: rendering the trend table and charts cost far
more than the kept figures behind them."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse

from config.access import has_role, require_role
from config.datacache import cached_page
from config.errors import DomainError
from config.timeutils import today
from promises.delivery import deliveries
from promises.models import PanelMeeting, Promise, WardPriority
from reports import services
from reports.access import BAND_EDITOR_ROLES, may_comment
from reports.measures import add_months
from reports.performance import bands
from reports.performance.areas import Area, area_for
from reports.performance.confidence import IMPORTER_ROLES, import_confidence
from reports.performance.figures import area_months_kept
from reports.performance.forms import BandFormSet, CommentaryForm, ConfidenceUploadForm
from reports.performance.models import Commentary, Level, RatingBand
from wards.models import BCU, Borough, Ward


def default_month() -> datetime.date:
    """The last whole month."""
    return add_months(today().replace(day=1), -1)


def month_asked(raw: str | None) -> tuple[datetime.date, str | None]:
    """The month the page was asked for, else the last whole month and why."""
    if not raw:
        return default_month(), None
    try:
        return services.parse_month(raw), None
    except DomainError as exc:
        return default_month(), exc.message


def _url(area: Area, month: datetime.date) -> str:
    name = f"reports:performance_{area.level}"
    args = [] if area.level == Level.LONDON else [area.code]
    return f"{reverse(name, args=args)}?month={month:%Y-%m}"


def _children(area: Area) -> list[tuple[str, str]]:
    """(name, URL) of the areas one level down."""
    if area.level == Level.LONDON:
        return [(str(b), reverse("reports:performance_bcu", args=[b.code]))
                for b in BCU.objects.order_by("name")]
    if area.level == Level.BCU:
        return [(b.name, reverse("reports:performance_borough", args=[b.code]))
                for b in Borough.objects.filter(pk__in=area.borough_ids).order_by("name")]
    if area.level == Level.BOROUGH:
        return [(w.name, reverse("reports:performance_ward", args=[w.code]))
                for w in Ward.objects.filter(borough=area.borough).order_by("name")]
    return []


def chart_data(months, band_of) -> list[dict]:
    """Per measure: the rated percentage month by month (null where grey) and the band."""
    out = []
    for measure in bands.Measure:
        band = band_of.get(measure)
        out.append({
            "measure": measure.value, "label": measure.label, "rated": bands.RATED[measure],
            "months": [f"{m.month:%b %Y}" for m in months],
            "values": [m.by_measure[measure].rated_value for m in months],
            "green": str(band.green_limit) if band else None,
            "amber": str(band.amber_limit) if band else None,
        })
    return out


def _commentary_save(area, month, form, user) -> None:
    with transaction.atomic():
        Commentary.objects.update_or_create(
            level=area.level, area_code=area.code, month=month,
            defaults={"text": form.cleaned_data["text"], "written_by": user},
        )


def level_page(request, level: str, code: str = ""):
    area = area_for(request.user, level, code)
    month, month_error = month_asked(request.GET.get("month") or request.POST.get("month"))
    can_comment = may_comment(request.user, level)
    commentary = (Commentary.objects.filter(level=level, area_code=area.code, month=month)
                  .select_related("written_by__officer").first())
    form = CommentaryForm(request.POST or None, instance=commentary)
    if request.method == "POST":
        if not can_comment:
            raise PermissionDenied("Your role does not write this level's commentary.")
        if month_error is None and form.is_valid():
            _commentary_save(area, month, form, request.user)
            messages.success(request, "Commentary saved.")
            return redirect(_url(area, month))
    months = area_months_kept(area, month)
    band_of = {b.measure: b for b in RatingBand.objects.all()}
    return render(request, "reports/performance/level.html", {
        "area": area, "month": month, "month_error": month_error, "months": months,
        "current": months[-1], "charts": chart_data(months, band_of),
        "commentary": commentary, "form": form, "can_comment": can_comment,
        "children": _children(area),
        "can_import": has_role(request.user, IMPORTER_ROLES),
        "previous_url": _url(area, add_months(month, -1)),
        "next_url": _url(area, add_months(month, 1)) if month < default_month() else None,
    })


@login_required
@cached_page
def london(request):
    return level_page(request, Level.LONDON)


@login_required
@cached_page
def bcu(request, code):
    return level_page(request, Level.BCU, code)


@login_required
@cached_page
def borough(request, code):
    return level_page(request, Level.BOROUGH, code)


@login_required
@cached_page
def ward(request, code):
    return level_page(request, Level.WARD, code)


@login_required
def band_list(request):
    """HQ changes the bands; everyone else reads them (and the rule they make)."""
    may_edit = has_role(request.user, BAND_EDITOR_ROLES)
    formset = BandFormSet(request.POST or None, queryset=RatingBand.objects.order_by("pk"))
    if request.method == "POST":
        require_role(request.user, BAND_EDITOR_ROLES)
        if formset.is_valid():
            with transaction.atomic():
                for form in formset.forms:
                    if form.has_changed():
                        form.instance.updated_by = request.user
                        form.save()
            messages.success(request, "Bands saved.")
            return redirect("reports:performance_bands")
    rows = [(form, bands.rule_text(form.instance.measure, form.instance),
             bands.COUNTED[form.instance.measure]) for form in formset
            if form.instance.pk is not None]  # a tampered form is said above the table
    return render(request, "reports/performance/bands.html", {
        "formset": formset, "rows": rows, "may_edit": may_edit,
    })


@login_required
def confidence_upload(request):
    require_role(request.user, IMPORTER_ROLES)
    form = ConfidenceUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = import_confidence(form.cleaned_data["file"], user=request.user)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            if result.imported:
                messages.success(request, f"{result.imported} survey results imported.")
    return render(request, "reports/performance/confidence.html",
                  {"form": form, "result": result})


def _ward_promises(user, ward, on):
    running = (Promise.objects.for_user(user).filter(start__lte=on).exclude(end__lt=on)
               .of_ward(ward).select_related("ward", "team", "borough"))
    return deliveries(running, on)


@login_required
@cached_page
def ward_summary(request, code):
    """One printable page for the ward panel's quarterly meeting: the open priorities, the
    promises running, the quarter's demand (crime and ASB against the year before) and the
    latest month's performance."""
    area = area_for(request.user, Level.WARD, code)
    month, month_error = month_asked(request.GET.get("month"))
    quarter_first = add_months(month, -((month.month - 1) % 3))
    months = area_months_kept(area, month, n=(month.month - 1) % 3 + 1)
    ward = area.ward
    return render(request, "reports/performance/ward_summary.html", {
        "area": area, "ward": ward, "month": month, "month_error": month_error,
        "quarter": f"{quarter_first.year} Q{(quarter_first.month - 1) // 3 + 1}",
        "quarter_first": quarter_first, "months": months, "current": months[-1],
        "priorities": WardPriority.objects.for_user(request.user).filter(ward=ward)
        .open().order_by("issue_date"),
        "promises": _ward_promises(request.user, ward, today()),
        "last_meeting": PanelMeeting.objects.for_user(request.user).filter(ward=ward)
        .order_by("-date").first(),
        "printed": today(),
    })
