"""What every environment does to keep hostile clients out: security headers, rate limits,
request body limits, API token lifetime. Imported by base.py; production (prod.py) adds TLS.

Every number here is a setting read from the environment, so a deployment (or the speed bench)
can change it without touching code."""

import datetime

from csp.constants import NONCE, NONE, SELF

from config.env import env_int, env_str

# -- headers -----------------------------------------------------------------------------------
# Content-Security-Policy (django-csp): scripts and styles only from our own static files. A
# script that must stay in a page carries the request's nonce ({{ request.csp_nonce }}); no page
# has inline event handlers or style attributes. Images may be data: URIs (GOV.UK Frontend's and
# Swagger UI's icons). No page may be framed (frame-ancestors), and forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (django-permissions-policy): no powerful feature, except geolocation on our
# own pages ("use my location" on the public find-your-team page).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": [],
    "geolocation": ["self"],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}
# SecurityMiddleware: Referrer-Policy and X-Content-Type-Options: nosniff on every response;
# X-Frame-Options for browsers that predate frame-ancestors.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A form sent without its valid CSRF token (a page left open past the session, cookies cleared):
# a GOV.UK page with a way back, not Django's bare one.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# -- rate limits -------------------------------------------------------------------------------
# Requests per client address to what anyone may call without signing in (config/guards.py):
# "N/s", "N/min", "N/hour" or "N/day". Above it: 429 with Retry-After. A police station may sit
# behind one address, hence sign-in is not tighter than this; django-axes still locks a username
# after AXES_FAILURE_LIMIT wrong passwords.
RATE_LIMITS = {
    # the sign-in page, the admin's sign-in page, sign-out, and the API token endpoint
    "login": env_str("RATE_LIMIT_LOGIN", "30/min"),
    # the public pages (find your team, a team's page, the accessibility statement, privacy
    # notice and cookies page) and the API's schema and docs
    "public": env_str("RATE_LIMIT_PUBLIC", "120/min"),
    # the data.police.uk-compatible API (data.police.uk itself allows 15 a second, bursts of 30)
    "open_data": env_str("RATE_LIMIT_OPEN_DATA", "900/min"),
    # the public "contact your team" form, showing it and sending it (a message is two requests)
    "contact": env_str("RATE_LIMIT_CONTACT", "20/hour"),
}
# The data.police.uk-compatible API's endpoints (policeuk/urls.py) besides its schema.
POLICEUK_ANSWERS = (
    "forces", "force", "force-people", "locate", "categories", "dates", "street", "at-location",
    "no-location", "outcomes", "neighbourhoods", "neighbourhood", "boundary", "people", "events",
    "priorities",
)
# The endpoints (URL names) anyone may call without signing in, and the scope each counts in.
RATE_LIMITED_ENDPOINTS = {
    "login": "login",
    "logout": "login",
    "admin:login": "login",
    "admin:logout": "login",
    "api:token": "login",
    "promises:find": "public",
    "promises:public_team": "public",
    "contact:send": "contact",
    "accessibility": "public",
    "privacy": "public",
    "cookies": "public",
    "api:schema": "public",
    "api:docs": "public",
    # the data.police.uk-compatible API (policeuk/urls.py), every endpoint
    **{f"policeuk:{name}": "open_data" for name in ("schema", *POLICEUK_ANSWERS)},
}
# Which address a request comes from: behind this many reverse proxies, the client's address is
# taken from X-Forwarded-For (0: the connection's own address).
RATE_LIMIT_NUM_PROXIES = env_int("RATE_LIMIT_NUM_PROXIES", 0)

# -- request bodies ----------------------------------------------------------------------------
# The largest request body accepted, by kind of endpoint, whatever its content type: 413 above
# it. Imports take a whole file (a borough's year of roster or crimes); everything else is a form
# or a JSON object.
MB = 1024 * 1024
REQUEST_BODY_LIMITS = {
    "import": env_int("IMPORT_BODY_MAX_MB", 50) * MB,
    "default": env_int("REQUEST_BODY_MAX_MB", 2) * MB,
}
# A roster or crime CSV of more rows than this is imported by a worker (202 and a status URL,
# config/bulkimport.py); a smaller one in the request, answered at once.
IMPORT_IN_REQUEST_MAX_ROWS = env_int("IMPORT_IN_REQUEST_MAX_ROWS", 2000)
# The endpoints (URL names) that are imports; every other endpoint is "default".
IMPORT_ENDPOINTS = frozenset(
    {
        "api:duty-import",
        "api:crime-import",
        "deployment:roster_import",
        "promises:place_import",
        "api:demand-import-list",  # police.uk months and CAD calls (demand)
        "demand:imports",
        "schools:import",  # what is known of each school (Safer Schools)
        "api:safer-schools-import",
    }
)
# Django's own checks must not fire first (they answer a bare 400): the guard above has already
# held each body to its kind's limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(REQUEST_BODY_LIMITS.values())
# JSON bodies nested deeper than this are refused (400) before they are parsed.
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 32)

# -- API tokens --------------------------------------------------------------------------------
# A token lasts a shift (django-rest-knox; only a hash is stored). It is also revoked at once when
# its user is deactivated, changes role, boroughs or password (teams/signals.py).
API_TOKEN_HOURS = env_int("API_TOKEN_HOURS", 10)
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(hours=API_TOKEN_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

# -- CORS (django-cors-headers) ----------------------------------------------------------------
# The public API (/api/ outside the staff API /api/v1/) is open data: any site's scripts may
# read it, without credentials (no cookie is ever sent or honoured there). POST is allowed for
# crimes-street's areas too long for a URL; the staff API and the pages send no CORS headers.
CORS_URLS_REGEX = r"^/api/(?!v1/).*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS", "POST")
CORS_EXPOSE_HEADERS = ("ETag", "Retry-After", "Link", "X-Attribution")
