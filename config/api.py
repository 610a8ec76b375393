"""API plumbing shared by every app: the exception handler that gives one error shape, the
permission every viewset starts from (read your scope, write with an editing role), the mixins
through which viewsets hand parsed input to a service and refuse deleting a row still in use, the
parser for CSV request bodies, and the one answer shape of every import."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, OperationalError
from django.db.models import ProtectedError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import parsers, permissions, serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.access import can_edit
from config.errors import ConflictError, DomainError
from config.limits import decode_csv
from config.transactions import Busy, is_retryable


def exception_handler(exc, context):
    if isinstance(exc, OperationalError) and is_retryable(exc):
        # A write outside config.transactions.decision lost a deadlock: a conflict, not a 500.
        exc = Busy()
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = exc.message_dict
        else:
            body = {"non_field_errors": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "That change conflicts with existing records.", "code": "conflict"},
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    # 401, 403, 404…: say which rule with a machine-readable code too, like a DomainError.
    data = response.data if response is not None else None
    if isinstance(data, dict) and set(data) == {"detail"}:
        data["code"] = getattr(data["detail"], "code", "error")
    return response


def staff_api_only(endpoints):
    """drf-spectacular's preprocessing hook: the staff API's schema describes /api/v1/ only (the
    public data.police.uk-compatible API under /api/ has its own schema)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class ServiceInputMixin:
    """For viewsets whose writes go through `<app>.services`: the input serializer parses and
    scopes (it never saves), the service writes, and the answer is the row re-read through
    `get_queryset()` so it is rendered with the same joins as the list."""

    def valid_input(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def refetch(self, obj):
        return self.get_queryset().get(pk=obj.pk)


class ReadOrEdit(permissions.IsAuthenticated):
    """Every signed-in user may read what their scope shows; only editing roles may write."""

    message = "Your role does not allow changes."

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return request.method in permissions.SAFE_METHODS or can_edit(request.user)


class ProtectedDestroyMixin:
    """Deleting a row that others still point at is a conflict (409), not a server error."""

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError:
            raise ConflictError(
                f"{instance} is still in use (postings, duties or other records point at it); "
                "keep it instead of deleting it."
            ) from None


class CSVTextParser(parsers.BaseParser):
    """A `text/csv` request body, handed over as text (its size is held by the request body
    limits, config/guards.py)."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return decode_csv(stream.read())
        except DjangoValidationError as exc:
            raise ParseError(exc.messages[0]) from None


# --- imports (rosters, crimes) -----------------------------------------------------------------


class RejectedRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Line number in the file (the header is line 1).")
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    imported = serializers.IntegerField(help_text="Records imported (duties, crimes).")
    rejected = RejectedRowSerializer(many=True)
    committed = serializers.BooleanField(help_text="Whether anything was saved.")


class ImportRefusedSerializer(serializers.Serializer):
    """An import answered 400. Either rows were rejected and `valid_only` was not asked for
    (nothing was imported: `imported`, `rejected`, `committed`, with `detail` and `code`
    "rows_rejected"), or the request itself was refused: the field at fault (e.g. `file`) lists
    its messages, with `detail` and `code` for a rule of the import."""

    imported = serializers.IntegerField(required=False)
    rejected = RejectedRowSerializer(many=True, required=False)
    committed = serializers.BooleanField(required=False)
    detail = serializers.CharField(required=False)
    code = serializers.CharField(required=False)


# The query parameter of an import sent as a text/csv body (a multipart form sends valid_only
# as a field beside the file).
VALID_ONLY_PARAMETER = OpenApiParameter(
    "valid_only", OpenApiTypes.BOOL, required=False,
    description="With a text/csv body: import the valid rows and report the others.",
)  # fmt: skip


@dataclass(frozen=True)
class ImportInput:
    text: str
    valid_only: bool
    file_name: str


def import_input(request, upload_serializer, *, name: str) -> ImportInput:
    """What an import endpoint was sent: a text/csv body (CSVTextParser) with `?valid_only`, or
    a multipart `upload_serializer` whose `file` is a config.fields.CSVFileField beside its
    `valid_only`. Either way valid_only is read as DRF reads a boolean (a value that is none is
    a 400), and `name` stands for a body's file name."""
    if isinstance(request.data, str):
        valid_only = serializers.BooleanField().run_validation(
            request.query_params.get("valid_only", False)
        )
        return ImportInput(request.data, valid_only, name)
    upload = upload_serializer(data=request.data)
    upload.is_valid(raise_exception=True)
    values = upload.validated_data
    return ImportInput(values["file"], values["valid_only"], request.data["file"].name)


IMPORT_RESPONSES = {
    201: OpenApiResponse(ImportResultSerializer, description="Rows were imported."),
    200: OpenApiResponse(ImportResultSerializer, description="Nothing to import."),
    400: OpenApiResponse(ImportRefusedSerializer, description="Nothing was imported."),
}


def import_answer(result, *, valid_only: bool) -> Response:
    """The answer to an import whose `result` has imported, rejected [(line, message)] and
    committed: 400 when rows were rejected and not `valid_only` (nothing was saved), else 201
    when something was saved, 200 when not."""
    body = {
        "imported": result.imported,
        "rejected": [{"line": line, "message": message} for line, message in result.rejected],
        "committed": result.committed,
    }
    if result.rejected and not valid_only:
        body["detail"] = (
            f"{len(result.rejected)} row(s) were rejected, so nothing was imported. Correct "
            "them, or send valid_only to import the valid rows only."
        )
        body["code"] = "rows_rejected"
        return Response(ImportRefusedSerializer(body).data, status=status.HTTP_400_BAD_REQUEST)
    answer = status.HTTP_201_CREATED if result.committed else status.HTTP_200_OK
    return Response(ImportResultSerializer(body).data, status=answer)
