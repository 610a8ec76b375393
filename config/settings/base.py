"""Settings shared by every environment. Everything that differs between machines comes from the
environment (see README, "Configuration")."""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_list, env_str
from config.schedule import CELERY_BEAT_SCHEDULE  # noqa: F401  (the one place schedules live)
from config.settings.security import *  # noqa: F403  (headers, rate and body limits, tokens)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "config.apps.AdminConfig",  # Django's admin, "view on site" scoped (config/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",  # expiring API tokens, stored hashed (config/tokens.py)
    "csp",  # Content-Security-Policy header (config/settings/security.py)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "corsheaders",  # CORS for the public API only (CORS_URLS_REGEX, config/settings/security.py)
    "config",  # the email outbox (config/mail.py)
    # The project's apps, lowest layer first (README, "How the code is laid out").
    "wards",
    "teams",
    "deployment",
    "promises",
    "victims",
    "demand",
    "contact",
    "planning",
    "policeuk",
    "supervision",
    "schools",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.static.StaticFilesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Before CommonMiddleware (its docs), so that every answer of the public API, a 429 or a 404
    # too, carries the CORS headers a browser needs to read it.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF reads a form (config/guards.py): a client over its rate limit, a NUL in the
    # address, or a body over its endpoint's limit stop here.
    "config.guards.RequestGuardMiddleware",
    # The public pages, the same for everyone, from the cache: after the rate limits, before the
    # CSRF, authentication and messages work they do not need (config/publiccache.py).
    "config.publiccache.PublicPageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A constable opens only the pages of their own work (config/access.py).
    "config.access.ConstablePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # A page's empty 405 becomes a GOV.UK page (config/guards.py); last, so everything above
    # handles that page as any other.
    "config.guards.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reports.context_processors.navigation",
                "config.menu.navigation",
                "deployment.context_processors.protocol_numbers",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL"), conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "config.rediscache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "nops",
    }
}

AUTH_USER_MODEL = "teams.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after a shift's worth of inactivity and when the browser closes. They are kept in
# PostgreSQL and read through Redis, and saved when they change; their expiry is pushed back at
# most every SESSION_REFRESH_SECONDS, not on every request (config/sessions.py).
SESSION_ENGINE = "config.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 5 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False

# Failed logins: lock a username+IP pair after AXES_FAILURE_LIMIT failures, for
# AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
# A mail server that stops answering fails the send (and the task retries) rather than holding
# a worker for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "neighbourhood-ops@localhost")

# A list filter's empty choice says what it means (GOV.UK: no "---------").
FILTERS_EMPTY_CHOICE_LABEL = "Any"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "config.renderers.JSONRenderer",
        "config.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.BoundedCountPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    # Which client address rate limits count (0: the connection's; never a spoofable header).
    "NUM_PROXIES": RATE_LIMIT_NUM_PROXIES,  # noqa: F405
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Neighbourhood Ops API",
    "DESCRIPTION": "London's Safer Neighbourhoods: wards, teams, postings and deployment.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The machines have no internet: the docs page loads Swagger UI from our own static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["config.api.staff_api_only"],
    # What every operation can also answer; times of day as they are written (config/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.openapi.add_error_answers",
        "config.openapi.times_of_day_without_offset",
    ],
    # Choice sets used by several components get one stable name each (else a hashed name).
    "ENUM_NAME_OVERRIDES": {
        "DutyKindEnum": "deployment.models.Duty.Kind",
        "FlexStatusEnum": "deployment.models.FlexStatus",
    },
}

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TIMEZONE = TIME_ZONE
# A task's message is acknowledged when the task ends, not when it starts (late acks): a worker
# that dies mid-task leaves it to be delivered again. Every task that writes can run twice
# harmlessly (its idempotency key: README, "Background work").
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# How long a task may run, in one place: the hard limit kills it, the soft one lets it say why.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", CELERY_TASK_TIME_LIMIT - 60)
# The longest a task's message waits in a worker before it runs: the longest retry back-off, or a
# report waiting for a dead worker's claim to go stale (the time limit, then 30 s).
CELERY_TASK_RETRY_BACKOFF_MAX = 10 * 60
CELERY_TASK_LONGEST_WAIT = max(CELERY_TASK_RETRY_BACKOFF_MAX, CELERY_TASK_TIME_LIMIT + 30)
# With Redis as the broker, a message a worker has taken and not acknowledged goes back to the
# queue after the visibility timeout: that is how a task of a whole worker that died (not just its
# child) runs again. It must outlast the longest a live worker holds a message, waiting and then
# running, or a live task would be delivered twice; beyond that, every minute is a minute a dead
# worker's task waits.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_LONGEST_WAIT + CELERY_TASK_TIME_LIMIT + 60,
}
CELERY_RESULT_EXPIRES = 7 * 24 * 60 * 60

# Minimum dedicated cover for every ward (Met policy since 2017: 2 dedicated PCs + 1 PCSO).
WARD_MIN_DEDICATED_PCS = env_int("WARD_MIN_DEDICATED_PCS", 2)
WARD_MIN_DEDICATED_PCSOS = env_int("WARD_MIN_DEDICATED_PCSOS", 1)
# "Cover below minimum on day D" (deployment.cover): an officer taken elsewhere by a flex or an
# abstraction for at least this many hours of a day is not in their ward's cover that day (a
# product assumption: half a shift).
COVER_AWAY_HOURS = env_float("COVER_AWAY_HOURS", 4)
if not 0 < COVER_AWAY_HOURS <= 25:
    raise ImproperlyConfigured("COVER_AWAY_HOURS must be more than 0 and at most 25 hours.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint (config.pdf) logs each step of every PDF at INFO; its warnings still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Victims (issue 6). The Victims' Code: a visit offer within 1 working day for victims with
# enhanced rights, 2 for others; "no reply" only after this many attempts to reach the victim;
# personal data removed this many days after the crime is closed.
VICTIM_OFFER_DEADLINE_WORKING_DAYS_ENHANCED = env_int(
    "VICTIM_OFFER_DEADLINE_WORKING_DAYS_ENHANCED", 1
)
VICTIM_OFFER_DEADLINE_WORKING_DAYS_OTHER = env_int("VICTIM_OFFER_DEADLINE_WORKING_DAYS_OTHER", 2)
VICTIM_OFFER_NO_REPLY_ATTEMPTS = env_int("VICTIM_OFFER_NO_REPLY_ATTEMPTS", 3)
VICTIM_DATA_RETENTION_DAYS = env_int("VICTIM_DATA_RETENTION_DAYS", 365)

# Contact your team. The public are told to expect a first reply within this many days; Grip and
# Pace lists the messages past it. Messages are deleted this many days after they closed (or,
# never closed, after they came in). A form sent sooner than the minimum after it was served is
# a script's; one older than the maximum is stale or replayed (contact.honeypot).
CONTACT_REPLY_DAYS = env_int("CONTACT_REPLY_DAYS", 5)
CONTACT_RETENTION_DAYS = env_int("CONTACT_RETENTION_DAYS", 180)
CONTACT_FORM_MIN_SECONDS = env_int("CONTACT_FORM_MIN_SECONDS", 3)
CONTACT_FORM_MAX_SECONDS = env_int("CONTACT_FORM_MAX_SECONDS", 2 * 60 * 60)

# Promises (product assumptions, not policy). A ward keeps at most this many open priorities
# (ward panels set about 3).
PROMISES_MAX_OPEN_PRIORITIES = env_int("PROMISES_MAX_OPEN_PRIORITIES", 5)
# "At risk": what remains of a promise this period exceeds what can reasonably be done in the
# days left, at most this many per remaining day (patrols: per remaining promised window).
PROMISES_MAX_PATROLS_PER_WINDOW = env_int("PROMISES_MAX_PATROLS_PER_WINDOW", 2)
PROMISES_MAX_VISITS_PER_DAY = env_int("PROMISES_MAX_VISITS_PER_DAY", 3)
PROMISES_MAX_ACTIVITIES_PER_DAY = env_int("PROMISES_MAX_ACTIVITIES_PER_DAY", 1)
# The public team page is cached this long (seconds), in Redis and by browsers.
PROMISES_PUBLIC_CACHE_SECONDS = env_int("PROMISES_PUBLIC_CACHE_SECONDS", 300)

# Monthly reports (issue 4). The Commissioner's 2013 target: at most 5% of neighbourhood officers'
# rostered time lost to abstraction (a product assumption; real rates ran 17-29%).
SNT_ABSTRACTION_TARGET = env_float("SNT_ABSTRACTION_TARGET", 0.05)
# Safer Schools (issue 16): crime and ASB "around the school" are the police.uk points within this
# many metres of it (a product assumption: about a five-minute walk, the routes to and from school
# that paragraph 23 of the 2011 SN report names), over demand's latest 12 months with data.
SCHOOL_RADIUS_M = env_int("SCHOOL_RADIUS_M", 500)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "VisitOfferStatusEnum": "victims.models.OfferStatus",
        "VisitOfferHowEnum": "victims.models.VisitOffer.How",
        "VictimContactMethodEnum": "victims.models.Victim.ContactMethod",
    }
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "PromiseKindEnum": "promises.models.Promise.Kind",
        "ActivityKindEnum": "promises.models.Activity.Kind",
        "EngagementEventKindEnum": "promises.models.EngagementEvent.Kind",
        "DeliveryStatusEnum": "promises.delivery.STATUS_CHOICES",
        "PlaceKindEnum": "wards.models.Place.Kind",
    }
)

# Signed-in pages and API lists are cached until a table they read is written to, at most this
# many seconds (config/datacache.py); 0 turns the cache off.
DATA_CACHE_SECONDS = env_int("DATA_CACHE_SECONDS", 60 * 60)

# The public pages, the same for everyone, served from the cache ahead of the session and
# authentication middleware (config/publiccache.py), as long as browsers may keep them.
PUBLIC_CACHED_PAGES = ["promises:find", "promises:public_team"]
# Public pages kept the same way but each answer filled in with its visitor's own CSRF token,
# form timestamp and nonce (config.publiccache.per_visitor): never the same bytes twice, never
# cached by browsers.
PUBLIC_VISITOR_PAGES = ["contact:send"]
PUBLIC_PAGE_CACHE_SECONDS = PROMISES_PUBLIC_CACHE_SECONDS
# The data.police.uk-compatible API's answers (policeuk/urls.py; not its schema), served from the
# same cache, each kept until the data changes (at most DATA_CACHE_SECONDS).
PUBLIC_CACHED_API = [f"policeuk:{name}" for name in POLICEUK_ANSWERS]  # noqa: F405

# The data.police.uk-compatible API (policeuk): how long browsers and proxies may keep an answer
# (Cache-Control max-age). The server's own copy lasts until the data changes (config.datacache);
# a client revalidates with the ETag.
POLICEUK_CACHE_SECONDS = env_int("POLICEUK_CACHE_SECONDS", 300)

# `make bench` only: serve a bare view (one query) at /bench/bare/ beside the real pages, so that
# their throughput can be read as a share of what Django itself can do on the machine. Never on
# in production (config.settings.prod refuses it).
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", False)

# The monthly roll-up waits for the boroughs' reports: it checks every N seconds, up to M times.
REPORT_ROLLUP_POLL_SECONDS = env_int("REPORT_ROLLUP_POLL_SECONDS", 30)
REPORT_ROLLUP_MAX_WAITS = env_int("REPORT_ROLLUP_MAX_WAITS", 120)
# A report's heaviest statements run on a second database connection beside the others
# (config.beside): off, every statement runs in turn on the worker's one connection.
READS_BESIDE = env_bool("READS_BESIDE", True)

# Demand (issue 15). Demand profiles: evenings (18:00-24:00) and weekends should have at least
# this many times the share of SN officer-hours that they have of calls (a product assumption:
# 1.0 means "at least the same share").
DEMAND_PROFILE_EVENING_RATIO = env_float("DEMAND_PROFILE_EVENING_RATIO", 1.0)
DEMAND_PROFILE_WEEKEND_RATIO = env_float("DEMAND_PROFILE_WEEKEND_RATIO", 1.0)
# Maps: a tile layer only where one is configured (e.g. an internal tile server's
# https://tiles.example/{z}/{x}/{y}.png); without it the ward polygons are the base layer.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
if MAP_TILE_URL:  # the tiles are images from that server: the Content-Security-Policy lets them in
    _tiles = urlsplit(MAP_TILE_URL.replace("{s}", "*"))  # Leaflet's {s}: any subdomain
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(  # noqa: F405
        f"{_tiles.scheme}://{_tiles.netloc}"
    )
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "DemandImportKindEnum": "demand.models.DataImport.Kind",
        "DemandImportStatusEnum": "demand.models.DataImport.Status",
        "SchoolCriterionEnum": "schools.models.CRITERION_NAMES",
    }
)
