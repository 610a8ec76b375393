"""The recommendation page's forms: how many groups to ask for, the borough's weights, and the
decision (each ward's group, from when, and why)."""

from decimal import Decimal

from django import forms

from config.decisions import RATIONALE_MAX
from config.forms import DateField, GovukFormMixin, ServiceForm
from config.limits import PLANNED, RECORD
from supervision.models import DEFAULT_WEIGHTS, WEIGHT_FIELD, Consultation

WEIGHT_LABELS = {
    "crime": "Per crime (TNO, not ASB)",
    "asb_call": "Per ASB CAD call",
    "hospital": "Per hospital",
    "college": "Per college",
    "nightclub": "Per nightclub",
}


class GroupsForm(GovukFormMixin, forms.Form):
    groups = forms.IntegerField(
        required=False, min_value=1, max_value=1000, label="Number of groups",
        help_text="Leave empty for one group per sergeant available to supervise wards.",
    )  # fmt: skip


class WeightsForm(ServiceForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DEFAULT_WEIGHTS:
            self.fields[name] = forms.DecimalField(
                label=WEIGHT_LABELS[name],
                max_digits=WEIGHT_FIELD["max_digits"],
                decimal_places=WEIGHT_FIELD["decimal_places"],
                min_value=Decimal(0),
                max_value=Decimal(10000),
            )


class DecisionForm(ServiceForm):
    """A group number for each ward (prefilled with the proposal), the date and the rationale."""

    effective_from = DateField(
        kind=PLANNED, label="From", help_text="The first day the groups supervise."
    )
    rationale = forms.CharField(
        label="Rationale", max_length=RATIONALE_MAX, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why these groups: it is recorded with the decision.",
    )  # fmt: skip

    def __init__(self, *args, wards, n_groups: int, sergeants=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(n), f"Group {n}") for n in range(1, max(n_groups, len(wards)) + 1)]
        self.ward_fields = []
        for ward in wards:
            name = f"ward_{ward.code}"
            self.fields[name] = forms.ChoiceField(label=ward.name, choices=choices)
            self.ward_fields.append(name)
        # Each group's sergeant: the default, or one the commander names. The choices are the
        # borough's sergeants available to supervise wards, the ones the service accepts.
        named = [("", "The default: who supervises most of its wards today")] + [
            (s.shoulder_number, f"{s.rank_title} {s.full_name}")
            for s in sergeants
        ]
        self.sergeant_fields = []
        for n in range(1, max(n_groups, 1) + 1):
            name = f"sergeant_{n}"
            self.fields[name] = forms.ChoiceField(
                label=f"Sergeant of group {n}", choices=named, required=False
            )
            self.sergeant_fields.append(name)

    def _numbered_groups(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for name in self.ward_fields:
            groups.setdefault(self.cleaned_data[name], []).append(name.removeprefix("ward_"))
        return {key: groups[key] for key in sorted(groups, key=int)}

    def ward_groups(self) -> list[list[str]]:
        """The wards by the group number chosen, in group order."""
        return list(self._numbered_groups().values())

    def named_sergeants(self) -> list[str | None]:
        """The sergeant named for each group of ward_groups(), in its order (None: default)."""
        return [
            self.cleaned_data.get(f"sergeant_{key}") or None for key in self._numbered_groups()
        ]

    def sergeant_bound_fields(self):
        return [self[name] for name in self.sergeant_fields]

    def ward_bound_fields(self):
        return [self[name] for name in self.ward_fields]

    def other_fields(self):
        return [self["effective_from"], self["rationale"]]


class ConsultationForm(ServiceForm):
    consulted = forms.ChoiceField(label="Who was consulted", choices=Consultation.Consulted.choices)
    who = forms.CharField(label="Name or body", max_length=200)
    on = DateField(kind=RECORD, label="When")
    said = forms.CharField(
        label="What they said", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
