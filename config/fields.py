"""Serializer fields every app's API uses: a related object by its code, related fields whose
choices are cut down to the requesting user's scope (another borough's row "does not exist"),
dates within the range of their kind and uploaded CSV files read as every import reads them
(config.limits)."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import serializers

from config.limits import InRange, date_range, read_csv_upload
from config.timeutils import LONDON, answer_time, skipped_in_london, skipped_message


class ScopedQuerysetMixin:
    """A related field whose choices are `queryset.for_user(request.user)`."""

    def get_queryset(self):
        return super().get_queryset().for_user(self.context["request"].user)


class SlugField(serializers.SlugRelatedField):
    """A related object by its code. A NUL in the code (PostgreSQL refuses it in text) is an
    object that does not exist, not a server error."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class ScopedSlugRelatedField(ScopedQuerysetMixin, SlugField):
    pass


class ScopedPrimaryKeyRelatedField(ScopedQuerysetMixin, serializers.PrimaryKeyRelatedField):
    pass


class DateField(serializers.DateField):
    """A date in the range of its `kind` (config.limits: "record" or "planned")."""

    def __init__(self, *, kind: str, **kwargs):
        super().__init__(**kwargs)
        self.date_kind = kind
        self.validators.append(InRange(kind))
        if not self.help_text:
            self.help_text = f"YYYY-MM-DD, {date_range(kind).text()}."


class CSVFileField(serializers.FileField):
    """An uploaded CSV file, handed to the view as its text by config.limits.read_csv_upload,
    the reader of every import's page and API (UTF-8 with or without a byte-order mark, one
    message otherwise). Its size is the request body limit for imports (413, config/guards.py).
    The file's name stays on the upload, `request.data[field_name].name`."""

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        try:
            return read_csv_upload(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class AnswerDateTimeField(serializers.DateTimeField):
    """A date-time answered with an offset in whole minutes (config.timeutils.answer_time), as the
    schema's `date-time` format requires, for every date a record can hold. Every
    ModelSerializer's date-times are these (config.apps)."""

    def to_representation(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            text = answer_time(value).isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().to_representation(value)


class DateTimeField(AnswerDateTimeField):
    """An ISO 8601 date-time in the range of its `kind`. An offset is converted to London time
    (DRF's own step), so an offset PostgreSQL cannot store (beyond ±15:59, e.g. -23:00) never
    reaches it; without an offset the time is London's."""

    def __init__(self, *, kind: str, **kwargs):
        super().__init__(**kwargs)
        self.date_kind = kind
        self.validators.append(InRange(kind))
        if not self.help_text:
            self.help_text = (
                f"ISO 8601 (without an offset, London time), {date_range(kind).text()}."
            )

    def enforce_timezone(self, value):
        """A time without an offset is London's: one the spring clock change skipped is refused
        (config.timeutils, as on the pages), never moved an hour; the hour the autumn change
        repeats is its first occurrence."""
        if timezone.is_naive(value):
            local = value.replace(tzinfo=LONDON)
            if skipped_in_london(local):
                raise serializers.ValidationError(skipped_message(local), code="skipped_time")
        return super().enforce_timezone(value)
