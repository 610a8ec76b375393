"""The menu's Reports link: shown only to the roles that may read reports."""

from django.utils.functional import SimpleLazyObject

from config.access import has_role
from reports.access import REPORT_READER_ROLES


def navigation(request) -> dict:
    """Whether the signed-in user may follow the Reports link (a link they would get 403 on is
    hidden).

    Lazy: a page that never shows the menu (the public pages) does not touch the session, so it
    stays cacheable for everyone."""

    def can_read_reports() -> bool:
        user = getattr(request, "user", None)
        return bool(user is not None and has_role(user, REPORT_READER_ROLES))

    return {"can_read_reports": SimpleLazyObject(can_read_reports)}
