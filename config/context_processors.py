"""Template context every page needs."""

from django.utils.functional import SimpleLazyObject


def navigation(request) -> dict:
    """Which menu links the signed-in user may follow (a link they would get 403 on is hidden).

    Lazy: a page that never shows the menu (the public pages) does not touch the session, so it
    stays cacheable for everyone."""

    def can_read_reports() -> bool:
        from deployment.reports.services import REPORT_READER_ROLES
        from wards.access import has_role

        user = getattr(request, "user", None)
        return bool(user is not None and has_role(user, REPORT_READER_ROLES))

    return {"can_read_reports": SimpleLazyObject(can_read_reports)}
