"""Importing a roster from a page: the upload form, what was imported or refused line by line,
and the template CSV. Writes go through deployment.roster."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from config.access import EDITOR_ROLES, require_role
from config.forms import posted_data, submit_form
from deployment.forms import RosterUploadForm
from deployment.roster import ROSTER_COLUMNS, roster_example_rows, roster_import
from wards.models import Ward


@login_required
def roster_upload(request):
    require_role(request.user, EDITOR_ROLES)
    files = request.FILES if request.method == "POST" else None
    form = RosterUploadForm(posted_data(request), files)
    result = submit_form(
        request,
        form,
        lambda data: roster_import(
            text=data["roster"], by=request.user, valid_only=data["valid_only"]
        ),
    )
    return render(
        request,
        "deployment/roster_upload.html",
        {"form": form, "result": result, "rejected_columns": ("Row", "Problem")},
    )


@login_required
def roster_template(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
    writer = csv.writer(response)
    writer.writerow(ROSTER_COLUMNS)
    ward = Ward.objects.for_user(request.user).order_by("borough__name", "name").first()
    writer.writerows(roster_example_rows(ward.name if ward else "Haverstock"))
    return response
