"""Forms for the deployment pages. They only parse input: the protocol's rules live in
deployment.services and deployment.duties, whose refusals land in the form's error summary."""

import datetime

from django import forms
from django.utils import timezone

from config.errors import DomainError
from config.forms import DateField, ServiceForm
from config.limits import PLANNED, read_csv_upload
from config.timeutils import LONDON, shift_bounds, validate_whole_minute
from deployment import protocol
from deployment.models import Abstraction, AbstractionType, Duty, FlexRequest
from teams.forms import OfficerChoiceField
from teams.models import Officer
from wards.models import Ward

# What the services call a field, where the form asks for it under another name.
FIELD_ALIASES = {"starts_at": "start", "ends_at": "end", "file": "roster"}


class DeploymentForm(ServiceForm):
    def add_domain_error(self, exc: DomainError) -> None:
        name = FIELD_ALIASES.get(exc.field, exc.field)
        self.add_error(name if name in self.fields else None, exc.message)


class TimeInput(forms.TimeInput):
    """A time typed on the 24-hour clock. Not the browser's time picker: it shows a 12-hour clock
    in some locales, which invites mistakes about night shifts."""

    input_type = "text"

    def __init__(self, **kwargs):
        kwargs.setdefault("attrs", {"autocomplete": "off", "spellcheck": "false"})
        super().__init__(**kwargs)


def time_field(**kwargs):
    kwargs.setdefault("widget", TimeInput(format="%H:%M"))
    kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S", "%H.%M"])
    kwargs.setdefault("validators", [validate_whole_minute])
    return forms.TimeField(**kwargs)


class WardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, ward):
        return ward.name


class OfficersField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, officer):
        return f"{officer.rank_title} {officer.full_name} ({officer.shoulder_number})"


# --- flex requests ---------------------------------------------------------------------------


class FlexRequestForm(DeploymentForm):
    """Raise or edit a flex request. The page shows each officer's home ward and commitments:
    set `officer_notes` ({officer id: (home ward, [commitments])}) before rendering."""

    to_ward = WardChoiceField(
        queryset=Ward.objects.none(),
        label="Ward to flex officers to",
        empty_label="Choose a ward",
        error_messages={
            "required": "Choose the ward the officers are flexed to",
            "invalid_choice": "Choose a ward of this borough",
        },
    )
    officers = OfficersField(
        queryset=Officer.objects.none(),
        label="Officers to flex",
        help_text="Each officer's home ward and what they are already committed to over the next "
        "six weeks are shown under their name.",
        error_messages={
            "required": "Choose at least one officer to flex",
            "invalid_choice": "Choose active officers of this borough",
        },
    )
    start_date = DateField(
        kind=PLANNED,
        label="First day",
        error_messages={
            "required": "Enter the first day of the flex",
        },
    )
    end_date = DateField(
        kind=PLANNED,
        label="Last day",
        help_text=protocol.length_help(),
        error_messages={
            "required": "Enter the last day of the flex",
        },
    )
    daily_start = time_field(
        label="Daily start time",
        help_text="24-hour clock, for example 18:00.",
        error_messages={
            "required": "Enter the time the daily deployment starts",
            "invalid": "Enter the start time on the 24-hour clock, for example 18:00",
        },
    )
    daily_end = time_field(
        label="Daily end time",
        help_text="Earlier than the start time means the window runs overnight.",
        error_messages={
            "required": "Enter the time the daily deployment ends",
            "invalid": "Enter the end time on the 24-hour clock, for example 02:00",
        },
    )
    problem = forms.CharField(
        max_length=300,
        label="The problem",
        help_text="A ward priority, or the intelligence-led reason for the flex.",
        error_messages={"required": "Name the problem the flex is against"},
    )
    ward_priority = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="The ward priority it is (if it is one)",
        help_text="The open priorities of the borough's wards: choose one of the ward the "
        "officers go to.",
        error_messages={"invalid_choice": "Choose an open priority of the ward, or none"},
    )
    intelligence_ref = forms.CharField(
        required=False,
        max_length=60,
        label="Intelligence reference (if there is one)",
        help_text="The intelligence report the flex is led by.",
    )
    expected_benefit = forms.CharField(
        label="Expected benefit",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what benefit is expected"},
    )

    def __init__(self, *args, user, borough, priorities=(), **kwargs):
        """`priorities`: [(id, ward id, issue)], the open priorities of the borough's wards."""
        super().__init__(*args, **kwargs)
        self.officer_notes = {}
        self.fields["to_ward"].queryset = (
            Ward.objects.for_user(user).filter(borough=borough).order_by("name")
        )
        names = dict(self.fields["to_ward"].queryset.values_list("pk", "name"))
        self.fields["ward_priority"].choices = [("", "None")] + [
            (pk, f"{names[ward]}: {issue[:80]}") for pk, ward, issue in priorities
            if ward in names
        ]
        self.fields["officers"].queryset = (
            Officer.objects.for_user(user)
            .filter(borough=borough, active=True)
            .order_by("last_name", "first_name", "pk")
        )

    def clean(self):
        """The protocol's length rule with every other error, not in a second round."""
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and (refusal := protocol.dates_refusal(start, end)):
            self.add_error("end_date", refusal)
        return cleaned

    def officer_options(self):
        """(checkbox, officer, home ward, commitments) for each officer that can be chosen."""
        for option in self["officers"]:
            officer = option.data["value"].instance
            home, commitments = self.officer_notes.get(officer.pk, (None, []))
            yield option, officer, home, commitments


class DecisionForm(DeploymentForm):
    """Approve or refuse a submitted request. The button pressed says which."""

    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Refuse")],
        widget=forms.HiddenInput,
        error_messages={"required": "Choose to approve or refuse the request"},
    )
    reason = forms.CharField(
        required=False,
        label="Reason for the decision",
        help_text="Required when refusing. Recorded on the request's timeline.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cover_override_reason = forms.CharField(
        required=False,
        label="Why you accept a ward going below minimum cover",
        help_text="Only a Chief Inspector can approve a flex that leaves a ward below its "
        "minimum dedicated cover.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, may_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_override:
            del self.fields["cover_override_reason"]


class ReviewForm(DeploymentForm):
    """The protocol's review of an active flex at the borough's tasking meeting: continue, end,
    or propose a change (new last day, daily hours, officers) that another Inspector decides."""

    decision = forms.ChoiceField(
        choices=[
            ("continue", "Continue the flex"),
            ("change", "Change it (another Inspector decides the change)"),
            ("end", "End the flex now"),
        ],
        widget=forms.RadioSelect,
        label="The tasking meeting's decision",
        error_messages={"required": "Choose to continue, change or end the flex"},
    )
    reason = forms.CharField(
        required=False,
        label="Notes from the review",
        help_text="Required for a change: why the meeting wants it.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    end_date = DateField(
        kind=PLANNED,
        required=False,
        label="New last day (a change)",
        help_text=protocol.last_day_help(),
    )
    daily_start = time_field(required=False, label="New daily start time (a change)")
    daily_end = time_field(required=False, label="New daily end time (a change)")
    officers = OfficersField(
        queryset=Officer.objects.none(),
        required=False,
        label="Officers after the change",
        help_text="Leave all unticked to keep the officers as they are.",
        error_messages={"invalid_choice": "Choose active officers of this borough"},
    )

    def __init__(self, *args, flex=None, **kwargs):
        super().__init__(*args, **kwargs)
        if flex is not None:
            self.fields["officers"].queryset = Officer.objects.filter(
                borough_id=flex.borough_id, active=True
            ).order_by("last_name", "first_name", "pk")

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        change = {
            name: data[name] for name in ("end_date", "daily_start", "daily_end") if data[name]
        }
        if data["officers"]:
            change["officers"] = list(data["officers"])
        return {"decision": data["decision"], "reason": data["reason"], "change": change}


class ChangeDecisionForm(DecisionForm):
    """Approve or refuse the change proposed at a review, as a request is decided."""


class EndForm(DeploymentForm):
    reason = forms.CharField(
        label="Why the flex ends now",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the flex ends now"},
    )


class WithdrawForm(DeploymentForm):
    reason = forms.CharField(
        required=False,
        label="Why the request is withdrawn",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SubmitForm(DeploymentForm):
    """Submitting a draft asks nothing more."""


# --- recording where time went ---------------------------------------------------------------

SHIFT_END_HINT = "An end time earlier than the start means the shift ends the next day."


def _recent(days):
    return timezone.localdate() - datetime.timedelta(days=days)


class FlexChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, flex):
        return (
            f"#{flex.pk} to {flex.to_ward.name}, "
            f"{flex.start_date:%d %b} to {flex.end_date:%d %b %Y}"
        )


class AbstractionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, a):
        start = a.starts_at.astimezone(LONDON)
        return (
            f"{a.officer.rank_title} {a.officer.full_name}: {a.abstraction_type}, "
            f"{start:%d %b %Y %H:%M}"
        )


def _officer_field(**kwargs):
    return OfficerChoiceField(
        queryset=Officer.objects.none(),
        empty_label="Choose an officer",
        error_messages={
            "required": "Choose the officer",
            "invalid_choice": "Choose an active officer of your borough",
        },
        **kwargs,
    )


class DutyForm(DeploymentForm):
    """One shift of one officer, and what it was."""

    officer = _officer_field()
    date = DateField(
        kind=PLANNED,
        label="Date the shift starts",
        error_messages={
            "required": "Enter the date the shift starts",
        },
    )
    start = time_field(
        label="Start time",
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time on the 24-hour clock, for example 07:00",
        },
    )
    end = time_field(
        label="End time",
        help_text=SHIFT_END_HINT,
        error_messages={
            "required": "Enter the end time",
            "invalid": "Enter the end time on the 24-hour clock, for example 15:00",
        },
    )
    kind = forms.ChoiceField(
        choices=Duty.Kind.choices,
        widget=forms.RadioSelect,
        initial=Duty.Kind.HOME,
        label="What the shift was",
        error_messages={"required": "Choose what the shift was"},
    )
    worked_ward = WardChoiceField(
        queryset=Ward.objects.none(),
        required=False,
        label="Ward flexed to",
        empty_label="Not flexed",
        help_text="Only for a flexed shift.",
    )
    flex_request = FlexChoiceField(
        queryset=FlexRequest.objects.none(),
        required=False,
        label="Approved flex request",
        empty_label="None",
        help_text="Only for a flexed shift: the approved request it belongs to.",
    )
    abstraction = AbstractionChoiceField(
        queryset=Abstraction.objects.none(),
        required=False,
        label="Abstraction",
        empty_label="None",
        help_text="Only for an abstracted shift. Record the abstraction first if it is not here.",
    )
    notes = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (
            Officer.objects.for_user(user).filter(active=True).order_by("last_name", "first_name")
        )
        self.fields["worked_ward"].queryset = Ward.objects.for_user(user).order_by("name")
        self.fields["flex_request"].queryset = (
            FlexRequest.objects.for_user(user)
            .authorised()
            .filter(end_date__gte=_recent(90))
            .select_related("to_ward")
            .order_by("-start_date")
        )
        self.fields["abstraction"].queryset = (
            Abstraction.objects.for_user(user)
            .filter(ends_at__date__gte=_recent(90))
            .select_related("officer", "abstraction_type")
            .order_by("-starts_at")
        )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        starts_at, ends_at = shift_bounds(
            data["date"], data["start"], data["end"], recorded=True
        )
        return {
            "officer": data["officer"], "starts_at": starts_at, "ends_at": ends_at,
            "kind": data["kind"], "worked_ward": data["worked_ward"],
            "flex_request": data["flex_request"], "abstraction": data["abstraction"],
            "notes": data["notes"],
        }


class AbstractionForm(DeploymentForm):
    officer = _officer_field()
    abstraction_type = forms.ModelChoiceField(
        queryset=AbstractionType.objects.filter(active=True),
        label="Type of abstraction",
        empty_label="Choose a type",
        error_messages={"required": "Choose the type of abstraction"},
    )
    start_date = DateField(
        kind=PLANNED,
        label="First day",
        error_messages={
            "required": "Enter the day the abstraction starts",
        },
    )
    start = time_field(
        label="Start time",
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time on the 24-hour clock, for example 07:00",
        },
    )
    end_date = DateField(
        kind=PLANNED,
        label="Last day",
        error_messages={
            "required": "Enter the day the abstraction ends",
        },
    )
    end = time_field(
        label="End time",
        error_messages={
            "required": "Enter the end time",
            "invalid": "Enter the end time on the 24-hour clock, for example 15:00",
        },
    )
    significant_event = forms.CharField(
        required=False,
        max_length=200,
        label="Significant event",
        help_text="Required for an officer of a ward team: the protocol allows abstracting them "
        "only for a significant event on the borough.",
    )
    authorised_by_name = forms.CharField(
        required=False,
        max_length=120,
        label="Authorised by",
        help_text="Required for an officer of a ward team: rank and name of who authorised it.",
    )
    cover_override_reason = forms.CharField(
        required=False,
        label="Why a ward may go below minimum cover (Chief Inspectors only)",
        help_text="A planned abstraction that leaves a ward below its minimum dedicated cover is "
        "refused unless a Chief Inspector of the borough records why it is accepted.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (
            Officer.objects.for_user(user).filter(active=True).order_by("last_name", "first_name")
        )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "officer": data["officer"],
            "abstraction_type": data["abstraction_type"],
            "starts_at": datetime.datetime.combine(data["start_date"], data["start"], LONDON),
            "ends_at": datetime.datetime.combine(data["end_date"], data["end"], LONDON),
            "significant_event": data["significant_event"],
            "authorised_by_name": data["authorised_by_name"],
            "cover_override_reason": data["cover_override_reason"],
            "notes": data["notes"],
        }


class RosterUploadForm(DeploymentForm):
    roster = forms.FileField(
        label="Roster CSV file",
        help_text="A CSV file with the template's columns, one shift a row.",
        error_messages={
            "required": "Choose the roster CSV file to upload",
            "empty": "The file is empty",
        },
    )
    valid_only = forms.BooleanField(
        required=False,
        label="Import the valid rows only",
        help_text="Without this, nothing is imported when any row has a problem.",
    )

    def clean_roster(self):
        return read_csv_upload(self.cleaned_data["roster"])
