"""Who reads the inbox: the ward teams' sergeants and staff and the borough's inspectors and
chief inspectors, each in their own boroughs (config.access: a message of another borough is a
404). Commanders, HQ and administrators are refused (403): messages are personal data, and only
those who answer them need to read them. There is no constable role: constables answer through
their sergeant."""

from config.access import Role

INBOX_ROLES = frozenset({Role.STAFF, Role.SERGEANT, Role.INSPECTOR, Role.CHIEF_INSPECTOR})
