"""What every page form shares: dates typed the GOV.UK way, each within the range of its kind
(config.limits), and handing cleaned data to a service whose refusal (a DomainError) lands in the
form's error summary."""

from django import forms

from config.errors import DomainError
from config.limits import InRange, out_of_range_message
from config.timeutils import LONDON


class DateInput(forms.DateInput):
    input_type = "date"


class DateField(forms.DateField):
    """A date typed as YYYY-MM-DD (the browser's date picker) or DD/MM/YYYY, in the range of its
    `kind` (config.limits: "record" or "planned")."""

    widget = DateInput(format="%Y-%m-%d")

    def __init__(self, *, kind: str, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(**kwargs)
        self.date_kind = kind
        self.validators.append(InRange(kind))
        self.error_messages.setdefault("out_of_range", out_of_range_message(kind))


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
            return result.replace(tzinfo=LONDON)
        try:
            return result.astimezone(LONDON)
        except (OverflowError, ValueError):
            raise forms.ValidationError(
                out_of_range_message(self.date_kind), code="out_of_range"
            ) from None


class LondonDateTimeField(InLondonMixin, forms.DateTimeField):
    """A browser's datetime-local value (see InLondonMixin)."""

    widget = DateTimeInput(format="%Y-%m-%dT%H:%M")


class ServiceForm(forms.Form):
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
