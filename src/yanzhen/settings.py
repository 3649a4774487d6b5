"""Settings, read from the environment.

SQLite in ``$YANZHEN_DATA_DIR`` (default ``./var``) unless ``DATABASE_URL`` names another
database (PostgreSQL through psycopg 3).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("YANZHEN_DATA_DIR", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept in the data directory."""
    if key := os.environ.get("YANZHEN_SECRET_KEY"):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("YANZHEN_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("YANZHEN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
# The portal's host names (space-separated): there only the portal, sign-in and two factors
# answer (yanzhen.portal.middleware); the intranet's host names serve everything.
YANZHEN_PORTAL_HOSTS = os.environ.get("YANZHEN_PORTAL_HOSTS", "").split()
ALLOWED_HOSTS += YANZHEN_PORTAL_HOSTS
# The county whose office decides the portal's registrations (default: the first with one).
YANZHEN_PORTAL_COUNTY = os.environ.get("YANZHEN_PORTAL_COUNTY", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "csp",
    "django_htmx",
    "template_partials",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "yanzhen.core",
    "yanzhen.jobs",
    "yanzhen.accounts",
    "yanzhen.reference",
    "yanzhen.cooperation",
    "yanzhen.supervision",
    "yanzhen.reporting",
    "yanzhen.assessment",
    "yanzhen.demand",
    "yanzhen.talent",
    "yanzhen.placement",
    "yanzhen.benefits",
    "yanzhen.college",
    "yanzhen.portal",
    "yanzhen.reports",
    "yanzhen.signing",
    "yanzhen.notifications",
    "yanzhen.audit",
    "yanzhen.demo",
]

MIDDLEWARE = [
    "yanzhen.serving.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "yanzhen.core.middleware.StripNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "yanzhen.portal.middleware.PortalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "yanzhen.core.middleware.LoginRequiredMiddleware",
    "yanzhen.accounts.middleware.SessionPolicyMiddleware",
    "yanzhen.accounts.middleware.LinkGuardMiddleware",
    "yanzhen.core.middleware.CurrentRequestMiddleware",
    "yanzhen.audit.middleware.PermissionDeniedLogMiddleware",
    "yanzhen.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yanzhen.urls"
WSGI_APPLICATION = "yanzhen.wsgi.application"

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
                "yanzhen.core.context_processors.navigation",
                "yanzhen.accounts.context_processors.home_page",
                "yanzhen.notifications.context_processors.unread",
            ],
        },
    }
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        # PostgreSQL: a persistent connection per process (each worker of the application
        # server handles one request at a time), checked before each request reuses it, so a
        # restarted server is reconnected to without restarting the application; every
        # statement ends after YANZHEN_STATEMENT_TIMEOUT seconds (0: no limit; migrations and
        # the task worker run with their own, see the Makefile and docs/deploy.md).
        database: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        )
        timeout_ms = int(float(os.environ.get("YANZHEN_STATEMENT_TIMEOUT", "30")) * 1000)
        if database["ENGINE"].endswith("postgresql"):
            options = database.setdefault("OPTIONS", {})
            options["options"] = f"-c statement_timeout={timeout_ms}"
            options.setdefault("connect_timeout", 5)
        return database
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "yanzhen.sqlite3",
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        },
    }


DATABASES = {"default": _database()}
# Sessions (Django's default engine) and the cache in the database: application nodes behind
# a load balancer share them and keep no state of their own (docs/deploy.md).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "yanzhen_cache",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "yanzhen.core.backends.RoleBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "reports:dashboard"
LOGOUT_REDIRECT_URL = "core:login"
_DJANGO_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": f"{_DJANGO_VALIDATORS}.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": f"{_DJANGO_VALIDATORS}.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": f"{_DJANGO_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_DJANGO_VALIDATORS}.NumericPasswordValidator"},
    {"NAME": "yanzhen.accounts.validators.CharacterClassesValidator"},
    {"NAME": "yanzhen.accounts.validators.PatternValidator"},
    {"NAME": "yanzhen.accounts.validators.LocalWordsValidator"},
    {"NAME": "yanzhen.accounts.validators.PersonalDataValidator"},
    {"NAME": "yanzhen.accounts.validators.StrengthValidator"},
    {"NAME": "yanzhen.accounts.validators.HistoryValidator"},
]

# Login lockout (django-axes, keyed by user name only): 5 failures within 15 minutes lock the
# name for 30 minutes. See yanzhen.accounts.lockout.
AXES_HANDLER = "yanzhen.accounts.lockout.WindowedLockoutHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 1000
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "yanzhen.accounts.views.locked_out"
AXES_VERBOSE = False
# Keyed by user name on purpose: many staff share one intranet address, and an IP-keyed lock
# would lock a whole department out (docs/security.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
YANZHEN_LOCKOUT_WINDOW_MINUTES = 15
YANZHEN_LOCKOUT_MINUTES = 30

# Sessions: idle 30 minutes (15 for administrators), at most 12 hours.
YANZHEN_IDLE_MINUTES = int(os.environ.get("YANZHEN_IDLE_MINUTES", "30"))
YANZHEN_IDLE_MINUTES_ADMIN = int(os.environ.get("YANZHEN_IDLE_MINUTES_ADMIN", "15"))
YANZHEN_SESSION_HOURS = 12
OTP_TOTP_ISSUER = "雁阵"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("YANZHEN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The operator's manual (core.manual): Markdown chapters in the checkout's docs/manual/, their
# images served as static files under /static/manual/.
MANUAL_DIR = BASE_DIR.parents[1] / "docs" / "manual"
STATICFILES_DIRS: list[Any] = [BASE_DIR / "static", ("manual", MANUAL_DIR / "img")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploaded files: on several application nodes, one folder they all mount (NFS or the like).
MEDIA_ROOT = Path(os.environ.get("YANZHEN_MEDIA_ROOT", DATA_DIR / "media")).resolve()
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Uploads (yanzhen/core/uploads.py): every file is bounded before anything parses it, and a
# refusal names the limit in Chinese. A 100,000-row import fits within these defaults.
YANZHEN_UPLOAD_MAX_BYTES = int(os.environ.get("YANZHEN_UPLOAD_MAX_MB", "20")) * 1024 * 1024
YANZHEN_IMPORT_MAX_ROWS = int(os.environ.get("YANZHEN_IMPORT_MAX_ROWS", "200000"))
YANZHEN_IMPORT_MAX_COLUMNS = 256
YANZHEN_IMPORT_MAX_CELLS = 10_000_000
YANZHEN_IMPORT_MAX_SHEETS = 50
YANZHEN_UPLOAD_MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all members of a zip (xlsx), inflated
YANZHEN_UPLOAD_MAX_RATIO = 100  # compression ratio of a zip member (zip bombs)
YANZHEN_UPLOAD_MAX_MEMBERS = 2000
FILE_UPLOAD_HANDLERS = [
    "yanzhen.core.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)  # a request's fields without its files
DATA_UPLOAD_MAX_NUMBER_FILES = 100
# Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE wait here (0700), never in the shared /tmp;
# stored files (evidence, attachments, work plans) are readable by the service account only.
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Import previews (encrypted, 0600 in a 0700 folder) expire after this many minutes;
# `yanzhen purge_uploads` deletes them and temporary upload files older than the hours below.
YANZHEN_IMPORT_PREVIEW_MINUTES = 60
YANZHEN_TEMP_FILE_HOURS = 24

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "yanzhen.core.error_pages.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp 4): our own files only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Production behind TLS (YANZHEN_PRODUCTION=1): HTTPS only, HSTS one year, secure cookies.
# `yanzhen check --deploy --fail-level WARNING` passes with these.
if _env_bool("YANZHEN_PRODUCTION", False):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if os.environ.get("YANZHEN_TLS_PROXY_HEADER"):
        SECURE_PROXY_SSL_HEADER = (os.environ["YANZHEN_TLS_PROXY_HEADER"], "https")

# The region the platform serves: the demo county and its province (省校合作 prefers the
# province's own universities).
# A choice field of more records than this (bases at national scope) searches them as the
# user types instead of listing them all.
YANZHEN_LONG_LIST = int(os.environ.get("YANZHEN_LONG_LIST", "200"))
YANZHEN_HOME_PROVINCE = os.environ.get("YANZHEN_HOME_PROVINCE", "山西省")
# The unit a briefing is written for when none is named and there is not exactly one county.
YANZHEN_DEFAULT_UNIT = os.environ.get("YANZHEN_DEFAULT_UNIT", "")
# Group robots (WeCom / DingTalk) are configured per unit on the platform (消息 → 群机器人);
# the former deployment-wide list is no longer read (``yanzhen check`` warns while it is set).
# Robots are sent only to WeCom (qyapi.weixin.qq.com) and DingTalk (oapi.dingtalk.com) over
# HTTPS, plus the hosts named here (space-separated), and never to a private, loopback or
# link-local address — except for the hosts named in ..._PRIVATE_HOSTS (an intranet relay).
YANZHEN_WEBHOOK_HOSTS = os.environ.get("YANZHEN_WEBHOOK_HOSTS", "").split()
YANZHEN_WEBHOOK_PRIVATE_HOSTS = os.environ.get("YANZHEN_WEBHOOK_PRIVATE_HOSTS", "").split()
EMAIL_BACKEND = os.environ.get(
    "YANZHEN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("YANZHEN_FROM_EMAIL", "yanzhen@localhost")
# Background tasks (yanzhen/jobs): django-tasks with its database backend, run by
# ``yanzhen run_worker`` (``make run`` starts it beside the web server); deliveries of
# notifications and the periodic jobs of ``yanzhen/jobs/schedule.py`` go through it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The platform's address as users reach it: links in e-mails and robot messages are absolute
# when it is set (e.g. https://yanzhen.example.gov.cn), paths otherwise.
YANZHEN_SITE_URL = os.environ.get("YANZHEN_SITE_URL", "")
# Signed audit checkpoints written by the hourly job are also saved as files here (optional;
# copy them to another host).
YANZHEN_CHECKPOINT_DIR = os.environ.get("YANZHEN_CHECKPOINT_DIR", "")
# Security log retention in days (never fewer than 184, GB/T 22239 asks for six months).
YANZHEN_AUDIT_RETENTION_DAYS = int(os.environ.get("YANZHEN_AUDIT_RETENTION_DAYS", "365"))
# Reverse proxies in front of the platform whose X-Forwarded-For is trusted (0: none).
YANZHEN_TRUSTED_PROXIES = int(os.environ.get("YANZHEN_TRUSTED_PROXIES", "0"))
YANZHEN_PAGE_SIZE = 20
# One export's rows at most: a longer filtered list is refused with a page asking to filter it
# (a file of a million rows would take minutes to write, longer than a request may run).
YANZHEN_EXPORT_MAX_ROWS = int(os.environ.get("YANZHEN_EXPORT_MAX_ROWS", "100000"))
# An export of more rows than this is written by the background worker (core.export_jobs): the
# request answers with the job's page at once, the file is downloaded from there (24 hours).
YANZHEN_EXPORT_BACKGROUND_ROWS = int(os.environ.get("YANZHEN_EXPORT_BACKGROUND_ROWS", "2000"))
# Full ID numbers and mobiles (unmasked exports, the API's ?reveal=pii, reveals on the pages)
# need a second person's approval (G25, level 3 ★), valid this many hours for the purpose
# asked. Off (0) for a small deployment with one person at the desk: a deviation from level 3.
YANZHEN_PII_APPROVAL = _env_bool("YANZHEN_PII_APPROVAL", True)
YANZHEN_PII_GRANT_HOURS = int(os.environ.get("YANZHEN_PII_GRANT_HOURS", "8"))

# Logs: the security log (``yanzhen.security``: sign-ins, refusals, exports, …, one line per
# row of the audit chains, without personal data) is emitted at INFO whatever the general level;
# every line carries the local time with its offset (2026-11-27T16:30:00.123+08:00). With
# YANZHEN_SYSLOG_ADDRESS (``host:port`` over UDP, or a socket path such as /dev/log) the
# security lines also go to a syslog on another host.
_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
_SECURITY_HANDLERS = ["console"]
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "stamped": {"()": "yanzhen.audit.logs.OffsetFormatter", "format": _LOG_FORMAT},
        "json": {"()": "yanzhen.audit.logs.JsonLineFormatter"},
        "syslog": {"()": "yanzhen.audit.logs.OffsetFormatter", "format": "yanzhen: " + _LOG_FORMAT},
    },
    # YANZHEN_LOG_FORMAT=json: one JSON object a line (time, level, logger, message and the
    # record's extra fields) for a SIEM; plain text lines otherwise.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("YANZHEN_LOG_FORMAT") == "json" else "stamped",
        }
    },
    "loggers": {
        "yanzhen.security": {
            "handlers": _SECURITY_HANDLERS,
            "level": os.environ.get("YANZHEN_SECURITY_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # One line per request (method, path, status, duration, user) with YANZHEN_ACCESS_LOG=1.
        "yanzhen.access": {
            "handlers": ["console"],
            "level": "INFO" if _env_bool("YANZHEN_ACCESS_LOG", False) else "WARNING",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("YANZHEN_LOG_LEVEL", "WARNING")},
}
if _syslog := os.environ.get("YANZHEN_SYSLOG_ADDRESS", ""):
    _host, _, _port = _syslog.rpartition(":")
    LOGGING["handlers"]["syslog"] = {
        "class": "logging.handlers.SysLogHandler",
        "address": [_host, int(_port)] if _host and _port.isdigit() else _syslog,
        "facility": "authpriv",
        "formatter": "syslog",
    }
    _SECURITY_HANDLERS.append("syslog")
