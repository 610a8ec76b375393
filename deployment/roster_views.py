"""Importing a roster from a page: the upload form, what was imported or refused line by line,
and the template CSV. Writes go through deployment.roster."""

import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from config import bulkimport
from config.access import EDITOR_ROLES, require_role
from config.forms import posted_data, submit_form
from config.models import BulkImport
from deployment.forms import RosterUploadForm
from deployment.roster import ROSTER_COLUMNS, roster_example_rows, roster_import, roster_rows
from deployment.tasks import run_roster_import
from wards.models import Ward


@login_required
def roster_upload(request):
    require_role(request.user, EDITOR_ROLES)
    files = request.FILES if request.method == "POST" else None
    form = RosterUploadForm(posted_data(request), files)
    result = submit_form(request, form, lambda data: _import(request, data))
    if isinstance(result, BulkImport):
        return redirect("import_status", result.pk)
    return render(
        request,
        "deployment/roster_upload.html",
        {
            "form": form,
            "result": result,
            "rejected_columns": ("Row", "Problem"),
            "queue_after": settings.IMPORT_IN_REQUEST_MAX_ROWS,
        },
    )


def _import(request, data):
    """A small roster imported now; a large one handed to a worker (its BulkImport)."""
    text = data["roster"]
    return bulkimport.import_or_queue(
        kind="roster", service=roster_import, task=run_roster_import, text=text,
        rows=len(roster_rows(text, request.user)), by=request.user,
        valid_only=data["valid_only"], file_name=getattr(request.FILES.get("roster"), "name", ""),
    )  # fmt: skip


@login_required
def roster_template(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
    writer = csv.writer(response)
    writer.writerow(ROSTER_COLUMNS)
    ward = Ward.objects.for_user(request.user).order_by("borough__name", "name").first()
    writer.writerows(roster_example_rows(ward.name if ward else "Haverstock"))
    return response
