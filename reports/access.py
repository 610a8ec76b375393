"""Who may do what with the monthly reports. Pages, the API, the menu and the emails all ask
here; scoping to the user's boroughs is config.access's, as everywhere."""

from config.access import Role, borough_ids, has_role

# Who may read a borough's reports (others of the borough get 403, outsiders 404).
REPORT_READER_ROLES = frozenset(
    {Role.COMMANDER, Role.HQ, Role.ADMIN, Role.CHIEF_INSPECTOR, Role.INSPECTOR}
)
# Who may ask for a report now, or a new version of one.
REPORT_GENERATOR_ROLES = frozenset({Role.COMMANDER, Role.HQ, Role.ADMIN})
# Who may read why a report failed (the error text can name internals), and the failures page.
REPORT_ERROR_READER_ROLES = frozenset({Role.HQ, Role.ADMIN})


def may_read_reports(user) -> bool:
    return has_role(user, REPORT_READER_ROLES)


def may_generate_reports(user) -> bool:
    return has_role(user, REPORT_GENERATOR_ROLES)


# The value a form or the API gives for the Met-wide roll-up instead of a borough's code.
ROLLUP_CHOICE = "all"


def may_generate_rollup(user) -> bool:
    """The roll-up sums every borough: only a London-wide role (HQ, admin) asks for it."""
    return may_generate_reports(user) and borough_ids(user) is None


def may_read_errors(user) -> bool:
    return has_role(user, REPORT_ERROR_READER_ROLES)


def error_for(report, user) -> str:
    """The report's error text as `user` may see it: in full for its readers, else nothing."""
    return report.error if may_read_errors(user) else ""


# -- the performance framework ---------------------------------------------------------------

# Who writes a level's commentary: a ward's inspectors, a borough's and a BCU's commander, HQ
# for London (each within their boroughs, as config.access scopes the area).
COMMENTARY_ROLES = {
    "ward": frozenset({Role.INSPECTOR, Role.CHIEF_INSPECTOR}),
    "borough": frozenset({Role.COMMANDER}),
    "bcu": frozenset({Role.COMMANDER}),
    "london": frozenset({Role.HQ}),
}
# Who edits the rating bands (London-wide records).
BAND_EDITOR_ROLES = frozenset({Role.HQ, Role.ADMIN})


def may_comment(user, level: str) -> bool:
    return has_role(user, COMMENTARY_ROLES[level])
