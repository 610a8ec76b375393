"""The Safer Schools page's forms: the borough's weights and number of officers, the allocation
decision (which schools have an officer, each other school's contact, from when, and why), and
the per-school import."""

from decimal import Decimal

from django import forms

from config.decisions import RATIONALE_MAX
from config.forms import DateField, ServiceForm
from config.limits import PLANNED, read_csv_upload
from schools.models import CRITERIA, OFFICERS_MAX, WEIGHT_FIELD, Allocation


class WeightsForm(ServiceForm):
    officers = forms.IntegerField(
        label="Safer Schools officers", min_value=0, max_value=OFFICERS_MAX,
        help_text="How many the borough has to allocate.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, _more in CRITERIA:
            self.fields[name] = forms.DecimalField(
                label=label, max_digits=WEIGHT_FIELD["max_digits"],
                decimal_places=WEIGHT_FIELD["decimal_places"], min_value=Decimal(0),
                max_value=Decimal(100),
            )  # fmt: skip


class DecisionForm(ServiceForm):
    """Prefilled with the recommendation: the schools with an officer (checkboxes) and, for each
    school, its contact among its ward's dedicated officers (used when it has no officer)."""

    officer_schools = forms.MultipleChoiceField(
        label="Schools with a Safer Schools officer", required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    effective_from = DateField(
        kind=PLANNED, label="From", help_text="The first day the allocation holds."
    )
    rationale = forms.CharField(
        label="Rationale", max_length=RATIONALE_MAX, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why this allocation: it is recorded with the decision.",
    )  # fmt: skip

    def __init__(self, *args, rec, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer_schools"].choices = [
            (p.school.urn, f"{p.scored.rank}. {p.school.name}") for p in rec.placements
        ]
        self.contact_fields = []
        for p in rec.placements:
            officers = rec.contacts.get(p.school.ward_id, [])
            if not officers:
                continue
            name = f"contact_{p.school.urn}"
            self.fields[name] = forms.TypedChoiceField(
                label=f"{p.school.name}: point of contact", coerce=int, required=False,
                choices=[(o.pk, f"{o.rank_title} {o.full_name} ({o.shoulder_number})")
                         for o in officers],
            )  # fmt: skip
            self.contact_fields.append(name)

    def officer_urns(self) -> set[str]:
        return set(self.cleaned_data["officer_schools"])

    def contacts(self) -> dict[str, int]:
        return {
            name.removeprefix("contact_"): self.cleaned_data[name]
            for name in self.contact_fields
            if self.cleaned_data.get(name) not in (None, "")
        }

    def contact_bound_fields(self):
        return [self[name] for name in self.contact_fields]


def decision_initial(rec, on) -> dict:
    initial = {
        "effective_from": on,
        "officer_schools": [
            p.school.urn for p in rec.placements if p.kind == Allocation.Kind.OFFICER
        ],
    }
    for p in rec.placements:
        if p.contact is not None:
            initial[f"contact_{p.school.urn}"] = p.contact.pk
    return initial


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: urn; for a new school name, kind and postcode (or lat and lng); "
        "then any of free_school_meals_pct, exclusions_pct, unauthorised_absence_pct, "
        "first_time_entrants, serious_youth_violence, victims, gang_intelligence, "
        "weapon_intelligence, attainment8_vs_england.",
    )

    def clean_file(self):
        return read_csv_upload(self.cleaned_data["file"])
