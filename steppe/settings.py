"""Steppe settings: one module, driven by the environment.

`STEPPE_ENV` selects the profile: `development` (default: SQLite under var/, local memory cache, files
under var/media) or `production` (secrets required, secure cookies and HSTS). Every other difference
comes from environment variables; see `.env.example`.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


STEPPE_ENV = env("STEPPE_ENV", "development")
if STEPPE_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("STEPPE_ENV must be 'development' or 'production'.")
PRODUCTION = STEPPE_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

VAR_DIR = Path(env("STEPPE_VAR_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "steppe.core",
    "steppe.accounts",
    "steppe.taxonomy",
    "steppe.publishing",
    "steppe.library",
    "steppe.ingest",
    "steppe.search",
    "steppe.syndication",
    "steppe.api",
    "steppe.moderation",
    "steppe.knowledge",
    "steppe.ops",
]

# Order matters: everything above WhiteNoise also applies to static files, and everything above
# HealthCheckMiddleware to the /healthz and /readyz probes (answered before host checks and sessions).
MIDDLEWARE = [
    "steppe.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "steppe.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "steppe.core.middleware.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "steppe.ops.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "steppe.core.middleware.RateLimitGuardMiddleware",
    "steppe.accounts.middleware.EditorMFAMiddleware",
]

ROOT_URLCONF = "steppe.urls"

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
                "steppe.core.context_processors.site",
                "steppe.taxonomy.context_processors.taxonomy",
            ],
        },
    },
]

WSGI_APPLICATION = "steppe.wsgi.application"

# Database: SQLite file under var/ by default; DATABASE_URL selects PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'steppe.sqlite3'}",
        # Persistent connections in production (one per gunicorn worker thread), checked before reuse
        # so a connection broken by a database restart is replaced instead of failing a request.
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the server is unreachable (the request answers 503) instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        env("DATABASE_CONNECT_TIMEOUT", "5")
    )
# Read replicas (scale out): comma-separated URLs; reads go to a replica, writes to the primary.
STEPPE_DATABASE_REPLICAS = []
for index, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    alias = f"replica{index}"
    DATABASES[alias] = dj_database_url.parse(
        url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    DATABASES[alias]["TEST"] = {"MIRROR": "default"}
    STEPPE_DATABASE_REPLICAS.append(alias)
if STEPPE_DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["steppe.core.db_router.PrimaryReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no var/ yet; SQLite creates the file but not its folder.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while a writer commits; IMMEDIATE avoids "database is locked"
        # when two writers upgrade a read transaction at the same time.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # One test database per process: several test runs (or developers' helpers) may run at once.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
elif env_bool("STEPPE_TEST_DB_PER_PROCESS"):
    # Several suites on one PostgreSQL server at once (developers' parallel runs): one database each.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Cache (pages, fragments, feeds), sessions and allauth's rate limits. Redis in production through
# core.cache.ResilientRedisCache: short socket timeouts, reads degrade to misses when Redis is down,
# and `add` fails so that rate-limit checks refuse (fail closed) instead of letting everyone through.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "steppe.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "steppe"),
            "OPTIONS": {
                "socket_connect_timeout": float(env("REDIS_SOCKET_TIMEOUT", "0.25")),
                "socket_timeout": float(env("REDIS_SOCKET_TIMEOUT", "0.25")),
                "health_check_interval": 30,
                "retry_after": float(env("REDIS_RETRY_AFTER", "5")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: cached_db — written to the database and read through the cache. Redis restarted or
# flushed logs nobody out, and with Redis down sessions still work (the read falls back to the
# database); the cost is one database write when a session changes (sign-in, messages), not per page.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background work: Django's task API (the django-tasks backport until Django 6). `immediate` runs a
# task inside the call that enqueues it (tests, `make run`); `database` stores it for the
# `manage.py db_worker` process (production: durable, transactional with the write that enqueued it,
# and needs no other service than the database).
STEPPE_TASKS_BACKEND = env("STEPPE_TASKS_BACKEND", "database" if PRODUCTION else "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[STEPPE_TASKS_BACKEND],
        "QUEUES": ["default", "intake", "knowledge", "email"],
    }
}

# Internationalisation: French first, English under /en/.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STEPPE_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("STEPPE_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Media in an S3-compatible object store (django-storages) when a bucket is named; otherwise files
# under MEDIA_ROOT (served by nginx in production, by steppe.core.views.media in development).
STEPPE_S3_BUCKET = env("STEPPE_S3_BUCKET")
STEPPE_MEDIA_ORIGIN = None  # another origin media URLs point to (allowed in the CSP's img-src)
if STEPPE_S3_BUCKET:
    from botocore.config import Config as BotoConfig

    _s3_custom_domain = env("STEPPE_S3_CUSTOM_DOMAIN")  # e.g. "media.steppe.example.org"
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STEPPE_S3_BUCKET,
            "endpoint_url": env("STEPPE_S3_ENDPOINT_URL"),
            "access_key": env("STEPPE_S3_ACCESS_KEY_ID"),
            "secret_key": env("STEPPE_S3_SECRET_ACCESS_KEY"),
            "region_name": env("STEPPE_S3_REGION", "us-east-1"),
            "location": env("STEPPE_S3_PREFIX", "media"),
            "custom_domain": _s3_custom_domain,
            "url_protocol": "https:" if PRODUCTION else "http:",
            # Public media (images of published pieces): plain URLs, no expiring signatures, so
            # pages stay cacheable. Bucket policy: public read of the prefix, no listing.
            "querystring_auth": env_bool("STEPPE_S3_QUERYSTRING_AUTH", default=False),
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            # Bounded waits: an unreachable store fails an upload (and /readyz) in seconds.
            "client_config": BotoConfig(
                connect_timeout=2,
                read_timeout=10,
                retries={"max_attempts": 2, "mode": "standard"},
                s3={"addressing_style": env("STEPPE_S3_ADDRESSING_STYLE", "path")},
                signature_version="s3v4",
            ),
        },
    }
    if _s3_custom_domain:
        STEPPE_MEDIA_ORIGIN = f"https://{_s3_custom_domain.split('/')[0]}"
    elif env("STEPPE_S3_ENDPOINT_URL"):
        from urllib.parse import urlsplit

        _endpoint = urlsplit(env("STEPPE_S3_ENDPOINT_URL"))
        STEPPE_MEDIA_ORIGIN = f"{_endpoint.scheme}://{_endpoint.netloc}"

# Outside production, WhiteNoise serves straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env(  # production: stored, then sent by the worker with retries (steppe.ops.mail)
    "EMAIL_BACKEND",
    "steppe.ops.mail.TaskEmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Steppe <no-reply@steppe.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Accounts (django-allauth): sign-in by e-mail, mandatory verification, no account enumeration.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "publishing:dashboard"
ACCOUNT_ADAPTER = "steppe.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "steppe.accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Steppe] "
# Per IP and per account (the "key" is the e-mail address); counted in the cache (Redis in production).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "reset_password": "10/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "3/10m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Steppe"
# Editors must protect their account with a second factor before reaching editorial pages.
STEPPE_EDITOR_MFA_REQUIRED = env_bool("STEPPE_EDITOR_MFA_REQUIRED", default=True)

# Security: always on, stricter in production. Every response (pages, JSON, feeds, errors, static
# and media files) gets these headers: the middleware that sets them sits above WhiteNoise.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Nothing reads the CSRF cookie from JavaScript (htmx gets the token from the page).
CSRF_COOKIE_HTTPONLY = True
# Probes come from the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"
    # "__Host-" cookies: the browser accepts them only over HTTPS, with Path=/ and no Domain, so a
    # sibling subdomain cannot set or overwrite them.
    SESSION_COOKIE_NAME = "__Host-steppe-session"
    CSRF_COOKIE_NAME = "__Host-steppe-csrf"
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content Security Policy (django-csp 4): nothing inline, nothing from another host. Templates keep
# scripts and styles in static files; JSON-LD and json_script blocks are data, not scripts, and need
# no permission. Swagger UI (/api/v1/docs) runs from static files too; its icons are data: images.
from csp.constants import NONE, SELF  # noqa: E402

_img_src = [SELF, "data:"]
if STEPPE_MEDIA_ORIGIN:
    _img_src.append(STEPPE_MEDIA_ORIGIN)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": _img_src,
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        **({"upgrade-insecure-requests": True} if PRODUCTION else {}),
    }
}
# Headers Django has no setting for (core.middleware.SecurityHeadersMiddleware).
STEPPE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

# Logs on stderr (journald collects them). Production: one JSON object per line with the request id
# (core.middleware.RequestIdMiddleware; nginx passes its $request_id as X-Request-ID).
LOG_FORMAT = env("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "steppe.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Steppe's own settings.
STEPPE_SITE_NAME = "Steppe"
STEPPE_SITE_URL = env("STEPPE_SITE_URL", "http://127.0.0.1:8000")
STEPPE_PAGE_SIZE = int(env("STEPPE_PAGE_SIZE", "20"))

# Library uploads (defaults and the other limits in steppe/library/conf.py): the size limit (keep
# nginx's client_max_body_size above it) and the local folder where uploads wait to be checked.
if env("STEPPE_LIBRARY_MAX_UPLOAD_BYTES"):
    STEPPE_LIBRARY_MAX_UPLOAD_BYTES = int(env("STEPPE_LIBRARY_MAX_UPLOAD_BYTES"))
if env("STEPPE_LIBRARY_TEMP_DIR"):
    STEPPE_LIBRARY_TEMP_DIR = Path(env("STEPPE_LIBRARY_TEMP_DIR"))
