"""Forms of the performance pages: a month, the commentary, the bands, the survey file."""

from django import forms

from config.limits import read_csv_upload
from reports.performance.bands import HIGHER_IS_BETTER, Measure
from reports.performance.models import Commentary, RatingBand


class CommentaryForm(forms.ModelForm):
    class Meta:
        model = Commentary
        fields = ["text"]
        labels = {"text": "Commentary"}
        help_texts = {"text": "What the figures mean and what is being done: up to 5,000 "
                              "characters. Everyone who reads this page sees it."}
        error_messages = {"text": {"required": "Enter the commentary",
                                   "max_length": "Enter at most 5,000 characters"}}
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class BandForm(forms.ModelForm):
    class Meta:
        model = RatingBand
        fields = ["green_limit", "amber_limit"]
        labels = {"green_limit": "Green limit (%)", "amber_limit": "Amber limit (%)"}

    def clean(self):
        """The database's constraint, said first: the form leaves the measure out, so Django
        would not check a constraint that names it."""
        data = super().clean()
        green, amber = data.get("green_limit"), data.get("amber_limit")
        if green is not None and amber is not None:
            higher = self.instance.measure in HIGHER_IS_BETTER
            if (green < amber) if higher else (green > amber):
                raise forms.ValidationError(
                    RatingBand._meta.constraints[0].violation_error_message)
        return data


class _BandFormSet(forms.BaseModelFormSet):
    """The bands held, each edited in place: a form for a band that does not exist (an id
    changed, more forms than bands) is an error on the page, never a new band without a
    measure."""

    def clean(self):
        super().clean()
        if any(form.instance.pk is None for form in self.forms):
            raise forms.ValidationError(
                "The form does not match the bands held now: reload the page and try again.")


BandFormSet = forms.modelformset_factory(
    RatingBand, form=BandForm, formset=_BandFormSet, extra=0, edit_only=True,
    max_num=len(Measure.choices), absolute_max=len(Measure.choices), validate_max=True,
)


class ConfidenceUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: area (borough or ward code or name), quarter (e.g. 2026-Q3), "
        "share_confident (0 to 100), respondents.",
        error_messages={"required": "Choose a CSV file"},
    )

    def clean_file(self):
        return read_csv_upload(self.cleaned_data["file"])
