"""Contact your team: the public form (no account) and the team's inbox."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from config.access import get_for_user, require_role
from config.errors import DomainError
from config.publiccache import CSRF_FILL, csrf_token, per_visitor
from contact import honeypot, services
from contact.access import INBOX_ROLES, TEAM_ROLES, assignees
from contact.forms import AssignForm, MessageForm, ReplyForm
from contact.models import Message, Status
from wards.models import Ward

INBOX_SIZE = 200
ANONYMOUS = {"user": AnonymousUser(), "messages": ()}


def _ward(code):
    ward = Ward.objects.select_related("borough").defer("boundary").filter(code=code).first()
    if ward is None:
        raise Http404("No ward found.")
    return ward


def _public(ward, **context):
    return {
        "ward": ward, "reply_days": settings.CONTACT_REPLY_DAYS,
        "retention_days": settings.CONTACT_RETENTION_DAYS, **context,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def send(request, code):
    """The public form: anyone may send the ward's team a message."""
    ward = _ward(code)
    form = MessageForm(request.POST if request.method == "POST" else None)
    context = _public(ward)
    if request.method == "POST":
        if not honeypot.looks_human(
            request.POST.get("started", ""), request.POST.get(honeypot.TRAP_FIELD, "")
        ):
            # Quietly: the sender is not told which check failed, and nothing is stored.
            context["refused"] = True
            form = MessageForm()
        elif form.is_valid():
            data = form.cleaned_data
            try:
                message = services.message_send(
                    ward=ward, category=data["category"], text=data["text"],
                    name=data["name"], email=data["email"], phone=data["phone"],
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                return render(request, "contact/sent.html", _public(ward, message=message))
    context["form"] = form
    # This visitor's own: a copy kept by config.publiccache is served with fresh ones.
    context["started"] = per_visitor(request, honeypot.issue(), "contact.honeypot.issue_for")
    context["csrf_token"] = per_visitor(request, csrf_token(request), CSRF_FILL)
    status = 400 if request.method == "POST" else 200
    # As every public page: for an anonymous visitor (the copy is kept for everyone).
    return render(request, "contact/form.html", {**ANONYMOUS, **context}, status=status)


@login_required
def inbox(request):
    require_role(request.user, INBOX_ROLES)
    messages = Message.objects.for_user(request.user).select_related(
        "ward__team", "assigned_to__officer"
    )
    return render(request, "contact/inbox.html", {
        "overdue": list(messages.overdue().order_by("reply_by", "pk")[:INBOX_SIZE]),
        "open": list(messages.exclude(status=Status.CLOSED)[:INBOX_SIZE]),
        "inbox_size": INBOX_SIZE,
        "team_only": request.user.role in TEAM_ROLES,
    })


def _message(request, pk):
    return get_for_user(
        Message.objects.select_related("ward__team", "borough", "assigned_to__officer"),
        request.user, roles=INBOX_ROLES, pk=pk,
    )


def _people(request, message):
    return assignees(message, request.user)


def _detail(request, message, *, assign=None, reply=None, error=None, status=200):
    services.log_view(request.user, message)
    return render(request, "contact/message.html", {
        "message": message,
        "replies": message.replies.select_related("by__officer"),
        "assign_form": assign or AssignForm(
            people=_people(request, message), initial={"assigned_to": message.assigned_to_id}
        ),
        "reply_form": reply or ReplyForm(),
        "error": error,
    }, status=status)


@login_required
def message(request, pk):
    """One message. Every time it is shown, who and when is logged."""
    return _detail(request, _message(request, pk))


def _act(request, message, form, act, *, name):
    """Run `act(cleaned_data)` for a valid form; otherwise the page again with the errors."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(message)
    return _detail(request, message, status=400, **{name: form})


@login_required
@require_POST
def message_assign(request, pk):
    message = _message(request, pk)
    form = AssignForm(request.POST, people=_people(request, message))
    return _act(
        request, message, form,
        lambda data: services.message_assign(message, to=data["assigned_to"], by=request.user),
        name="assign",
    )


@login_required
@require_POST
def message_reply(request, pk):
    message = _message(request, pk)
    return _act(
        request, message, ReplyForm(request.POST),
        lambda data: services.message_reply(message, text=data["text"], by=request.user),
        name="reply",
    )


@login_required
@require_POST
def message_close(request, pk):
    message = _message(request, pk)
    try:
        services.message_close(message, by=request.user)
    except DomainError as exc:
        return _detail(request, message, error=exc.message, status=409)
    return redirect(message)
