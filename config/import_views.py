"""Following a large import (config.bulkimport): its status in the API and its page, seen only
by users of the boroughs it was made for (404 for anyone else). And the page of a small CSV
import that saves the good rows and lists the others (places, schools)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, parsers, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from config import bulkimport
from config.access import EDITOR_ROLES, get_for_user, require_role
from config.api import (
    IMPORT_RESPONSES,
    VALID_ONLY_PARAMETER,
    CSVTextParser,
    import_answer,
    import_input,
)
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


def import_action(upload_serializer):
    """A viewset's bulk import, POST …/import/: a multipart `upload_serializer` or a text/csv
    body (with ?valid_only), answered at once or queued for a worker (202)."""

    def decorate(method):
        method = action(
            detail=False, methods=["post"], url_path="import", url_name="import",
            parser_classes=[CSVTextParser, parsers.MultiPartParser],
        )(method)  # fmt: skip
        return extend_schema(
            request={"multipart/form-data": upload_serializer, "text/csv": str},
            parameters=[VALID_ONLY_PARAMETER],
            responses={**IMPORT_RESPONSES, **QUEUED_RESPONSE},
        )(method)

    return decorate


def bulk_import_answer(request, upload_serializer, *, kind, service, task, rows, name):
    """Read what was sent (config.api.import_input), import it now or queue it
    (config.bulkimport.import_or_queue; `rows(text, user)` checks the header and the user's
    role first), and answer: the import's result, or 202 and where to follow it."""
    sent = import_input(request, upload_serializer, name=name)
    outcome = bulkimport.import_or_queue(
        kind=kind, service=service, task=task, text=sent.text,
        rows=len(rows(sent.text, request.user)), by=request.user, valid_only=sent.valid_only,
        file_name=sent.file_name,
    )  # fmt: skip
    if isinstance(outcome, BulkImport):
        return queued_answer(outcome)
    return import_answer(outcome, valid_only=sent.valid_only)


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
