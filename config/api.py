"""API plumbing shared by every app: the exception handler that gives one error shape, and the
mixin through which viewsets hand parsed input to a service."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import DomainError


def exception_handler(exc, context):
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
