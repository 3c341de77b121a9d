"""Settings for the SEND health portal: one module, driven by the environment.

Development (`make run`) sets ``DEBUG=1`` and gets safe defaults: SQLite, the
console email backend, tasks run in-process. With ``DEBUG`` off (the default,
and what production runs) ``SECRET_KEY`` and ``ALLOWED_HOSTS`` must be set and
the HTTPS hardening is on; a missing variable stops start-up with a message.
See README.md, "Configuration", for every variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_date, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-do-not-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = env_str(
        "SECRET_KEY",
        hint="Set it to a long random string, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`, "
        "or set DEBUG=1 for local development.",
    )
    ALLOWED_HOSTS = env_list(
        "ALLOWED_HOSTS",
        hint="List the host names the portal is served on, e.g. ALLOWED_HOSTS=send.example.nhs.uk.",
    )

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# What the installation calls its NHS commissioning body: "ICB" since July 2022,
# "CCG" for historic data (docs/domain.md, "Who is who").
COMMISSIONING_BODY_LABEL = env_str("COMMISSIONING_BODY_LABEL", "ICB")
SERVICE_NAME = "SEND health portal"

INSTALLED_APPS = [
    # Django admin, on a site that asks for the second factor (accounts.two_factor.site).
    "accounts.two_factor.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third party
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes for two-factor sign-in
    "csp",
    "rest_framework",  # the API (docs/api.md)
    "drf_spectacular",  # its OpenAPI schema
    "drf_spectacular_sidecar",  # Swagger UI's files, served from the portal (no CDN)
    # Ours, ground floor first (docs/architecture.md)
    "core",
    "accounts",
    "commissioning",
    "roles",
    "ehc",
    "governance",
    "enquiries",
    "improvement",
    "reports",
    "api",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out after the idle and absolute session limits (needs messages);
    # before the two-factor check, so an idle session is signed out rather
    # than asked for a code.
    "accounts.middleware.SessionLimitsMiddleware",
    # Nothing but sign-in, sign-out and the two-factor pages until the second factor is given.
    "accounts.two_factor.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Cache-Control: no-store on signed-in pages and downloads; Permissions-Policy.
    "core.headers.PrivacyHeadersMiddleware",
    "api.deprecation.DeprecationMiddleware",  # only under /api/v1/, only when announced
    # Records the signed-in user as the actor of every audited change, and
    # the trusted client address (core/client_address.py).
    "core.audit.AuditlogMiddleware",
    # Must be last: locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# DATABASE_URL selects the backend; SQLite is the embedded default.
# PostgreSQL connections are kept open for DATABASE_CONN_MAX_AGE seconds (60
# by default; 0 closes each at the end of its request): opening one costs the
# server a new process and the request a few milliseconds, about a fifth of
# an officer's page (docs/performance.md, "Scaling out"). Each is checked
# before reuse (conn_health_checks), so a restarted server costs one retry.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_health_checks=True,
    )
}
_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60 if _POSTGRESQL else 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a real backend (docs/architecture.md, "SQLite is a real backend"):
    # wait for locks instead of failing,
    # take the write lock at BEGIN so concurrent writers queue rather than
    # deadlock, and use WAL so readers never block the writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON;",
    }
elif _POSTGRESQL and not env_bool("DATABASE_JIT", False):
    # PostgreSQL's JIT compiles any statement its planner costs above
    # jit_above_cost: about 90 ms of compiling for report statements that run
    # in 100 ms to 1 s (docs/performance.md, "PostgreSQL settings"). The
    # portal's statements are index-driven and short; JIT never pays back.
    # Added to any options DATABASE_URL gives (?options=-c statement_timeout=...).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A few indexes include the columns the daily reminder read selects, so
# PostgreSQL answers it from the index alone (ehc/models/casework.py). SQLite
# has no such indexes; Django makes them there with their keys only, which
# is what is wanted, so its warning that it does is not shown.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Redis, cache and Celery --------------------------------------------------
# REDIS_URL unset: tasks run in-process and the cache is a database table that
# every worker shares (`python manage.py createcachetable`, run by `make setup`).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "send-portal",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }

# Report figures and quarterly PDFs kept in the cache while their scope's
# data is unchanged (reports/figures.py); this many seconds at most, so a
# renamed service shows under its new name by then. 0: nothing kept.
REPORT_FIGURES_SECONDS = env_int("REPORT_FIGURES_SECONDS", 15 * 60)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/London"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Deadline reminders (docs/reminders.md, "Leases and timeouts"). A reminder's
# claim holds for REMINDER_CLAIM_LEASE seconds; a row being sent is taken for
# dead after REMINDER_SENDING_LEASE. The broker hands back an unacknowledged
# task (its worker died) after the visibility timeout, which is kept at two
# thirds of the claim lease: a redelivered digest arrives while its claim still
# holds, and a retry's countdown (at most 5 minutes, ehc/tasks.py) stays below it.
REMINDER_CLAIM_LEASE = env_int("REMINDER_CLAIM_LEASE", 30 * 60)
REMINDER_SENDING_LEASE = env_int("REMINDER_SENDING_LEASE", 10 * 60)
# Cron mode (no Redis): seconds before each retry of a refused digest.
REMINDER_RETRY_DELAYS = (2, 5)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": REMINDER_CLAIM_LEASE * 2 // 3}
# One beat schedule, in code. crontab times are in CELERY_TIMEZONE, so 07:00
# is 07:00 London time in GMT and in BST alike.
CELERY_BEAT_SCHEDULE = {
    "daily-deadline-reminders": {
        "task": "ehc.send_deadline_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Takes over what a run left unsent (stale claims, failures, uncertain
    # deliveries due a resend): ehc/reminders/runs.py, recover_reminders.
    "deadline-reminders-recovery": {
        "task": "ehc.recover_reminder_digests",
        "schedule": crontab(minute="*/10"),
    },
    # Folds the rows each write appends to England's month rows, one per
    # key (ehc/summary.py, compact_england); reports read the same sums.
    "nightly-england-compaction": {
        "task": "ehc.compact_england",
        "schedule": crontab(hour=2, minute=30),
    },
    # Fills England's overdue on the month end just passed (ehc/summary.py,
    # fill_overdue_month_ends): nothing to do on any other night.
    "nightly-england-overdue": {
        "task": "ehc.fill_overdue",
        "schedule": crontab(hour=0, minute=20),
    },
}

# --- Authentication -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Lockout check first, then object-level rules, then the normal backend.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# docs/information-governance.md, "Passwords and sessions".
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        # The model keeps one full name (no first or last name fields).
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.VarietyValidator"},
    {"NAME": "accounts.passwords.NotCurrentPasswordValidator"},
]

# django-axes: 5 failures for the same account from the same address locks it
# for 30 minutes.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's email field
AXES_USERNAME_CALLABLE = "accounts.security.lockout_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Two-factor sign-in (django-otp) --------------------------------------------
# docs/information-governance.md, "Two-factor sign-in". The roles listed must
# give a code from an authenticator app after their password: by default every
# role that sees identifiable data whenever DEBUG is off, and nobody with DEBUG
# on, so that `make run` lets a newcomer in with the demo accounts.
# OTP_REQUIRED_ROLES takes role values separated by commas, or "none". Whoever
# has set up an app is asked for a code whatever this says (commissioners may
# choose to). Django admin asks for it whenever the user's role must give it.
_OTP_ROLES = env_list(
    "OTP_REQUIRED_ROLES",
    [] if DEBUG else ["administrator", "designated_officer", "health_practitioner", "la_officer"],
)
OTP_REQUIRED_ROLES = [] if _OTP_ROLES == ["none"] else _OTP_ROLES
OTP_TOTP_ISSUER = SERVICE_NAME  # the name the authenticator app shows beside the code
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # nobody reads another user's key in Django admin

SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

# --- Static and uploaded files ----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents (health advice) live outside the web root and are only
# ever served through views that check scope.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "uploads")))
# Largest advice document accepted (PDF or Word), in megabytes.
ADVICE_DOCUMENT_MAX_BYTES = env_int("ADVICE_DOCUMENT_MAX_MB", 10) * 1024 * 1024
# How far a .docx (a zip package) may expand when unpacked.
ADVICE_DOCUMENT_MAX_UNPACKED_BYTES = env_int("ADVICE_DOCUMENT_MAX_UNPACKED_MB", 50) * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production (needs `collectstatic`);
        # plain files in development and tests.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = False

# --- Email ----------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SEND health portal <no-reply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Base address used in emails (links back into the portal).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- Forms ------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- The API (docs/api.md) ----------------------------------------------------------
# Bearer tokens only (no session: no CSRF to think of); JSON only; one error shape.
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", "600/minute")  # per token
# Announcing v1's end (api.deprecation): Deprecation, Sunset and Link headers.
API_V1_DEPRECATED_ON = env_date("API_V1_DEPRECATED_ON")
API_V1_SUNSET_ON = env_date("API_V1_SUNSET_ON")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.PortalPermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": API_THROTTLE_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATE_INPUT_FORMATS": ["iso-8601"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SEND health portal API",
    "DESCRIPTION": "Requests for health advice, contributions, advice and aggregate figures, "
    "each scoped exactly as the token's user sees them in the portal. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No links inside the operations' buttons (nested controls fail axe); plain
    # examples (the highlighter's colours fail contrast).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "syntaxHighlight": {"activated": False}},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}

# --- Audit --------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False  # each app registers its models explicitly
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- Information governance: retention, erasure, subject access -------------------------
# The retention schedule (docs/information-governance.md, "Retention"): a child's
# records are due for erasure at the later of the NHS Records Management Code of
# Practice rule (until the 25th birthday, the 26th if 17 when the work ended; 8
# years after death) and 8 years after the last activity. A local authority
# holding the records under its own schedule sets its own numbers here.
RETENTION_UNTIL_AGE = env_int("RETENTION_UNTIL_AGE", 25)
RETENTION_UNTIL_AGE_IF_17_AT_END = env_int("RETENTION_UNTIL_AGE_IF_17_AT_END", 26)
RETENTION_YEARS_AFTER_ACTIVITY = env_int("RETENTION_YEARS_AFTER_ACTIVITY", 8)
RETENTION_YEARS_AFTER_DEATH = env_int("RETENTION_YEARS_AFTER_DEATH", 8)
# Days a prepared subject access ZIP is kept before the retention run deletes its file.
SUBJECT_ACCESS_KEEP_DAYS = env_int("SUBJECT_ACCESS_KEEP_DAYS", 30)
# The list of children due is prepared at 06:00 on the 1st of each month (London
# time); nothing is erased until an administrator approves it in the portal.
CELERY_BEAT_SCHEDULE["monthly-retention-list"] = {
    "task": "governance.prepare_retention_list",
    "schedule": crontab(day_of_month=1, hour=6, minute=0),
}

# --- Security headers -----------------------------------------------------------------
# HTTPS hardening is on whenever DEBUG is off; HTTPS=0 turns it off for a plain
# HTTP test server. TLS is terminated by the proxy in front of gunicorn, which
# must set X-Forwarded-Proto.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # probes call the container over plain HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# django-csp 4: no inline script or style anywhere in our templates.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO; keep its warnings only.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Information governance: client address, passwords, sessions, headers ---------
# docs/information-governance.md says why each of these is set as it is.

# Proxies in front of gunicorn, each appending to X-Forwarded-For; 0 ignores the
# header. The lockout (django-axes) and the audit log both take the client's
# address from core.client_address, not from axes' own ipware settings.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("The environment variable PROXY_COUNT must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_address"

# Password reset links: at most this many requests per hour from one client
# address, and for one email address (whether or not it has an account).
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 10)
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_LIMIT_WINDOW = 60 * 60  # seconds

# Sessions end SESSION_COOKIE_AGE after signing in, whatever the activity; the
# roles listed here (those that see identifiable data) are also signed out after
# SESSION_IDLE_MINUTES without a request.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_IDLE_ROLES = env_list(
    "SESSION_IDLE_ROLES",
    ["administrator", "designated_officer", "health_practitioner", "la_officer"],
)

# Browser features no page of the portal uses, switched off for every page
# (each one a name Chromium knows: an unknown name is a console warning).
PERMISSIONS_POLICY = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "clipboard-read",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "sync-xhr",
    "usb",
    "xr-spatial-tracking",
]

# /healthz/ shows configuration details and hints (Redis not configured, the
# reminder runs) only to administrators and to a request whose X-Healthz-Token
# header matches this; unset, only administrators see them.
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN", "")

# Demo data (seed_demo): the password given to every demo user.
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "send-demo-password")
