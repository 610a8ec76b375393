"""Forms for recording crimes and for each step of a visit offer. Each hands its cleaned data to
`victims.services`; a DomainError lands in the form's GOV.UK error summary."""

import datetime

from django import forms
from django.utils import timezone

from config.timeutils import LONDON
from teams.forms import DateField, OfficerChoiceField, ServiceForm
from teams.models import Officer, Posting
from victims.models import CrimeCategory, OfferStatus, Route, Victim, VisitOffer
from wards.models import Ward


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class LondonDateTimeField(forms.DateTimeField):
    """A browser's datetime-local value, read as London time."""

    widget = DateTimeInput(format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None:
            result = result.astimezone(LONDON) if result.tzinfo else result.replace(tzinfo=LONDON)
        return result


class CrimeForm(ServiceForm):
    reference = forms.CharField(max_length=64, label="Crime reference number")
    category = forms.ModelChoiceField(CrimeCategory.objects.all(), label="Crime type")
    occurred_at = LondonDateTimeField(label="When it happened")
    reported_at = LondonDateTimeField(label="When it was reported")
    ward = forms.ModelChoiceField(Ward.objects.none(), required=False, label="Ward")
    location = forms.CharField(max_length=200, required=False, label="Location")
    lat = forms.DecimalField(max_digits=9, decimal_places=6, required=False, label="Latitude")
    lng = forms.DecimalField(max_digits=9, decimal_places=6, required=False, label="Longitude")
    name = forms.CharField(max_length=120, label="Victim's name")
    phone = forms.CharField(max_length=30, required=False, label="Phone")
    email = forms.EmailField(required=False, label="Email")
    preferred_contact = forms.ChoiceField(
        choices=Victim.ContactMethod.choices, label="Preferred contact method"
    )
    preferred_times = forms.CharField(max_length=120, required=False, label="Best times")
    enhanced_reason = forms.ChoiceField(
        choices=[("", "No enhanced rights"), *Victim.EnhancedReason.choices],
        required=False,
        label="Enhanced rights",
        help_text="Victims of the most serious crime, persistently targeted, vulnerable or "
        "intimidated: the offer is due within 1 working day.",
    )
    consents_to_referral = forms.BooleanField(
        required=False, label="Consents to referral to victim support services"
    )
    address = forms.CharField(max_length=200, required=False, label="Address")
    postcode = forms.CharField(max_length=10, required=False, label="Postcode")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.for_user(user).select_related("borough")
        now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
        self.fields["reported_at"].initial = now
        self.fields["occurred_at"].initial = now

    def clean(self):
        data = super().clean()
        if not data.get("ward") and (data.get("lat") is None or data.get("lng") is None):
            self.add_error(
                "ward", "Choose the ward, or give the location's latitude and longitude."
            )
        return data


class OfferForm(ServiceForm):
    how = forms.ChoiceField(choices=VisitOffer.How.choices, label="How was the visit offered?")
    note = forms.CharField(required=False, label="Note", widget=forms.Textarea(attrs={"rows": 2}))


class RespondForm(ServiceForm):
    response = forms.ChoiceField(
        choices=[
            (OfferStatus.ACCEPTED, "Accepted"),
            (OfferStatus.DECLINED, "Declined"),
            (OfferStatus.NO_REPLY, "No reply"),
        ],
        widget=forms.RadioSelect,
        label="The victim's answer",
    )
    note = forms.CharField(required=False, label="Note", widget=forms.Textarea(attrs={"rows": 2}))


class ScheduleForm(ServiceForm):
    officer = OfficerChoiceField(Officer.objects.none(), label="Officer")
    window_start = LondonDateTimeField(label="Visit window starts")
    window_end = LondonDateTimeField(label="Visit window ends")
    reason = forms.CharField(
        required=False, label="Why rescheduled (needed to reschedule)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args, offer, **kwargs):
        super().__init__(*args, **kwargs)
        crime = offer.victim.crime
        officers = Officer.objects.filter(borough=crime.borough_id, active=True)
        if crime.routed_to == Route.WARD and crime.ward_id:
            team = Posting.objects.current().filter(team__ward=crime.ward_id)
            officers = officers.filter(pk__in=team.values("officer"))
        self.fields["officer"].queryset = officers.order_by("last_name", "first_name")
        start = timezone.localtime().replace(minute=0, second=0, microsecond=0, tzinfo=None)
        self.fields["window_start"].initial = start + datetime.timedelta(days=1)
        self.fields["window_end"].initial = start + datetime.timedelta(days=1, hours=2)


class CompleteForm(ServiceForm):
    needs_assessment_done = forms.BooleanField(required=False, label="Needs assessment done")
    referral_made = forms.BooleanField(required=False, label="Referred to victim support")
    crime_prevention_advice = forms.BooleanField(
        required=False, label="Crime prevention advice given"
    )
    satisfaction = forms.TypedChoiceField(
        choices=[("", "Not asked yet"), *[(str(n), str(n)) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
        label="Victim's satisfaction (1 very dissatisfied – 5 very satisfied)",
    )
    note = forms.CharField(required=False, label="Note", widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(ServiceForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))


class SatisfactionForm(ServiceForm):
    satisfaction = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)], coerce=int, label="Satisfaction (1-5)"
    )


class FiguresPeriodForm(forms.Form):
    date_from = DateField(required=False, label="Reported from")
    date_to = DateField(required=False, label="Reported to")
