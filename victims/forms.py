"""Forms for recording crimes and for each step of a visit offer. Each hands its cleaned data to
`victims.services`; a DomainError lands in the form's GOV.UK error summary."""

import datetime

from django import forms
from django.conf import settings
from django.forms.utils import ErrorList
from django.utils import timezone

from config.errors import DomainError
from config.forms import DateField, GovukFormMixin, LondonDateTimeField, ServiceForm
from config.limits import PLANNED, RECORD
from teams.forms import OfficerChoiceField
from teams.models import Officer, Posting
from victims.models import CrimeCategory, OfferStatus, Route, Victim, VisitOffer
from victims.services import VictimError, VictimInput
from wards.models import Ward
from wards.postcodes import postcode_lookup


class CrimeForm(ServiceForm):
    """The crime itself; its victims come from VictimFormSet."""

    reference = forms.CharField(max_length=64, label="Crime reference number")
    category = forms.ModelChoiceField(CrimeCategory.objects.all(), label="Crime type")
    occurred_at = LondonDateTimeField(kind=RECORD, label="When it happened")
    reported_at = LondonDateTimeField(kind=RECORD, label="When it was reported")
    ward = forms.ModelChoiceField(Ward.objects.none(), required=False, label="Ward")
    location = forms.CharField(max_length=200, required=False, label="Location")
    postcode = forms.CharField(
        max_length=10, required=False, label="Postcode of the location",
        help_text="The crime is placed at the postcode's centre, in its ward.",
    )
    # Not typed: the postcode's centre (or a point placed on the map) fills them.
    lat = forms.DecimalField(
        max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )
    lng = forms.DecimalField(
        max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.for_user(user).select_related("borough")
        # "When it happened" is not pre-filled: now is rarely right, and a filled box gets
        # submitted unread. The report is usually being made now.
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["reported_at"].initial = now

    # The fields a "Show the postcode on the map" step reports on; the rest wait for the record.
    PLACE_FIELDS = ("ward", "postcode", "lat")

    # The map's point comes in two hidden fields no one can reach: what is wrong with it is said
    # on the postcode, the box beside the map.
    MAP_FIELDS = ("lat", "lng")
    BROKEN_POINT = (
        "The point placed on the map is not a real place: place it again, or enter the "
        "postcode alone"
    )

    def clean(self):
        data = super().clean()
        self._check_map_point(data)
        if data.get("lat") is not None and data.get("lng") is not None:
            self._place_by_point(data)  # placed on the map: the point decides the ward
        if data.get("postcode"):
            self._place_by_postcode(data)
        if not data.get("ward") and (data.get("lat") is None or data.get("lng") is None):
            if "postcode" not in self.errors:
                self.add_error("ward", "Select the ward, or enter the location's postcode")
        data.pop("postcode", None)  # the service takes the place, not the postcode
        return data

    def _check_map_point(self, data) -> None:
        """A point needs both coordinates, each a number (not NaN, not 1e400); else none."""
        broken = [name for name in self.MAP_FIELDS if name in self._errors]
        for name in broken:
            del self._errors[name]
        if broken or (data.get("lat") is None) != (data.get("lng") is None):
            self.add_error("postcode", self.BROKEN_POINT)
            for name in self.MAP_FIELDS:
                data.pop(name, None)

    def add_domain_error(self, exc) -> None:
        if exc.field in self.MAP_FIELDS:
            self.add_error("postcode", exc.message)
        else:
            super().add_domain_error(exc)

    def _place_by_point(self, data) -> None:
        """A point placed on the map must fall in one of the user's wards (the ward field's
        choices); when a ward was also chosen, in that one."""
        wards = self.fields["ward"].queryset.containing(float(data["lat"]), float(data["lng"]))
        if not wards:
            self.add_error(
                "postcode",
                "The point placed on the map is not in a ward of your boroughs: place it "
                "inside one of your wards, or enter the postcode alone",
            )
            return
        chosen = data.get("ward")
        if chosen is not None and chosen not in wards:
            self.add_error(
                "ward", f"The point placed on the map is in {wards[0].name}, not {chosen.name}"
            )
            return
        data["ward"] = chosen or wards[0]

    def only_place_errors(self) -> None:
        """Keep only the errors about where the crime happened: the postcode step shows the
        point before the rest of the form is finished."""
        for name in list(self.errors):
            if name not in self.PLACE_FIELDS:
                del self.errors[name]

    def point(self) -> tuple | None:
        """The (lat, lng) the form placed the crime at, when it did."""
        data = getattr(self, "cleaned_data", {})
        if data.get("lat") is None or data.get("lng") is None:
            return None
        return data["lat"], data["lng"]

    def _place_by_postcode(self, data) -> None:
        """The postcode's centre as the location and, unless one was chosen, its ward (one of
        the user's: the ward field's choices)."""
        try:
            match = postcode_lookup(data["postcode"])
        except DomainError as exc:
            self.add_error("postcode", exc.message)
            return
        if match.postcode is None:
            self.add_error("postcode", "Enter the full postcode, for example NW3 2QG")
            return
        ward = self.fields["ward"].queryset.filter(pk=getattr(match.ward, "pk", None)).first()
        if ward is None:
            self.add_error("postcode", f"{match.postcode} is not in a ward of your boroughs")
            return
        if data.get("lat") is None or data.get("lng") is None:
            data["lat"], data["lng"] = match.postcode.lat, match.postcode.lng
        data["ward"] = data.get("ward") or ward


class VictimForm(ServiceForm):
    """One victim of the crime. Its errors name the victim and the field ("Victim 2, Email:
    ...") so the page's one error summary says whose details are wrong."""

    name = forms.CharField(
        max_length=120,
        label="Name",
        error_messages={"required": "Enter the victim's name"},
    )
    phone = forms.CharField(max_length=30, required=False, label="Phone")
    email = forms.EmailField(required=False, label="Email")
    preferred_contact = forms.ChoiceField(
        choices=Victim.ContactMethod.choices,
        # The select always posts a method: with it as the initial value an untouched extra
        # victim counts as blank.
        initial=Victim.ContactMethod.PHONE,
        label="Preferred contact method",
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

    def __init__(self, *args, number, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number

    @property
    def filled(self) -> bool:
        return self.is_bound and self.has_changed()

    def full_clean(self):
        super().full_clean()
        for name, errors in self._errors.items():
            self._errors[name] = ErrorList([self._named(name, e) for e in errors])

    def _named(self, name, message):
        if name in self.fields:
            return f"Victim {self.number}, {self.fields[name].label}: {message}"
        return f"Victim {self.number}: {message}"

    def add_domain_error(self, exc: DomainError) -> None:
        field = getattr(exc, "victim_field", None)
        field = field if field in self.fields else None
        self.add_error(field, self._named(field, exc.message))

    def victim_input(self) -> VictimInput:
        data = self.cleaned_data
        return VictimInput(
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            preferred_contact=data["preferred_contact"],
            preferred_times=data["preferred_times"],
            enhanced_rights=bool(data["enhanced_reason"]),
            enhanced_reason=data["enhanced_reason"],
            consents_to_referral=data["consents_to_referral"],
            address=data["address"],
            postcode=data["postcode"].upper(),
        )


class BaseVictimFormSet(forms.BaseFormSet):
    """The first victim is required; the blank extra forms (an "add another victim" that needs
    no JavaScript) are ignored."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "number": (index or 0) + 1}

    def filled_forms(self) -> list[VictimForm]:
        return [f for f in self.forms if f.filled or not f.empty_permitted]

    def victim_inputs(self) -> list[VictimInput]:
        return [f.victim_input() for f in self.filled_forms()]

    def add_victim_error(self, exc: VictimError) -> None:
        self.filled_forms()[exc.index].add_domain_error(exc)


VICTIM_FORMS = 4
VictimFormSet = forms.formset_factory(
    VictimForm, formset=BaseVictimFormSet, extra=VICTIM_FORMS - 1, min_num=1,
    max_num=VICTIM_FORMS, validate_max=True,
)  # fmt: skip


class ErrorSummary:
    """Several forms seen as one by includes/error_summary.html: every form's errors in one
    GOV.UK error summary, each linked to its field."""

    def __init__(self, *forms, non_form_errors=()):
        self.forms = forms
        self.extra = list(non_form_errors)

    @property
    def errors(self):
        return self.extra or any(f.errors for f in self.forms)

    def non_field_errors(self):
        return [*self.extra, *(e for f in self.forms for e in f.non_field_errors())]

    def __iter__(self):
        for form in self.forms:
            yield from form


class CloseCrimeForm(ServiceForm):
    confirm = forms.BooleanField(
        label="The investigation is finished: close this crime",
        error_messages={"required": "Confirm that the crime is to be closed"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].help_text = (
            "The victims' names and contact details are removed "
            f"{settings.VICTIM_DATA_RETENTION_DAYS} days after the crime is closed. "
            "This cannot be undone."
        )


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
    window_start = LondonDateTimeField(kind=PLANNED, label="Visit window starts")
    window_end = LondonDateTimeField(kind=PLANNED, label="Visit window ends")
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


class FiguresPeriodForm(GovukFormMixin, forms.Form):
    date_from = DateField(kind=RECORD, required=False, label="Reported from")
    date_to = DateField(kind=RECORD, required=False, label="Reported to")
