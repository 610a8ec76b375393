"""Report pages: the list by month, a report with charts and tables, its CSV and PDF, producing
one on demand (with its progress), HQ's failed reports, and a borough's Grip and Pace page.

Readers: commanders, HQ, admins, and the borough's chief inspectors and inspectors. Other roles
get 403; a report of a borough the user does not belong to is a 404."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.access import get_for_user, has_role, require_role
from config.datacache import cached_page
from config.errors import DomainError
from config.timeutils import add_months, day_bounds, today
from contact.access import INBOX_ROLES
from contact.models import Message
from demand.selectors import calls_on
from deployment import cover
from deployment.models import Abstraction, FlexRequest, FlexStatus
from reports import definitions, export, services, tasks
from reports.access import (
    REPORT_GENERATOR_ROLES,
    REPORT_READER_ROLES,
    ROLLUP_CHOICE,
    error_for,
    may_generate_reports,
    may_generate_rollup,
    may_read_errors,
)
from reports.filters import MonthlyReportFilter
from reports.measures import hm, pct
from reports.models import MonthlyReport
from reports.pdf import report_pdf
from reports.performance.figures import report_section
from wards.models import Borough, Ward

READERS = REPORT_READER_ROLES
REPORTS_PER_PAGE = 50


def _report(request, pk) -> MonthlyReport:
    return get_for_user(
        MonthlyReport.objects.select_related("borough__bcu", "requested_by"),
        request.user, roles=READERS, pk=pk,
    )



@login_required
@cached_page
def report_list(request):
    require_role(request.user, READERS)
    return render(request, "reports/report_list.html", _list_context(request))


def _list_context(request) -> dict:
    reports = MonthlyReport.objects.for_user(request.user).listed().select_related("borough")
    filterset = MonthlyReportFilter(request.GET or None, queryset=reports, request=request)
    page = Paginator(filterset.qs, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    this_month = today().replace(day=1)
    return {
        "filter_form": filterset.form,
        "page": page,
        "boroughs": Borough.objects.for_user(request.user),
        "can_generate": may_generate_reports(request.user),
        "can_generate_rollup": may_generate_rollup(request.user),
        # The months to choose from while typing (select or type): the last twelve.
        "month_choices": [add_months(this_month, -n) for n in range(12)],
    }


@login_required
@cached_page
def report_detail(request, pk):
    report = _report(request, pk)
    versions = MonthlyReport.objects.filter(
        borough=report.borough_id, month=report.month
    ).listed().order_by("-version")
    return render(request, "reports/report_detail.html", {
        "report": report,
        "figures": report.figures,
        "versions": versions,
        "chart_data": _chart_data(report) if report.figures else None,
        "can_generate": may_generate_reports(request.user)
        and (report.borough_id or may_generate_rollup(request.user)),
        "definitions": definitions.definitions(),
        "performance": report_section(report) if report.status == MonthlyReport.Status.READY
        else None,
        "datastore_columns": export.DATASTORE_COLUMNS,
        "ward_columns": export.WARD_COLUMNS,
    })


def _chart_data(report) -> dict:
    figures = report.figures
    areas = figures["boroughs"] if figures["kind"] == "rollup" else figures["wards"]
    name = "borough" if figures["kind"] == "rollup" else "ward"
    # Percentages as stored (rounded once; none stays none, no bar, as the tables show "–") and
    # minutes, each with the words the tables show it in: a bar's length is drawn from the
    # number, its label is the figure as every other surface shows it ("16:00", not 16.0).
    return {
        "target": figures["target_percent"],
        "target_shown": pct(figures["target_percent"]),
        "areas": [a[name] for a in areas],
        "rates": [a["abstraction_rate"] for a in areas],
        "rates_shown": [pct(a["abstraction_rate"]) for a in areas],
        "flows": [
            {"label": f"{f['from_ward']} → {f['to_ward']}",
             "minutes": f["authorised_minutes"], "shown": hm(f["authorised_minutes"])}
            for f in figures.get("flex", {}).get("flows", []) if f["authorised_minutes"]
        ],
        "trend": [{"month": t["month"], "rate": t["abstraction_rate"],
                   "shown": pct(t["abstraction_rate"])} for t in figures["trend"]],
    }


@login_required
def report_status(request, pk):
    """For the page's progress poll (and the API's status URL)."""
    report = _report(request, pk)
    return JsonResponse({
        "id": report.pk,
        "status": report.status,
        "status_display": report.get_status_display(),
        "version": report.version,
        "error": error_for(report, request.user),
        "url": report.get_absolute_url(),
    })


@login_required
@require_POST
def report_generate(request):
    """Ask for a borough's month now (or a new version of it), or, for London-wide roles, the
    roll-up ("all"); the page then shows progress."""
    require_role(request.user, REPORT_GENERATOR_ROLES)  # a role that may not: 403, whatever asked
    code = request.POST.get("borough", "")
    if code == ROLLUP_CHOICE:
        if not may_generate_rollup(request.user):
            raise PermissionDenied("Only HQ asks for the Met-wide roll-up.")
        borough = None
    else:
        borough = get_for_user(Borough, request.user, code=code)
    try:
        month = services.parse_month(request.POST.get("month", ""))
        report = tasks.report_request_and_queue(
            borough=borough, month=month, by=request.user,
            regenerate=request.POST.get("regenerate") == "1",
        )
    except DomainError as exc:
        if exc.field != "month":
            messages.error(request, exc.message)
            return redirect("reports:list")
        # A month that cannot be read is said inline, beside what was typed (kept).
        context = {**_list_context(request), "generate_error": exc.message,
                   "generate_month": request.POST.get("month", ""), "generate_borough": code}
        return render(request, "reports/report_list.html", context, status=400)
    return redirect(report)


@login_required
def report_csv(request, pk):
    report = _ready_or_404(request, pk)
    response = HttpResponse(export.csv_text(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(report, "csv")}"'
    return response


@login_required
def report_wards_csv(request, pk):
    report = _ready_or_404(request, pk)
    response = HttpResponse(export.wards_csv_text(report), content_type="text/csv; charset=utf-8")
    name = export.filename(report, "csv", part="-wards")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_performance_csv(request, pk):
    report = _ready_or_404(request, pk)
    text = export.performance_csv_text(report, report_section(report))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = export.filename(report, "csv", part="-performance")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_pdf_download(request, pk):
    report = _ready_or_404(request, pk)
    response = HttpResponse(report_pdf(report, report_section(report)),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(report, "pdf")}"'
    return response


def _ready_or_404(request, pk):
    report = _report(request, pk)
    if report.status != MonthlyReport.Status.READY:
        raise Http404("This report is not ready yet.")
    return report


@login_required
def report_failures(request):
    """HQ: reports that failed, or whose worker has been silent past the time limit."""
    if not may_read_errors(request.user):
        raise PermissionDenied("Only HQ reads why reports failed.")
    stale = timezone.now() - services.stale_after()
    reports = MonthlyReport.objects.filter(
        Q(status=MonthlyReport.Status.FAILED)
        | Q(status=MonthlyReport.Status.RUNNING, heartbeat_at__lt=stale)
    ).select_related("borough")[:200]
    return render(request, "reports/failures.html", {"reports": reports})


@login_required
@cached_page
def grip_and_pace(request, code):
    """Today's live picture for the borough's senior team."""
    borough = get_for_user(
        Borough.objects.select_related("bcu"), request.user, roles=READERS, code=code
    )
    day = today()
    start, end = day_bounds(day, day)
    wards = list(Ward.objects.filter(borough=borough).order_by("name"))
    return render(request, "reports/grip_and_pace.html", {
        "borough": borough,
        "today": day,
        "waiting": FlexRequest.objects.filter(borough=borough, status=FlexStatus.SUBMITTED)
        .select_related("to_ward").order_by("submitted_at"),
        "reviews_due": FlexRequest.objects.filter(borough=borough)
        .reviews_due(day)
        .select_related("to_ward")
        .order_by("review_due"),
        "abstractions": Abstraction.objects.filter(
            borough=borough, starts_at__lt=end, ends_at__gt=start
        ).select_related("officer", "abstraction_type").order_by("starts_at"),
        "gaps": cover.cover_below_minimum([w.pk for w in wards], day, day),
        "posted_gaps": cover.posted_strength_below_minimum([w.pk for w in wards], day, day),
        # The public's messages waiting past their reply-by date for a first reply: their
        # references only (the messages are personal data, read in the inbox).
        "messages_overdue": Message.objects.filter(borough=borough)
        .overdue(day)
        .select_related("ward")
        .order_by("reply_by", "pk")[:100],
        "may_read_messages": has_role(request.user, INBOX_ROLES),
        "yesterday": day - datetime.timedelta(days=1),
        "calls": calls_on([w.pk for w in wards], day - datetime.timedelta(days=1)),
    })

