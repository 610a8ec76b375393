"""Forms for the pages that change postings. Each one only parses input: the rules live in
teams.services, and a DomainError from a service lands in the form's GOV.UK error summary."""

from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy

from config.forms import DateField, ServiceForm
from config.limits import PLANNED
from teams import services
from teams.models import Officer, Posting, Team
from wards.models import Borough


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, officer):
        return f"{officer.rank_title} {officer.full_name} ({officer.shoulder_number})"


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, team):
        return f"{team.name} ({team.get_kind_display()})"


ROLE_HINT = "Dedicated ward officers are PCs, PCSOs or Specials; an INPT is led by an Inspector."


class PostingCreateForm(ServiceForm):
    """Post an officer of the ward's borough to the ward's team."""

    officer = OfficerChoiceField(
        queryset=Officer.objects.none(),
        empty_label="Choose an officer",
        error_messages={
            "required": "Choose the officer to post",
            "invalid_choice": "Choose an active officer of this borough",
        },
    )
    role = forms.ChoiceField(
        # An Inspector leads an INPT, never a ward team.
        choices=[c for c in Posting.Role.choices if c[0] != Posting.Role.LEAD],
        widget=forms.RadioSelect,
        initial=Posting.Role.DEDICATED,
        help_text=ROLE_HINT,
        error_messages={"required": "Choose the officer's role in the team"},
    )
    is_primary = forms.BooleanField(
        required=False,
        initial=True,
        label="This is the officer's main posting",
        help_text="Untick for a sergeant's second ward under shared supervision.",
    )
    start_date = DateField(
        kind=PLANNED,
        error_messages={
            "required": "Enter the date the posting starts",
        }
    )

    def __init__(self, *args, user, ward, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (
            Officer.objects.for_user(user)
            .filter(borough_id=ward.borough_id, active=True)
            .order_by("last_name", "first_name")
        )


class PostingMoveForm(ServiceForm):
    """Move an officer to another team of their borough, ending their current main posting."""

    team = TeamChoiceField(
        queryset=Team.objects.none(),
        empty_label="Choose a team",
        error_messages={"required": "Choose the team to move the officer to"},
    )
    role = forms.ChoiceField(
        choices=Posting.Role.choices,
        widget=forms.RadioSelect,
        help_text=ROLE_HINT,
        error_messages={"required": "Choose the officer's role in the new team"},
    )
    start_date = DateField(
        kind=PLANNED,
        help_text="Their current main posting ends the day before.",
        error_messages={
            "required": "Enter the date the move takes effect",
        },
    )
    reason = forms.CharField(
        required=False,
        max_length=200,
        help_text="Recorded as the reason the current posting ended.",
    )

    def __init__(self, *args, user, officer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = (
            Team.objects.for_user(user)
            .filter(borough_id=officer.borough_id)
            .order_by("kind", "name")
        )


class PostingEndForm(ServiceForm):
    end_date = DateField(
        kind=PLANNED,
        label="Last day of the posting",
        error_messages={
            "required": "Enter the last day of the posting",
        },
    )
    reason = forms.CharField(
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the posting ends"},
    )


class OfficerTransferForm(ServiceForm):
    """Transfer an officer to another London borough."""

    borough = forms.ModelChoiceField(
        queryset=Borough.objects.none(),
        label="Borough they are joining",
        empty_label="Choose a borough",
        to_field_name="code",
        error_messages={
            "required": "Choose the borough the officer is joining",
            "invalid_choice": "Choose a London borough other than their own",
        },
    )
    effective_on = DateField(
        kind=PLANNED,
        label="First day in the new borough",
        help_text=format_lazy(
            "Their postings here end the day before. {}: a transfer dated ahead is planned and "
            "done on that day.",
            lazy(services.transfer_window_text, str)(),
        ),
        error_messages={
            "required": "Enter the first day in the new borough",
        },
    )
    reason = forms.CharField(
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the officer is transferring",
            "max_length": "Keep the reason to 300 characters or fewer",
        },
    )

    def __init__(self, *args, officer, **kwargs):
        super().__init__(*args, **kwargs)
        # Any borough of London: the receiving borough need not be one the user works in.
        self.fields["borough"].queryset = Borough.objects.exclude(pk=officer.borough_id).order_by(
            "name"
        )


class TransferCancelForm(ServiceForm):
    reason = forms.CharField(
        label="Why is the transfer cancelled?",
        max_length=300,
        error_messages={
            "required": "Enter why the transfer is cancelled",
            "max_length": "Keep the reason to 300 characters or fewer",
        },
    )
