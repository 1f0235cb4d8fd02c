"""The one settings file. Everything that differs between machines comes from
the environment (see README.md, "Configuration"); nothing secret lives here."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LVZHI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_from_file(filename: str) -> str:
    """Read a secret from var/, creating it on first run so no key is ever in code."""
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _secret_from_file(
    os.environ.get("SECRET_KEY_FILE", "secret_key.txt")
)
# Encrypts ID and mobile numbers at rest and keys their searchable hash.
# Kept apart from SECRET_KEY so rotating one does not lose the other.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY") or _secret_from_file("field_key.txt")
# 国密: "sm4" encrypts with SM4-GCM and hashes with HMAC-SM3; "fernet" (the
# default) with AES (Fernet) and HMAC-SHA256. Keys form a ring for online
# rotation (core/crypto.py): FIELD_ENCRYPTION_KEY has the id "0", more keys
# come as "id=secret,id=secret", FIELD_KEY_ID names the one that writes.
# After a change, run `manage.py fields_reencrypt`.
FIELD_CIPHER = os.environ.get("FIELD_CIPHER", "fernet").strip().lower() or "fernet"
FIELD_ENCRYPTION_KEYS = os.environ.get("FIELD_ENCRYPTION_KEYS", "")
FIELD_KEY_ID = os.environ.get("FIELD_KEY_ID", "0").strip() or "0"
# Old SECRET_KEYs, comma separated: sessions, tracking codes and check-in
# codes made under them stay valid after a rotation.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")

DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_filters",
    "huey.contrib.djhuey",
    # The docs page renders its vendored Swagger UI from ninja's static files
    # only when ninja is an installed app (otherwise it links a CDN).
    "ninja",
    "lvzhi.core",
    "lvzhi.accounts",
    "lvzhi.org",
    "lvzhi.duties",
    "lvzhi.opinions",
    "lvzhi.consultations",
    "lvzhi.proposals",
    "lvzhi.points",
    "lvzhi.studios",
    "lvzhi.public",
    "lvzhi.assist",
    "lvzhi.api",
    "lvzhi.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy (lvzhi/core/headers.py).
    "lvzhi.core.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Simplified Chinese whatever the browser says; Traditional when it asks for
    # it; English only by the user's choice (lvzhi/core/language.py).
    "lvzhi.core.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Actor, IP, user agent and request id for every audit row (core.context).
    "lvzhi.core.context.RequestContextMiddleware",
    "lvzhi.accounts.middleware.SessionTimeoutMiddleware",
    "lvzhi.org.middleware.CurrentCommitteeMiddleware",
    # No control characters or direction overrides in any input (core/input.py).
    "lvzhi.core.input.InputCleaningMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "lvzhi.urls"
# Every widget gets its Bootstrap class here, not in each app's forms.
FORM_RENDERER = "lvzhi.core.form_renderer.BootstrapFormRenderer"
# audit_log refuses action codes missing from the registry (core.audit), so
# every row the auditor reads has a Chinese label and a category.
LVZHI_AUDIT_STRICT = True
WSGI_APPLICATION = "lvzhi.wsgi.application"

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
                "django.template.context_processors.i18n",
                "lvzhi.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite by default: WAL, IMMEDIATE transactions (writers queue instead of
# failing on lock upgrade) and a busy timeout. DATABASE_URL switches engines.
SQLITE_PATH = VAR_DIR / "lvzhi.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            # Tests use a file, not memory, so concurrency tests mean something.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
# A streaming replica for the reports' reads (lvzhi/core/db_router.py);
# tests make it a mirror of the default database.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["lvzhi.core.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and jobs -----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    HUEY = {"huey_class": "huey.RedisHuey", "name": "lvzhi", "url": REDIS_URL, "immediate": False}
else:
    # Database cache: shared by every process, unlike the local-memory cache,
    # so lockout counters and rate limits hold with several workers.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lvzhi_cache",
        }
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "lvzhi",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE", default=False),
    }

# --- The JSON API (docs/api.md) ------------------------------------------------------
# Each process's own counters: the API's rate limit counts reads here when the
# shared cache is the database's, so no GET writes the database.
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lvzhi"}
# Units' webhooks never call this server itself unless this is on (a test's receiver).
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK")
# Finished deliveries are deleted after this many days (the audit trail keeps each attempt).
WEBHOOK_RETENTION_DAYS = int(os.environ.get("WEBHOOK_RETENTION_DAYS", "30"))
# At most this many deliveries wait for one address; the oldest past it are dropped.
WEBHOOK_MAX_PENDING = int(os.environ.get("WEBHOOK_MAX_PENDING", "1000"))

# --- Accounts and security -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "lvzhi.accounts.backends.UsernameOrMobileBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "lvzhi.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "lvzhi.accounts.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "lvzhi.accounts.passwords.CommonPatternValidator"},
    {"NAME": "lvzhi.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
# TOTP second factor for staff, leaders, units and administrators (DESIGN §9):
# on by default in production (HTTPS=1), enrolled at the first login;
# REQUIRE_TOTP=0 turns it off, and `check --deploy` then warns
# (lvzhi/accounts/second_factor.py).
REQUIRE_TOTP = env_bool("REQUIRE_TOTP", default=env_bool("HTTPS"))
LOGIN_MAX_FAILURES = 5
LOGIN_LOCK_MINUTES = 30
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_IDLE_TIMEOUT_ADMIN = timedelta(minutes=15)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "lvzhi.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Behind HTTPS (production) everything is locked down; HTTPS=1 turns it on.
HTTPS = env_bool("HTTPS")
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies: Secure, whole site, no Domain, so a sibling subdomain
    # can neither read nor plant them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request without it
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: downloads go through a permission check
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # the demo and tests serve static files without collectstatic
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# An export of more rows than this runs as a background job with a progress
# bar (core.exports): server capacity, not a committee's rule.
EXPORT_BACKGROUND_ROWS = int(os.environ.get("EXPORT_BACKGROUND_ROWS", "5000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Language and time ---------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Mail ----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lvzhi@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

MESSAGE_TAGS = {40: "danger"}
SITE_NAME = _("Lvzhi")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
