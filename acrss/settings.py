"""Settings of the AC-RSS portal, read from the environment only.

Every variable is listed in `.env.example` and in the README. A bad value stops
the process at start-up with a message naming the variable.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true or false), not {value!r}.")


def env_int(name: str, default: int | None) -> int | None:
    value = env_str(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def refuse_renamed(old: str, new: str) -> None:
    """Stop at start-up on a variable's former name, rather than ignore it silently."""
    if os.environ.get(old, "").strip():
        raise ImproperlyConfigured(f"{old} is now {new}: rename it in the environment.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        sys.exit("DJANGO_SECRET_KEY is not set: set it (50 random characters) or DJANGO_DEBUG=1.")
    # Local development only: production has stopped just above.
    SECRET_KEY = "insecure-key-for-local-development-only-0123456789"  # noqa: S105

# --- Secret key strength -------------------------------------------------------
# A short key, or the placeholder copied from .env.example, signs sessions and
# invitation links that anyone could forge: production refuses to start with it.
EXAMPLE_KEY_PLACEHOLDER = "change-me-to-50-random-characters-change-me-to-50-random"
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY == EXAMPLE_KEY_PLACEHOLDER):
    sys.exit(
        "DJANGO_SECRET_KEY is too weak: set at least 50 random characters, "
        "not the example's placeholder."
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Django's task interface (built into Django 6) and its database backend.
    "django_tasks",
    "django_tasks_db",
    "common",
    "accounts",
    "audit",
    "members",
    "workshops",
    "reports",
    "checkin",
    # The project's own commands, those that span every app (load_demo).
    "acrss",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed (static files come compressed from whitenoise, just
    # above). Django's BREACH mitigations: a random-length filename in every
    # gzip header, and a CSRF token masked anew in every response, so no secret
    # repeats from one response to the next for an attacker to guess.
    "django.middleware.gzip.GZipMiddleware",
    # Early, so that it marks every page whichever layer answers (static files
    # stay cacheable: whitenoise answers them before).
    "acrss.middleware.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.access.AuthenticationMiddleware",
    # Every page asks for a log-in unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "acrss.middleware.ChosenLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.PrivilegedSessionMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # Refuses a body over the upload limit from its Content-Length, unread.
    "common.uploads.RequestSizeLimitMiddleware",
    # Last, so that it is the first to see a view's exception: a full disk gets
    # a 503 page in the person's language rather than a 500.
    "common.storage.DiskFullMiddleware",
]

ROOT_URLCONF = "acrss.urls"
WSGI_APPLICATION = "acrss.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
            # common/ has no models, so it is no app: its template filters are named here.
            "libraries": {"words": "common.words", "kept": "common.caching"},
        },
    },
]

# Database: SQLite beside the code unless DATABASE_URL names another one.
# Connections stay open between requests (measured: 4-5x the throughput of a
# new PostgreSQL connection per request), checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Random reads cost little more than sequential ones on solid-state storage;
    # PostgreSQL's default (4) assumes spinning disks and makes it scan every
    # person to sort one workshop's participants (measured: 9 ms, 2.4 ms with this).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c random_page_cost=1.1")
    # Parameters bound by the server, so that psycopg prepares a statement run
    # five times on a connection: a page's permission check spent 1.8 ms of its
    # 2 ms planning the same query again. (A pooler in transaction mode, such
    # as PgBouncer's, cannot sit in front of prepared statements.)
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
# --- SQLite: writers wait their turn ---------------------------------------------
# The embedded database takes its write lock when a transaction starts and waits
# up to 5 s for it, so simultaneous votes queue instead of failing with
# "database is locked"; the write-ahead log lets pages read meanwhile.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with the number of values a statement may carry read
    # from the library rather than assumed (see common/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "common.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; "
        "PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Shared state: the cache ------------------------------------------------------
# allauth keeps its rate limits in the cache, so every web process must share
# it: Redis when REDIS_URL is given (the database while Redis does not answer),
# otherwise the database (its table is created after every `migrate`); local
# memory only in the single-process demo.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "common.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "acrss",
            # While Redis does not answer, the database holds the cache.
            "FALLBACK": "database",
        },
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "acrss_cache",
            "KEY_PREFIX": "acrss",
        },
    }
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "acrss_cache",
        }
    }

# Sessions: read from the shared cache (no query on a signed-in request), kept
# in the database behind it so that a restarted Redis signs nobody out. With
# no Redis the cache is the database itself: one query either way.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

# Accounts: the e-mail address is the login, and it must be confirmed.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# A newcomer confirming the address in the browser that signed up is logged in
# there and lands where the next step is: describing the organisation.
ACCOUNT_SIGNUP_REDIRECT_URL = "members:mine"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AC-RSS] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "AC-RSS"
# A phone whose clock is half a minute off, or a code typed as its window turns
# over a slow connection, is still accepted: one step either side. A used code
# stays refused for that whole span (accounts/secondfactor.py).
MFA_TOTP_TOLERANCE = 1

# --- Client addresses behind a proxy -----------------------------------------------
# Every limit by address (log-ins, self check-in) counts the address our nearest
# trusted proxy saw: with N proxies of ours in front, the N-th entry from the end
# of X-Forwarded-For. Without one (0, the default), the header is the client's
# own word and is ignored: the connection's address counts.
BEHIND_HTTPS_PROXY = env_bool("DJANGO_BEHIND_HTTPS_PROXY", default=False)
refuse_renamed("ALLAUTH_TRUSTED_PROXY_COUNT", "ACRSS_TRUSTED_PROXIES")
ACRSS_TRUSTED_PROXIES = env_int("ACRSS_TRUSTED_PROXIES", 0)
if ACRSS_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(
        f"ACRSS_TRUSTED_PROXIES must be 0 or more, not {ACRSS_TRUSTED_PROXIES}."
    )
if ACRSS_TRUSTED_PROXIES and not BEHIND_HTTPS_PROXY:
    raise ImproperlyConfigured(
        "ACRSS_TRUSTED_PROXIES must be 0 unless DJANGO_BEHIND_HTTPS_PROXY=1: "
        "without a proxy of ours, X-Forwarded-For is written by the client."
    )
ALLAUTH_TRUSTED_PROXY_COUNT = ACRSS_TRUSTED_PROXIES

# Rows on one page of a list (applications, members, directory, workshops,
# participants, people).
ACRSS_PAGE_SIZE = env_int("ACRSS_PAGE_SIZE", 50)
if ACRSS_PAGE_SIZE < 1:
    raise ImproperlyConfigured(f"ACRSS_PAGE_SIZE must be at least 1, not {ACRSS_PAGE_SIZE}.")

# Attendance reports: the oldest age (on a workshop's first day) counted as youth.
ACRSS_YOUTH_MAX_AGE = env_int("ACRSS_YOUTH_MAX_AGE", 35)
# Report exports: an XLSX of more rows is written in the background (by the worker).
ACRSS_XLSX_IN_REQUEST_ROWS = env_int("ACRSS_XLSX_IN_REQUEST_ROWS", 50_000)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# English dates read day/month/year, as the portal's readers write them.
FORMAT_MODULE_PATH = ["acrss.formats"]
TIME_ZONE = "Africa/Bamako"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Uploaded documents are never served as static files: only through views
# that check who asks, so there is no MEDIA_URL route. Files are written whole
# or not at all (common/storage.py), readable by the portal's account only.
STORAGES = {
    "default": {"BACKEND": "common.storage.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "AC-RSS <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that hangs fails the try after this many seconds; the e-mail is
# tried again later (`common/delivery.py`).
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 30)

# --- Work done later: e-mails, large exports, clean-ups ----------------------------
# Tasks are rows of the portal's own database, written in the transaction of the
# change that owes them, and run by `manage.py run_worker` (`common/jobs.py`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Security: strict by default outside debug; `check --deploy` passes.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# --- Privileged sessions ----------------------------------------------------------
# Committee, secretariat, partner and admin sessions end after this idle time and
# after this total time, whatever "remember me" said (seconds).
ACRSS_PRIVILEGED_SESSION_IDLE = 2 * 3600
ACRSS_PRIVILEGED_SESSION_MAX = 12 * 3600
# Features no page of the portal uses, refused to every script.
ACRSS_PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# The portal's own settings.
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Votes needed to approve or reject an application; empty means a majority of
# the active steering committee members.
ACRSS_APPROVAL_QUORUM = env_int("ACRSS_APPROVAL_QUORUM", None)
# Committee, secretariat, partner and admin accounts must set up a second
# factor before seeing anything else; the demo only reminds them.
ACRSS_REQUIRE_MFA = env_bool("ACRSS_REQUIRE_MFA", default=not DEBUG)
ACRSS_INVITATION_DAYS = env_int("ACRSS_INVITATION_DAYS", 7)
# Self check-ins accepted by one day's link: from one phone (a cookie the page
# sets) in the day, and from one network address in an hour. A whole workshop
# may sit behind one address (the venue's Wi-Fi, a mobile operator's gateway).
refuse_renamed(
    "ACRSS_SELF_CHECK_IN_PER_HOUR",
    "ACRSS_SELF_CHECK_IN_PER_ADDRESS (an hour) and ACRSS_SELF_CHECK_IN_PER_DEVICE (a day)",
)
ACRSS_SELF_CHECK_IN_PER_DEVICE = env_int("ACRSS_SELF_CHECK_IN_PER_DEVICE", 5)
ACRSS_SELF_CHECK_IN_PER_ADDRESS = env_int("ACRSS_SELF_CHECK_IN_PER_ADDRESS", 200)
# Every day the worker (or `manage.py apply_retention`) erases the identity of
# people whose last workshop ended more than this many years ago; empty keeps everyone.
ACRSS_RETENTION_YEARS = env_int("ACRSS_RETENTION_YEARS", None)

# --- Backups (`manage.py backup`, `manage.py restore --check`) -----------------------
# Where `backup` writes its dated archives when given no file.
ACRSS_BACKUP_DIR = env_str("ACRSS_BACKUP_DIR")
# Archives kept after each backup: the newest of each of the last N days, and of
# each of the last M weeks (an erased person stays in older archives until then).
ACRSS_BACKUP_KEEP_DAILY = env_int("ACRSS_BACKUP_KEEP_DAILY", 7)
ACRSS_BACKUP_KEEP_WEEKLY = env_int("ACRSS_BACKUP_KEEP_WEEKLY", 4)
if ACRSS_BACKUP_KEEP_DAILY < 1 or ACRSS_BACKUP_KEEP_WEEKLY < 0:
    raise ImproperlyConfigured(
        "ACRSS_BACKUP_KEEP_DAILY must be at least 1 and ACRSS_BACKUP_KEEP_WEEKLY at least 0."
    )
# The key that seals (encrypts and authenticates) archives: 32 random bytes in
# base64 (`openssl rand -base64 32`). Without it the archives are plain tar files.
# Whoever loses it loses every archive sealed with it.
ACRSS_BACKUP_KEY = env_str("ACRSS_BACKUP_KEY")
if ACRSS_BACKUP_KEY is not None:
    from common.sealing import parse_key

    try:
        parse_key(ACRSS_BACKUP_KEY)
    except ValueError as error:
        raise ImproperlyConfigured(f"ACRSS_BACKUP_KEY {error}.") from None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
