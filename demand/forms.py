"""Forms for demand pages: uploading a file to import, and HQ's themes and target."""

from django import forms

from config.errors import DomainError
from config.forms import GovukFormMixin
from demand.locations import LocationKind
from demand.models import DataImport, ReductionTarget, Theme
from demand.months import parse_month

KIND_HINTS = {
    DataImport.Kind.POLICE_UK: "A street-level file from data.police.uk, as published (or .gz).",
    DataImport.Kind.CAD: "Calls for your wards in the CAD import format (see below).",
}


class ImportForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        widget=forms.RadioSelect,
        required=False,
        help_text="Left unchosen, the file's header says.",
    )
    file = forms.FileField(label="File", error_messages={"required": "Choose a file to import."})
    all_or_nothing = forms.BooleanField(
        required=False, label="Import nothing if any row is malformed"
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(DataImport.Kind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]


class MonthInput(forms.Field):
    """A month typed as YYYY-MM, stored as its first day."""

    widget = forms.TextInput

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if hasattr(value, "strftime") else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_month(value)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


class ThemeForm(GovukFormMixin, forms.ModelForm):
    at_locations = forms.MultipleChoiceField(
        choices=[c for c in LocationKind.choices if c[0] != LocationKind.OTHER],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Also count crimes at these kinds of police.uk location",
    )

    class Meta:
        model = Theme
        fields = [
            "name",
            "slug",
            "categories",
            "at_locations",
            "at_location_categories",
            "proxy",
            "ordering",
            "active",
        ]
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "at_location_categories": forms.CheckboxSelectMultiple,
        }

    def clean(self):
        data = super().clean()
        if not data.get("categories") and not data.get("at_locations"):
            self.add_error("categories", "Choose categories, kinds of location, or both.")
        return data


class TargetForm(GovukFormMixin, forms.ModelForm):
    baseline_from = MonthInput(label="First month of the 12-month baseline (YYYY-MM)")
    target_month = MonthInput(label="Target month: the last of the 12 months that must meet it")

    class Meta:
        model = ReductionTarget
        fields = [
            "name",
            "categories",
            "baseline_from",
            "reduction_percent",
            "target_month",
            "notes",
            "active",
        ]
        widgets = {"categories": forms.CheckboxSelectMultiple}

    def clean(self):
        data = super().clean()
        first, last = data.get("baseline_from"), data.get("target_month")
        if first and last and last <= first:
            self.add_error("target_month", "The target month must come after the baseline.")
        percent = data.get("reduction_percent")
        if percent is not None and not 0 < percent < 100:
            self.add_error("reduction_percent", "Give a reduction between 0 and 100 per cent.")
        return data
