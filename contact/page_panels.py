"""What contact puts in the menu and on the home page (config.menu, config.panels): the inbox
for those who read it, and a constable's ward team's open messages, most urgent first.
Registered in ContactConfig.ready()."""

from config.access import Role
from contact.access import INBOX_ROLES
from contact.models import Message, Status

# How many open messages the home page lists.
SHOWN = 5


def register() -> None:
    from config import menu, panels

    menu.register("contact.inbox", "Messages", url="contact:inbox", roles=INBOX_ROLES, order=40)
    panels.register("home", "contact.team_messages", template="contact/panels/home_messages.html",
                    context=team_messages, roles={Role.CONSTABLE}, order=5)  # fmt: skip


def team_messages(_, request) -> dict:
    """The open messages of the user's own ward teams (contact.access), the earliest reply-by
    date first: two queries (the rows, the count), whatever their number."""
    messages = Message.objects.for_user(request.user).exclude(status=Status.CLOSED)
    shown = list(
        messages.select_related("ward__team", "assigned_to__officer").order_by("reply_by", "pk")[
            :SHOWN
        ]
    )
    return {"messages": shown, "count": messages.count()}
