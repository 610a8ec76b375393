"""Forms for promises, the quick activity log, priorities, panel meetings, events and places.
They only parse input; the rules live in promises.services."""

import math

from django import forms
from django.utils import timezone

from config.forms import DateField, GovukFormMixin, LondonDateTimeField, ServiceForm
from config.limits import PLANNED, RECORD, read_csv_upload
from promises.models import WEEKDAYS, Activity, EngagementEvent, PanelMeeting, Promise, WardPriority
from teams.forms import OfficerChoiceField
from teams.models import Officer, Team
from wards.models import Place, Ward
from wards.postcodes import parse_postcode


class TimeInput(forms.TimeInput):
    input_type = "time"


def _time_field(label, **kwargs):
    return forms.TimeField(
        label=label, widget=TimeInput(format="%H:%M"), input_formats=["%H:%M"], **kwargs
    )


def _datetime_field(label, *, kind, **kwargs):
    return LondonDateTimeField(
        label=label,
        kind=kind,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        **kwargs,
    )


class WardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, ward):
        return f"{ward.name} ({ward.borough.name})"


class PromiseForm(ServiceForm):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the promise"})
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    ward = WardChoiceField(
        queryset=Ward.objects.none(), required=False, empty_label="Choose a ward"
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        empty_label="Or a cluster team (INPT)",
        label="Cluster team",
        help_text="For a promise made by a cluster's integrated team.",
    )
    kind = forms.ChoiceField(choices=Promise.Kind.choices, widget=forms.RadioSelect)
    agreed_on = DateField(kind=RECORD, label="Agreed on")
    panel_meeting = forms.ModelChoiceField(
        queryset=PanelMeeting.objects.none(), required=False, empty_label="Not at a panel meeting"
    )
    start = DateField(kind=PLANNED, label="Starts")
    end = DateField(
        kind=PLANNED, label="Ends", required=False, help_text="Leave blank while it runs."
    )
    owner_officer = OfficerChoiceField(
        queryset=Officer.objects.none(),
        required=False,
        label="Owner",
        empty_label="Me",
        help_text="The officer answerable for it; blank makes you the owner.",
    )
    place = forms.ModelChoiceField(queryset=Place.objects.none(), required=False)
    area = forms.CharField(required=False, max_length=200, label="Area or streets to patrol")
    days = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Days (patrols)",
    )
    window_start = _time_field("Window starts (patrols)", required=False)
    window_end = _time_field(
        "Window ends (patrols)", required=False, help_text="Before the start: crosses midnight."
    )
    place_kind = forms.ChoiceField(
        choices=[("", "Choose a kind"), *Place.Kind.choices],
        required=False,
        label="Kind of place to visit every month",
    )
    target = forms.IntegerField(
        min_value=1,
        max_value=1000,
        required=False,
        label="How many",
        help_text="Patrols per week, engagements per month, or per the period below.",
    )
    period = forms.ChoiceField(choices=Promise.Period.choices, initial="month", label="Per")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        f = self.fields
        f["ward"].queryset = Ward.objects.for_user(user).select_related("borough")
        f["team"].queryset = Team.objects.for_user(user).filter(kind=Team.Kind.INPT)
        f["panel_meeting"].queryset = PanelMeeting.objects.for_user(user).select_related("ward")
        f["owner_officer"].queryset = Officer.objects.for_user(user).filter(active=True)
        f["place"].queryset = Place.objects.for_user(user)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("owner_officer"):
            data["owner_user"] = self.user
        data["days"] = data.get("days") or []
        return data


class PromiseEndForm(ServiceForm):
    end = DateField(
        kind=PLANNED,
        label="Last day of the promise",
        error_messages={"required": "Enter the promise's last day"},
    )
    reason = forms.CharField(
        label="Why is it ending?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, agreed at the ward panel meeting or replaced by a new promise.",
        error_messages={"required": "Enter why the promise is ending"},
    )


# What the quick log assumes until told otherwise: most patrols are logged for about an hour.
DEFAULT_ACTIVITY_MINUTES = 60


class ActivityForm(ServiceForm):
    """The quick log: a handful of big fields that work on a phone."""

    ward = WardChoiceField(
        queryset=Ward.objects.none(),
        empty_label="Choose a ward",
        error_messages={"required": "Choose the ward"},
    )
    kind = forms.ChoiceField(
        choices=Activity.Kind.choices,
        widget=forms.RadioSelect,
        label="What",
        error_messages={"required": "Choose what you did"},
    )
    place = forms.ModelChoiceField(
        queryset=Place.objects.none(),
        required=False,
        empty_label="No particular place",
        label="Place visited",
    )
    location = forms.CharField(required=False, max_length=200, label="Where (street or area)")
    starts_at = _datetime_field(
        "When it started",
        kind=RECORD,
        error_messages={"required": "Enter when it started", "invalid": "Enter a date and time"},
    )
    duration_minutes = forms.IntegerField(
        min_value=1,
        max_value=24 * 60,
        initial=DEFAULT_ACTIVITY_MINUTES,
        label="How long (minutes)",
        error_messages={"required": "Enter how long it took"},
    )
    officers = forms.ModelMultipleChoiceField(
        queryset=Officer.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Who",
    )
    promises = forms.ModelMultipleChoiceField(
        queryset=Promise.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Promises it counts towards",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["ward"].queryset = Ward.objects.for_user(user).select_related("borough")
        f["starts_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        on = timezone.localdate()
        running = Promise.objects.for_user(user).filter(start__lte=on).exclude(end__lt=on)
        if ward is not None:
            f["ward"].initial = ward.pk
            f["place"].queryset = Place.objects.for_user(user).filter(ward=ward)
            f["officers"].queryset = Officer.objects.for_user(user).filter(
                borough_id=ward.borough_id, active=True
            )
            f["promises"].queryset = running.of_ward(ward)
        else:
            f["place"].queryset = Place.objects.for_user(user)
            f["officers"].queryset = Officer.objects.for_user(user).filter(active=True)
            f["promises"].queryset = running
        f["officers"].label_from_instance = lambda o: f"{o.rank_title} {o.full_name}"
        if getattr(user, "officer_id", None):
            f["officers"].initial = [user.officer_id]  # who logs it was usually there

    def officer_groups(self, *, me, team) -> dict:
        """The officer checkboxes in three groups, for the one-thumb log: the user themselves
        (shown, ticked), the rest of the ward's team, and every other officer of the borough
        (the last two collapsed)."""
        groups = {"me": [], "team": [], "others": []}
        for option in self["officers"]:
            pk = option.data["value"].value
            group = "me" if pk == me else "team" if pk in team else "others"
            groups[group].append(option)
        return groups


class PriorityForm(ServiceForm):
    issue = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Enter the issue"}
    )
    action = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the team is doing about it. Simple HTML allowed.",
    )


class PriorityActionForm(ServiceForm):
    action = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "Enter what was done"}
    )


class PanelMeetingForm(ServiceForm):
    date = DateField(kind=RECORD, error_messages={"required": "Enter the date of the meeting"})
    attendees = forms.IntegerField(min_value=0, max_value=100_000, label="Number of attendees")
    minutes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))
    priorities = forms.ModelMultipleChoiceField(
        queryset=WardPriority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Priorities agreed",
    )

    def __init__(self, *args, ward, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = WardPriority.objects.for_user(user).filter(ward=ward)


class EventForm(ServiceForm):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=EngagementEvent.Kind.choices, label="Type")
    address = forms.CharField(max_length=300)
    starts_at = _datetime_field("Starts", kind=PLANNED)
    ends_at = _datetime_field("Ends", kind=PLANNED)
    contact = forms.CharField(
        required=False, max_length=200, help_text="Shown to the public: the team's email or phone."
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PlaceForm(ServiceForm):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Place.Kind.choices)
    address = forms.CharField(max_length=300, required=False)
    postcode = forms.CharField(max_length=10, required=False)
    lat = forms.DecimalField(max_digits=9, decimal_places=6, required=False, label="Latitude")
    lng = forms.DecimalField(max_digits=9, decimal_places=6, required=False, label="Longitude")


class PlaceImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: name, kind, address, postcode, lat, lng, ward_code, "
        "source_ref. A row without ward_code is put in the ward at its lat/lng.",
    )

    def clean_file(self):
        return read_csv_upload(self.cleaned_data["file"])


class FindForm(forms.Form):
    """Find your team: one box for a postcode (full or partial) or a ward's or borough's name."""

    q = forms.CharField(
        max_length=80,
        label="Postcode, or ward or borough name",
        help_text="For example, NW3 2QG, NW3, Haverstock or Camden",
        error_messages={
            "required": "Enter a postcode, or the name of a ward or borough",
            "max_length": "Enter at most 80 characters",
        },
    )

    def clean_q(self):
        q = " ".join(self.cleaned_data["q"].split())
        if parse_postcode(q) is None and sum(ch.isalnum() for ch in q) < 3:
            raise forms.ValidationError(
                "Enter a postcode, or at least 3 letters of a ward or borough name"
            )
        return q


class LocationForm(forms.Form):
    """The browser's location, sent by static/js/find.js: hidden fields, never typed."""

    lat = forms.CharField(required=False)
    lng = forms.CharField(required=False)
    error = "Your location could not be used. Search by postcode or name instead."

    def clean(self):
        data = super().clean()
        try:
            lat, lng = float(data.get("lat") or "nan"), float(data.get("lng") or "nan")
        except ValueError:
            lat = lng = math.nan
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):  # also false for NaN
            raise forms.ValidationError(self.error)
        return {"lat": lat, "lng": lng}
