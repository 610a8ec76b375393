"""What every page form shares: dates typed the GOV.UK way, each within the range of its kind
(config.limits), and handing cleaned data to a service whose refusal (a DomainError) lands in the
form's error summary."""

import datetime

from django import forms
from django.forms.utils import pretty_name

from config.errors import DomainError
from config.limits import InRange, out_of_range_message
from config.parsers import parse_clock, parse_day, parse_month_text
from config.timeutils import LONDON, skipped_in_london, skipped_message, wall_clock


class DateInput(forms.DateInput):
    input_type = "date"


class TextDateField(forms.DateField):
    """A date typed as YYYY-MM-DD (the browser's date picker) or DD/MM/YYYY in one box, in the
    range of its `kind` (config.limits: "record" or "planned"): for list filters, whose query
    string keeps one parameter per date."""

    widget = DateInput(format="%Y-%m-%d")

    def __init__(self, *, kind: str, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(**kwargs)
        self.date_kind = kind
        self.validators.append(InRange(kind))
        self.error_messages.setdefault("out_of_range", out_of_range_message(kind))


class MonthField(forms.CharField):
    """A month typed as people write it (config.parsers.parse_month_text: "November 2026",
    "Nov 2026", "2026-11", "11/2026"), its first day in the range of its `kind`; anything else
    is an inline error that keeps what was typed. The box offers the page's `month-choices`
    datalist as suggestions (select or type)."""

    def __init__(self, *, kind: str, **kwargs):
        self.date_kind = kind
        super().__init__(**kwargs)
        self.validators.append(InRange(kind))

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_month_text(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    def prepare_value(self, value):
        return f"{value:%B %Y}" if isinstance(value, datetime.date) else value

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "list": "month-choices", "autocomplete": "off"}


DATE_PARTS = ("day", "month", "year")


class GovukDateInput(forms.Widget):
    """The GOV.UK Design System's date input: day, month and year in three boxes named
    `<name>-day`, `<name>-month`, `<name>-year` (rendered by includes/date_input.html through
    includes/field.html). A single `<name>` value (a script's 2026-11-27 or 27/11/2026) is read
    too."""

    template_name = "includes/date_input.html"
    parts = DATE_PARTS
    with_time = False

    def value_from_datadict(self, data, files, name):
        parts = {part: data.get(f"{name}-{part}") for part in self.parts}
        if all(value is None for value in parts.values()):
            return data.get(name)
        return {part: (value or "").strip() for part, value in parts.items()}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}-{part}" in data for part in self.parts)


class GovukDateTimeInput(GovukDateInput):
    """The date input, then the time as a 24-hour hh:mm text box beside it (`<name>-time`):
    GOV.UK has no time component, and the browser's time picker shows a 12-hour clock in some
    locales, which invites mistakes about night shifts."""

    parts = (*DATE_PARTS, "time")
    with_time = True


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


class DateField(forms.Field):
    """A date as the GOV.UK date input asks for it, in the range of its `kind` (config.limits),
    with the Design System's error messages, the field's label naming the date: "Enter the
    date the shift starts" (or the `required` message given), "Date the shift starts must
    include a month", "Date the shift starts must be a real date". `error_parts` says which
    boxes to mark."""

    widget = GovukDateInput

    def __init__(self, *, kind: str, **kwargs):
        kwargs.setdefault("help_text", "For example, 27 11 2026")
        super().__init__(**kwargs)
        self.date_kind = kind
        self.error_parts: tuple[str, ...] = ()
        self.validators.append(InRange(kind))
        self.error_messages.setdefault("out_of_range", out_of_range_message(kind))

    @property
    def subject(self) -> str:
        return str(self.label or "The date")

    def _required_message(self) -> str:
        """"Enter the date the shift starts", "Enter when it happened"."""
        subject = _lower_first(self.subject)
        article = "" if subject.startswith(("when", "the ")) else "the "
        return f"Enter {article}{subject}"

    def _fail(self, message: str, code: str, parts=DATE_PARTS):
        self.error_parts = tuple(parts)
        raise forms.ValidationError(message, code=code)

    def to_python(self, value):
        self.error_parts = ()
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return parse_day(value)
            except ValueError:
                self._fail(f"{self.subject} must be a real date", "invalid")
        return self._from_parts(value)

    def _from_parts(self, parts: dict):
        missing = [part for part in DATE_PARTS if not parts.get(part)]
        if len(missing) == len(DATE_PARTS):
            return None
        if missing:
            self._fail(
                f"{self.subject} must include a {' and '.join(missing)}", "incomplete", missing
            )
        # ASCII digits only: str.isdigit() also takes "²" and "٣" (config.parsers: the same).
        wrong = [part for part in DATE_PARTS if not _ascii_digits(str(parts[part]))]
        if len(str(parts["year"])) != 4 and "year" not in wrong:
            wrong.append("year")
        if wrong:
            self._fail(f"{self.subject} must be a real date", "invalid", wrong)
        try:
            return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except (ValueError, OverflowError):  # 31 February; a day of 20 digits (OverflowError)
            self._fail(f"{self.subject} must be a real date", "invalid")

    def validate(self, value):
        if value is None and self.required:
            self.error_parts = DATE_PARTS
            message = self.error_messages["required"]
            if message == _DJANGO_REQUIRED:
                message = self._required_message()
            raise forms.ValidationError(message, code="required")

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except forms.ValidationError:
            self.error_parts = DATE_PARTS
            raise

    def prepare_value(self, value):
        """The three boxes' values, from a date, the typed parts or a single text."""
        if isinstance(value, datetime.date):
            return {"day": value.day, "month": value.month, "year": value.year}
        if isinstance(value, dict):
            return value
        if value:
            try:
                return self.prepare_value(parse_day(value))
            except ValueError:
                return {"day": "", "month": "", "year": ""}
        return {"day": "", "month": "", "year": ""}


class LondonDateTimeField(DateField):
    """A moment as a GOV.UK date input and a 24-hour hh:mm time beside it, read as London time,
    in the range of its `kind`, with the Design System's messages ("When it happened must
    include a time"). A single value (a script's 2026-11-27T07:00) is read too, an offset
    converted to London time."""

    widget = GovukDateTimeInput

    def __init__(self, *, kind: str, input_formats=None, **kwargs):
        kwargs.setdefault("help_text", "For example, 27 11 2026, and the time as 19:30")
        super().__init__(kind=kind, **kwargs)

    def to_python(self, value):
        self.error_parts = ()
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            return self._from_text(value)
        if isinstance(value, datetime.datetime):
            return self._in_london(value)
        typed_time = (value.get("time") or "").strip()
        day = self._from_parts(value)
        if day is None and not typed_time:
            return None
        if day is None:
            self._fail(self._required_message(), "required", DATE_PARTS)
        if not typed_time:
            self._fail(f"{self.subject} must include a time", "incomplete", ("time",))
        try:
            clock = parse_clock(typed_time)
        except ValueError as exc:
            self._fail(str(exc), "invalid_time", ("time",))
        try:
            return wall_clock(day, clock)
        except ValueError as exc:
            self._fail(str(exc), "skipped_time", ("time",))

    def _from_text(self, text: str):
        try:
            return self._in_london(datetime.datetime.fromisoformat(text.strip()))
        except ValueError:
            self._fail(f"{self.subject} must be a real date and time", "invalid")

    def _in_london(self, value: datetime.datetime):
        if value.tzinfo is None:
            local = value.replace(tzinfo=LONDON)
            if skipped_in_london(local):
                self._fail(skipped_message(local), "skipped_time")
            return local
        try:
            return value.astimezone(LONDON)
        except (OverflowError, ValueError):
            self._fail(out_of_range_message(self.date_kind), "out_of_range")

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime):
            local = self._in_london(value) if value.tzinfo else value
            return {**super().prepare_value(local.date()), "time": f"{local:%H:%M}"}
        if isinstance(value, str) and value:
            try:
                return self.prepare_value(datetime.datetime.fromisoformat(value.strip()))
            except ValueError:
                return {"day": "", "month": "", "year": "", "time": ""}
        return super().prepare_value(value)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class InLondonMixin:
    """For date-time form fields: the value, read as London time (a value with an offset, from a
    script or a filter, is converted to London time, so no offset PostgreSQL cannot store ever
    reaches it: beyond ±15:59, e.g. -23:00), in the range of its `kind`."""

    def __init__(self, *, kind: str, **kwargs):
        super().__init__(**kwargs)
        self.date_kind = kind
        self.validators.append(InRange(kind))

    def to_python(self, value):
        result = super().to_python(value)
        if result is None:
            return None
        if result.tzinfo is None:
            local = result.replace(tzinfo=LONDON)
            if skipped_in_london(local):
                raise forms.ValidationError(skipped_message(local), code="skipped_time")
            return local
        try:
            return result.astimezone(LONDON)
        except (OverflowError, ValueError):
            raise forms.ValidationError(
                out_of_range_message(self.date_kind), code="out_of_range"
            ) from None


_DJANGO_REQUIRED = forms.Field.default_error_messages["required"]
_DJANGO_EMPTY_LABEL = "---------"
_CHOOSING_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxInput)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def govuk_wording(form) -> None:
    """The GOV.UK Design System's words instead of Django's, for every field of `form` that has
    no words of its own: "Enter …" (a box to type in) or "Select …" (a choice) rather than "This
    field is required.", and "Select …" rather than a "---------" first option."""
    for name, field in form.fields.items():
        label = _lower_first(str(field.label or pretty_name(name)).strip().rstrip(".:"))
        choosing = isinstance(field.widget, _CHOOSING_WIDGETS) or isinstance(
            field, forms.ChoiceField
        )
        if field.error_messages.get("required") == _DJANGO_REQUIRED:
            own = getattr(field, "_required_message", None)  # a date says "Enter the date …"
            field.error_messages["required"] = (
                own() if own else f"{'Select' if choosing else 'Enter'} {label}"
            )
        if getattr(field, "empty_label", None) == _DJANGO_EMPTY_LABEL:
            field.empty_label = f"Select {label}"
        elif isinstance(field, forms.ChoiceField) and not hasattr(field, "queryset"):
            field.choices = [
                (value, f"Select {label}" if text == _DJANGO_EMPTY_LABEL else text)
                for value, text in field.choices
            ]


class GovukFormMixin:
    """Every page form: the GOV.UK wording (govuk_wording) once its fields are set up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_wording(self)


class ServiceForm(GovukFormMixin, forms.Form):
    """A form whose cleaned data goes to a service that may raise DomainError."""

    def add_domain_error(self, exc: DomainError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)


def posted_data(request):
    """The POST data, even when empty (an empty POST must still be validated), else None."""
    return request.POST if request.method == "POST" else None


def submit_form(request, form, save):
    """For a valid POST, call save(cleaned_data) and return its result. None when the form is
    not submitted or has errors, including a DomainError from the service."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except DomainError as exc:
        form.add_domain_error(exc)
        return None
