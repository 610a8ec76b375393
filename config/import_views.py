"""Following a large import (config.bulkimport): its status in the API and its page, seen only
by users of the boroughs it was made for (404 for anyone else). And the page of a small CSV
import that saves the good rows and lists the others (places, schools)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from config.access import EDITOR_ROLES, get_for_user, require_role
from config.models import BulkImport


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The line of the file (the header is line 1).")
    field = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class BulkImportSerializer(serializers.ModelSerializer):
    errors = ImportErrorSerializer(many=True, help_text="The first 200 rejected rows.")
    status_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = BulkImport
        fields = [
            "id", "kind", "status", "valid_only", "file_name", "rows_total", "rows_done",
            "rows_created", "error_count", "errors", "failure", "created_at", "started_at",
            "finished_at", "status_url", "page_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_status_url(self, job) -> str:
        return reverse("api:import-detail", args=[job.pk])

    def get_page_url(self, job) -> str:
        return reverse("import_status", args=[job.pk])


class BulkImportDetail(generics.RetrieveAPIView):
    """A large import's progress: its state, rows read so far of the total, rows created, and
    the rows rejected (row, field, message; the first 200), with when it started and finished.
    Poll it (every two seconds is plenty) until the status is done or failed."""

    serializer_class = BulkImportSerializer

    def get_object(self):
        return get_for_user(BulkImport.objects.defer("payload"), self.request.user, **self.kwargs)


def queued_answer(job) -> Response:
    """The API's answer to an upload handed to a worker: 202, where to follow it."""
    data = BulkImportSerializer(job).data
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["status_url"]})


QUEUED_RESPONSE = {202: BulkImportSerializer}


@login_required
def import_status(request, pk):
    job = get_for_user(BulkImport.objects.defer("payload"), request.user, pk=pk)
    # Who imported it by rank and name (their username is for audit views only).
    importer = (
        get_user_model().objects.select_related("officer").filter(pk=job.user_id).first()
    )
    return render(
        request,
        "imports/status.html",
        {
            "job": job,
            "importer": importer,
            "status_url": reverse("api:import-detail", args=[job.pk]),
        },
    )


def csv_import_page(request, *, form_class, load, template: str, noun: str):
    """Editors upload the file (`form_class`, its field `file`); `load(file, user=)` answers a
    report of the rows created, updated and rejected, which the page shows
    (includes/import_report.html)."""
    require_role(request.user, EDITOR_ROLES)
    form = form_class(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = load(form.cleaned_data["file"], user=request.user)
        if report.created or report.updated:
            messages.success(
                request, f"{len(report.created)} {noun} added, {len(report.updated)} updated."
            )
    return render(request, template, {"form": form, "report": report})
