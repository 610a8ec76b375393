"""What every page form shares: dates typed the GOV.UK way, and handing cleaned data to a service
whose refusal (a DomainError) lands in the form's error summary."""

from django import forms

from config.errors import DomainError


class DateInput(forms.DateInput):
    input_type = "date"


class DateField(forms.DateField):
    """A date typed as YYYY-MM-DD (the browser's date picker) or DD/MM/YYYY."""

    widget = DateInput(format="%Y-%m-%d")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(**kwargs)


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
