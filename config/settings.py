"""Công Sở Xanh settings: one module, every value from the environment.

Helpers fail loudly (ImproperlyConfigured) on a bad value rather than guessing.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

# Lets ModelAdmin[Model] and friends be subscripted at run time, for the type checker.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        allowed = "/".join(sorted(choices))
        raise ImproperlyConfigured(f"{name} must be one of {allowed}, not {raw!r}")
    return value


_ADMIN = re.compile(r"(?P<name>[^<>,]*?)\s*<(?P<address>[^<>\s,]+)>|(?P<bare>[^<>\s,]+)")


def env_admins(name: str) -> list[tuple[str, str]]:
    """ADMINS="Lan Nguyễn <lan@example.vn>, ops@example.vn" as [(name, address), ...]."""
    raw = os.environ.get(name, "")
    admins: list[tuple[str, str]] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        match = _ADMIN.fullmatch(item)
        address = (match.group("address") or match.group("bare")) if match else ""
        try:
            validate_email(address)
        except ValidationError:
            raise ImproperlyConfigured(
                f"{name} must list 'Name <address>' entries separated by commas, not {item!r}"
            ) from None
        admins.append(((match.group("name") if match else "") or address, address))
    return admins


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huey.contrib.djhuey",
    "inspections",
    "api",
    "web",
]

MIDDLEWARE = [
    # First: every response, even a redirect to HTTPS, and every log record carry the id.
    "config.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and JSON gzipped (with Django's BREACH mitigation), never photos, PDF, XLSX or ZIP;
    # above everything that writes a body, so that what they write is compressed.
    "config.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the signed-in user remembered in the shared `auth` cache (config/auth.py).
    "config.auth.RememberedAuthenticationMiddleware",
    # Two-factor: the session's verified device, then our account steps (web/middleware.py).
    "django_otp.middleware.OTPMiddleware",
    "web.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A refused action no view caught: its error page, with the status of inspections/errors.py.
    "web.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Control characters, body sizes, too many fields: refused before anything reads the body.
    "config.inputs.InputsMiddleware",
    # Last: a web sign-in refused for too many attempts from one address becomes a 429 page,
    # one refused for too many failures of one username becomes the lockout answer.
    "web.middleware.LoginRateLimitMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# The error pages (web/errors.py) are wired in config/urls.py; this one is a setting.
CSRF_FAILURE_VIEW = "web.errors.csrf_failure"
# The page of a request config/inputs.py refuses before any view (the API answers JSON).
INPUT_REFUSAL_VIEW = "web.errors.error_page"
WSGI_APPLICATION = "config.wsgi.application"

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
                # The bell's unread count in every page's header: one query, only when shown.
                "web.context_processors.notifications",
            ],
        },
    },
]


def _database(url: str) -> dict[str, Any]:
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN,
        # so two concurrent autosaves queue on the busy timeout instead of failing with
        # "database is locked" when a read lock is upgraded. Connections are kept like
        # PostgreSQL's (one per thread): opening one runs the PRAGMAs and makes SQLite read
        # the schema again, a few milliseconds of every page (bench/checklist_page.py).
        # A page cache of up to 32 MiB (grown only as pages are read) holds the ranking's sort
        # of 50,000 rows in memory; at SQLite's default 2 MiB the sort spilled to a temporary
        # file, 60 of its 290 ms (bench/national.py).
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                " PRAGMA cache_size=-32768;"
            ),
        }
    return config


DATABASES = {
    "default": _database(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Redis: the one setting that the cache, the limits and the task queue share, e.g.
# redis://127.0.0.1:6379/0. Without it the cache is this process's memory (enough for one
# process; with several workers each would count its own limits).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL and urlsplit(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
    # The URL may hold a password: name only its scheme.
    raise ImproperlyConfigured(
        "REDIS_URL must be a redis://, rediss:// or unix:// URL, "
        f"not {urlsplit(REDIS_URL).scheme or 'one without a scheme'}"
    )
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "csx",
            # A Redis that stops answering slows a request by a second, never hangs a worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "csx"}
    ),
    # Who a request is (inspections/authcache.py): shared by every worker, so that a revoked
    # token or a changed password is seen by all of them at the next request. Redis when there
    # is one, else files on this machine (AUTH_CACHE_DIR); never one process's memory.
    "auth": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "csx:auth",  # under the product's own prefix, like the limits
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(Path(os.environ.get("AUTH_CACHE_DIR", BASE_DIR / "cache" / "auth"))),
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    ),
}
# How long a token stays remembered without a database read; changes made around the
# services (the shell, SQL) are seen after this at most (every service path at once). 0: never.
AUTH_CACHE_SECONDS = env_int("AUTH_CACHE_SECONDS", 60)

# Sign-in limits. django-axes: AXES_FAILURE_LIMIT failures of one username from one address
# lock that pair out for AXES_COOLOFF_TIME hours; the state lives in Redis when there is one,
# else in the database (never in one process's memory), so every server sees the same count.
# LOGIN_RATE_PER_ADDRESS: sign-in attempts a minute from one address, whatever the usernames
# (one password sprayed across every account); 0 turns it off.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "inspections.ratelimits.LoginRateLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Axes' own handlers, minus the attempts the limit per address refused (no password checked).
AXES_HANDLER = (
    "inspections.signin.CacheHandler" if REDIS_URL else "inspections.signin.DatabaseHandler"
)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(hours=env_int("AXES_COOLOFF_TIME", 1, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Axes' default, said here because the lockout page says it: a failed attempt while locked is
# counted, and the hour starts again from it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# No "AXES: BEGIN version …" line at the start of every process and command.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "web.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "inspections.ratelimits.client_ip"
LOGIN_RATE_PER_ADDRESS = env_int("LOGIN_RATE_PER_ADDRESS", 20)
# How many reverse proxies of ours stand in front (each appends to X-Forwarded-For).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The citizens' survey (chỉ số D2): answers one address may give one desk per hour (a shared
# mobile-network address carries many phones), and the fewest answers a round's rate needs.
SURVEY_RATE_PER_ADDRESS = env_int("SURVEY_RATE_PER_ADDRESS", 10, minimum=1)
SURVEY_MIN_RESPONSES = env_int("SURVEY_MIN_RESPONSES", 30, minimum=1)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Object storage (photos, exports) on any S3-compatible store: STORAGE_BACKEND=s3, or a
# bucket named. Files stay private: no ACL, signed URLs, and a name is never overwritten.
STORAGE_BACKEND = os.environ.get(
    "STORAGE_BACKEND", "s3" if os.environ.get("AWS_STORAGE_BUCKET_NAME") else "local"
).strip()
if STORAGE_BACKEND not in {"local", "s3"}:
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be local or s3, not {STORAGE_BACKEND!r}")
if STORAGE_BACKEND == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("AWS_STORAGE_BUCKET_NAME must be set when STORAGE_BACKEND=s3")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            # Empty means boto3's own chain (instance role, ~/.aws) decides.
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Evidence photos (inspections/photos.py): limits checked before any decoding, reuse
# detection distance (the 4 × 16-bit band index is exact up to 11, the cap), serving, retention.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
EVIDENCE_MAX_PIXELS = env_int("EVIDENCE_MAX_PIXELS", 50_000_000, minimum=1)
EVIDENCE_REUSE_DISTANCE = env_int("EVIDENCE_REUSE_DISTANCE", 6)
# A photo taken more than this many days before it was sent is flagged (evidence_checks).
EVIDENCE_MAX_AGE_DAYS = env_int("EVIDENCE_MAX_AGE_DAYS", 30, minimum=1)
# Retention (inspections/services/retention.py, docs/deploy.md §Retention): an original is
# deleted this many months after its owner is published (0: kept); positions (the database's
# coordinates and the original's EXIF GPS) are kept this many days after it (0: removed at
# publication, the distance flag stays); and, whatever the state, no original is kept more
# than EVIDENCE_ORIGINAL_RETENTION_DAYS after upload (0: no such ceiling).
EVIDENCE_ORIGINAL_RETENTION_MONTHS = env_int("EVIDENCE_ORIGINAL_RETENTION_MONTHS", 12)
EVIDENCE_POSITION_RETENTION_DAYS = env_int("EVIDENCE_POSITION_RETENTION_DAYS", 0)
EVIDENCE_ORIGINAL_RETENTION_DAYS = env_int("EVIDENCE_ORIGINAL_RETENTION_DAYS", 0)
# The privacy notice (/quyen-rieng-tu/) names this address for questions about personal data
# when set; a person may download their own data this many times an hour (0: no limit).
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "")
PERSONAL_DATA_DOWNLOADS_PER_HOUR = env_int("PERSONAL_DATA_DOWNLOADS_PER_HOUR", 10)
# e.g. "/protected/": the view checks access, then nginx sends the file (X-Accel-Redirect).
EVIDENCE_ACCEL_REDIRECT_PREFIX = os.environ.get("EVIDENCE_ACCEL_REDIRECT_PREFIX", "")
# The key that signs every backup's manifest (HMAC-SHA256); empty: SECRET_KEY signs them.
# docs/deploy.md §4 says why that fallback is safe and when to set a key of its own.
BACKUP_SIGNING_KEY = os.environ.get("BACKUP_SIGNING_KEY", "")
# Uploads above this size stream to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1)
# Bodies are bounded before they are read (config/inputs.py): a multipart body announced over
# UPLOAD_MAX_REQUEST_BYTES, or any other body over DATA_UPLOAD_MAX_MEMORY_SIZE, is a 413 unread;
# a file stops at the first 64 KB chunk past EVIDENCE_MAX_BYTES.
UPLOAD_MAX_REQUEST_BYTES = env_int("UPLOAD_MAX_REQUEST_BYTES", 50 * 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000, minimum=1)
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 20, minimum=1)
FILE_UPLOAD_HANDLERS = [
    "config.inputs.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Hashed names and long cache lifetimes in production; DEBUG and the tests read the files as
# they are (no collectstatic needed). pytest-django exports the settings module it uses.
_UNDER_TESTS = os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith("test_settings")
if not DEBUG and not _UNDER_TESTS:
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
# Without collectstatic (development, tests) WhiteNoise looks files up as they are asked for.
WHITENOISE_AUTOREFRESH = DEBUG or _UNDER_TESTS

# E-mail: every message goes out through inspections/mail.py. With EMAIL_HOST set, over SMTP;
# without it in development, to the console and as .eml files under EMAIL_FILE_PATH (printed
# by `make run`). A production server without EMAIL_HOST refuses to start: invitations and
# password resets would silently go nowhere.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Công Sở Xanh <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", BASE_DIR / "mail"))
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG or _UNDER_TESTS:
    EMAIL_BACKEND = "inspections.mail.ConsoleAndFileBackend"
else:
    raise ImproperlyConfigured("EMAIL_HOST must be set when DEBUG is off")
# Named in every message, with the product's name.
AGENCY_NAME = os.environ.get("AGENCY_NAME", "Sở Nội vụ").strip()
# The address people open the product at, for links in e-mails and invitation sheets.
SITE_URL = os.environ.get(
    "SITE_URL",
    "http://127.0.0.1:8000" if DEBUG or not ALLOWED_HOSTS else f"https://{ALLOWED_HOSTS[0]}",
).rstrip("/")
# Invitation links work once and for this many days; password reset links for these hours.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7, minimum=1)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 24, minimum=1) * 3600

# Two-factor sign-in (django-otp): the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Công Sở Xanh")
# Demo data enrols its Internal Affairs user with this secret (hex), printed by `make run`.
DEMO_TOTP_KEY = os.environ.get("DEMO_TOTP_KEY", "3132333435363738393031323334353637383930")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Our own static scripts and styles only; nothing inline, so every page is born compliant.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Production over HTTPS (on by default when DEBUG is off): secure cookies, HSTS, redirect.
# Behind a proxy that ends TLS, SECURE_PROXY_SSL_HEADER names its header, e.g.
# "X-Forwarded-Proto: https"; set it only if the proxy overwrites that header.
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
# Sessions read from the shared `auth` cache, written to both it and the database: signing out
# deletes both, for every worker at once.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "auth"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_header:
    _name, _sep, _value = _proxy_header.partition(":")
    if not _sep or not _name.strip() or not _value.strip():
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https', "
            f"not {_proxy_header!r}"
        )
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _name.strip().upper().replace("-", "_"),
        _value.strip(),
    )

# API tokens (django-rest-knox): one per signed-in device, stored hashed, valid
# API_TOKEN_TTL_DAYS after their last use (sliding, written at most once an hour), at most
# API_TOKENS_PER_USER live at once (signing in on one more device ends the least recently
# used), and dead with a password change or a deactivation (api/authentication.py).
KNOX_TOKEN_MODEL = "inspections.ApiToken"
# knox's migrations create its own token table without marking it swappable: an empty table,
# and a content type that a flush or a restore would not rebuild. Ours replaces it entirely.
MIGRATION_MODULES = {"knox": None}
API_TOKENS_PER_USER = env_int("API_TOKENS_PER_USER", 10, minimum=1)
REST_KNOX: dict[str, Any] = {
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 30, minimum=1)),
    "AUTO_REFRESH": True,
    "MIN_REFRESH_INTERVAL": 3600,
    "AUTH_HEADER_PREFIX": "Token",
}

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    # DRF's parsers, refusing control characters in keys and texts (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "api.parsers.FormParser",
        "api.parsers.MultiPartParser",
    ],
    "DEFAULT_METADATA_CLASS": "api.metadata.ViewMetadata",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.BoundedPagination",
    "PAGE_SIZE": 50,
    # Counted in the cache's Redis when REDIS_URL is set: one count for every worker.
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonThrottle",
        "api.throttling.UserThrottle",
    ],
    # Requests per minute: THROTTLE_ANON=60 reads as "60/min".
    "DEFAULT_THROTTLE_RATES": {
        "anon": f"{env_int('THROTTLE_ANON', 60, minimum=1)}/min",
        "user": f"{env_int('THROTTLE_USER', 600, minimum=1)}/min",
    },
}

SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "Công Sở Xanh API",
    "DESCRIPTION": "Inspections, scores and rankings of the movement “Công Sở Xanh”.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Enum names first (drf-spectacular's own hook), then the links of api/schema.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_links",
    ],
    # Swagger UI and ReDoc assets from our own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RoundStatusEnum": "inspections.models.rounds.Round.Status",
        "InspectionStateEnum": "inspections.models.inspection.Inspection.State",
        "ActionStatusEnum": "inspections.models.evidence.CorrectiveAction.Status",
        "VersionStatusEnum": "inspections.models.catalogue.ModelVersion.Status",
        "ShapeKindEnum": "inspections.photo_overlays.SHAPE_KINDS",
        "InspectionKindEnum": "inspections.models.inspection.Inspection.Kind",
    },
}

# Logs: one record a line on stdout (JSON for a collector when DEBUG is off, text for a
# terminal), each with its request id; errors are also mailed to ADMINS when there are any
# ("Name <address>, ..."), through Django's EMAIL_* settings, from SERVER_EMAIL. manage.py
# sends its logs to stderr, so that a command's own output stays clean on stdout.
LOG_FORMAT = env_choice("LOG_FORMAT", "text" if DEBUG else "json", {"json", "text"})
LOG_STREAM = env_choice("LOG_STREAM", "stdout", {"stdout", "stderr"})
LOG_LEVEL = env_choice("LOG_LEVEL", "info", {"debug", "info", "warning", "error"}).upper()
ADMINS = env_admins("ADMINS")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "root@localhost")

# The task queue (huey): Redis at REDIS_URL when set (consumers on several machines share
# it), else an SQLite file of its own (one machine). Tasks only wake the workers up: what
# must happen (an e-mail to send, an export to build) is a row in the database first, so a
# queue that loses a message loses no work (the hourly tick finds it again).
# Periodic tasks tick in UTC, every hour; what they do is decided in TIME_ZONE.
TASKS_SQLITE_PATH = Path(os.environ.get("TASKS_SQLITE_PATH", BASE_DIR / "tasks.sqlite3"))


def _queue_connection() -> dict[str, Any]:
    if not REDIS_URL:
        return {"filename": str(TASKS_SQLITE_PATH)}
    from redis import ConnectionPool

    # A Redis that stops answering delays a request's wake-up by at most 2 s (the outbox
    # keeps the work); the consumer's blocking reads wait 1 s, well inside the 10 s timeout.
    pool = ConnectionPool.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=10)
    return {"connection_pool": pool}


HUEY: dict[str, Any] = {
    "name": "congsoxanh",
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "connection": _queue_connection(),
    "immediate": env_bool("TASKS_IMMEDIATE", False),
    "results": False,
    "utc": True,
    "consumer": {
        "workers": env_int("TASK_WORKERS", 2, minimum=1),
        "worker_type": "thread",
        "check_worker_health": True,
    },
}

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "config.logs.RequestIdFilter"},
        "private_paths": {"()": "config.logs.PrivatePathFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "json": {"()": "config.logs.JsonFormatter"},
        "text": {"()": "config.logs.TextFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": f"ext://sys.{LOG_STREAM}",
            "filters": ["private_paths", "request_id"],
            "formatter": LOG_FORMAT,
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "private_paths", "request_id"],
            "formatter": "text",  # the mail's first line names the request id
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # django.request logs every unhandled exception with its traceback (and 4xx as warnings).
        "django": {"handlers": ["stdout", "mail_admins"], "level": LOG_LEVEL, "propagate": False},
        # WeasyPrint narrates every step of every PDF at INFO (and parses its own CSS at import).
        "weasyprint": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        # libvips tells each photo's resample (its kernel, its steps) at INFO.
        "pyvips": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
    },
}

# Notifications (inspections/services/reminders.py and delivery.py). The daily digest
# leaves at this local hour, reminders are decided from REMINDER_HOUR on; an overdue action
# is copied to Internal Affairs this many days after its due date. Delivery retries with a
# doubling backoff.
NOTIFY_DIGEST_HOUR = env_int("NOTIFY_DIGEST_HOUR", 17)
NOTIFY_REMINDER_HOUR = env_int("NOTIFY_REMINDER_HOUR", 7)
for _name, _hour in (
    ("NOTIFY_DIGEST_HOUR", NOTIFY_DIGEST_HOUR),
    ("NOTIFY_REMINDER_HOUR", NOTIFY_REMINDER_HOUR),
):
    if _hour > 23:
        raise ImproperlyConfigured(f"{_name} must be an hour from 0 to 23, not {_hour}")
NOTIFY_OVERDUE_COPY_DAYS = env_int("NOTIFY_OVERDUE_COPY_DAYS", 7, minimum=1)
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 8, minimum=1)
NOTIFY_RETRY_SECONDS = env_int("NOTIFY_RETRY_SECONDS", 60, minimum=1)
# A worker holds a message this long; one killed meanwhile leaves it to the next.
NOTIFY_LEASE_SECONDS = env_int("NOTIFY_LEASE_SECONDS", 300, minimum=1)
# Files made by background exports are kept this many hours, then deleted.
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 72, minimum=1)
# Data rows per sheet of a full data export; the rest goes on to the next sheet (Excel holds
# 1,048,576 rows, the header included).
EXPORT_SHEET_MAX_ROWS = env_int("EXPORT_SHEET_MAX_ROWS", 1_000_000, minimum=1)
if EXPORT_SHEET_MAX_ROWS > 1_048_575:
    raise ImproperlyConfigured("EXPORT_SHEET_MAX_ROWS must be at most 1048575 (Excel's limit)")

# Demo data refuses to load when DEBUG is off; this password is printed by `make run`.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "congsoxanh2026")

# The signed inspection record and the round's report (inspections/documents/): who issues
# them, where, under which symbol; the address the QR code's verification link starts with.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}")
# The issuing body's lines, parent first: "UBND QUẬN BẮC TỪ LIÊM / PHÒNG NỘI VỤ".
RECORD_ISSUER = [
    line.strip()
    for line in os.environ.get("RECORD_ISSUER", "UBND THÀNH PHỐ / PHÒNG NỘI VỤ").split(" / ")
    if line.strip()
]
# Record numbers are unique per agency and year; the agency's code keys them.
RECORD_AGENCY = os.environ.get("RECORD_AGENCY", "phong-noi-vu").strip()
RECORD_SYMBOL = os.environ.get("RECORD_SYMBOL", "BB-KT").strip()
REPORT_SYMBOL = os.environ.get("REPORT_SYMBOL", "TB-KT").strip()
RECORD_PLACE = os.environ.get("RECORD_PLACE", "Hà Nội").strip()
# Who signs the round's report for Internal Affairs.
REPORT_SIGNER_TITLE = os.environ.get("REPORT_SIGNER_TITLE", "TRƯỞNG PHÒNG").strip()
REPORT_SIGNER_NAME = os.environ.get("REPORT_SIGNER_NAME", "").strip()
# A folder holding LiberationSerif-{Regular,Bold,Italic,BoldItalic}.ttf (or Tinos-*.ttf);
# empty: Debian's fonts-liberation2, then fonts-croscore.
RECORD_FONT_DIR = os.environ.get("RECORD_FONT_DIR", "").strip()
# Optional PAdES signature of every record: a PKCS#12 file (.p12/.pfx) and its password.
RECORD_PKCS12_PATH = os.environ.get("RECORD_PKCS12_PATH", "").strip()
RECORD_PKCS12_PASSWORD = os.environ.get("RECORD_PKCS12_PASSWORD", "")
# Each approved revision's record is rendered by a worker right after approval, so that its
# first download is fast (off: on the first request, as before a queue existed).
RECORDS_PREPARE_ON_APPROVAL = env_bool("RECORDS_PREPARE_ON_APPROVAL", True)
# The approval and revision e-mails carry the record up to this size (a typical record with
# 40 photos is about 130 KB); a larger one is left to the e-mail's link. 0: never attached.
RECORD_MAIL_MAX_BYTES = env_int("RECORD_MAIL_MAX_BYTES", 5 * 1024 * 1024)
if not RECORD_ISSUER or not RECORD_AGENCY or not RECORD_SYMBOL:
    raise ImproperlyConfigured("RECORD_ISSUER, RECORD_AGENCY and RECORD_SYMBOL must not be empty")
