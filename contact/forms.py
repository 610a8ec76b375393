from django import forms

from config.forms import GovukFormMixin, ServiceForm
from contact.models import TEXT_MAX, Category


class MessageForm(ServiceForm):
    category = forms.ChoiceField(
        label="What is your message about?", choices=Category.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose what your message is about"},
    )
    text = forms.CharField(
        label="Your message", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"Up to {TEXT_MAX} characters. Do not include anyone else's personal details.",
        error_messages={
            "required": "Enter your message",
            "max_length": f"Your message must be {TEXT_MAX} characters or fewer",
        },
    )
    name = forms.CharField(label="Your name (optional)", max_length=120, required=False)
    email = forms.EmailField(
        label="Email address (optional)", required=False,
        help_text="Give one if you would like an answer by email.",
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    phone = forms.CharField(label="Phone number (optional)", max_length=30, required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    # The trap (contact.honeypot.TRAP_FIELD): hidden from people and assistive technology,
    # filled only by bots.
    website = forms.CharField(required=False, label="Leave this empty")

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\x00", "").strip()
        if not text:
            raise forms.ValidationError("Enter your message")
        return text


class AssignForm(GovukFormMixin, forms.Form):
    """Assign a message to one of `people`: the inbox's users of the message's borough (the
    view passes them; the service checks the borough again)."""

    assigned_to = forms.TypedChoiceField(
        label="Assign to", coerce=int, required=False, empty_value=None,
        error_messages={"invalid_choice": "Choose someone of the ward's team"},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["assigned_to"].choices = [("", "Nobody")] + [
            (pk, str(person)) for pk, person in self.people.items()
        ]

    def clean_assigned_to(self):
        pk = self.cleaned_data["assigned_to"]
        return None if pk is None else self.people[pk]


class ReplyForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Your reply", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter your reply"},
    )
