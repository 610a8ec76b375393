"""Template context every page needs."""


def navigation(request) -> dict:
    """Which menu links the signed-in user may follow (a link they would get 403 on is hidden)."""
    from deployment.reports.services import REPORT_READER_ROLES
    from wards.access import has_role

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"can_read_reports": has_role(user, REPORT_READER_ROLES)}
