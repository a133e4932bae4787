"""Base settings, read from the environment. Every variable is documented in README.md.

With nothing set, the platform runs embedded: SQLite and Celery's filesystem broker under ``var/``.
``DATABASE_URL`` (or the libpq ``PG*`` variables) switches to PostgreSQL, ``CELERY_BROKER_URL``
to Redis or RabbitMQ, ``CACHE_URL`` to a Redis cache.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("APP_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "accounts",
    "approvals.items",
    "approvals.supervision",
    "approvals.supervision.reports",
    "approvals",
    "approvals.parallel",
    "approvals.notifications",
    "approvals.documents",
    "approvals.workbench",
    "citizen_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database_url() -> str:
    url = env("DATABASE_URL")
    if url:
        return url
    if env("PGDATABASE") or env("PGHOST"):
        user = env("PGUSER", "postgres")
        password = env("PGPASSWORD")
        auth = f"{user}:{password}" if password else user
        return f"postgres://{auth}@{env('PGHOST', '127.0.0.1')}:{env('PGPORT', '5432')}/{env('PGDATABASE', 'approval')}"
    return f"sqlite:///{VAR_DIR / 'db.sqlite3'}"


DATABASES = {"default": dj_database_url.parse(_database_url(), conn_max_age=int(env("DB_CONN_MAX_AGE", "60")))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env("CACHE_URL")
if CACHE_URL.startswith("redis"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "approval"}}

# How often (seconds) a process checks whether another process changed the working-day calendar
# (approvals/supervision/calendar.py); 0 = never (one-process deployments and the test suite).
CALENDAR_VERSION_CHECK_SECONDS = float(env("CALENDAR_VERSION_CHECK_SECONDS", "1"))
CATALOG_CACHE_SECONDS = float(env("CATALOG_CACHE_SECONDS", "1"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ProfileModelBackend",
    # Sessions opened before 2026-12-02 name Django's backend; listed so that they stay signed in
    # (remove once those sessions have expired: SESSION_IDLE_SECONDS after the deploy).
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Sessions expire when idle (domain.md section 7): every request renews the idle timer.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Key for personal data encrypted at rest (ID numbers, phones, addresses). Must be set in production.
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", "")

# Uploaded case materials: limits per file and per case (all stored versions), in bytes.
MAX_UPLOAD_BYTES = int(env("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
MAX_CASE_UPLOAD_BYTES = int(env("MAX_CASE_UPLOAD_BYTES", str(200 * 1024 * 1024)))

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "One-stop administrative approval API",
    "DESCRIPTION": "一站式网上行政审批平台 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc assets are served from this server, not a CDN (intranets have no internet).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets sharing a field name ("kind", "state") across apps get explicit enum names.
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "approvals.models.State",
        "TaskStateEnum": "approvals.parallel.models.TaskState",
        "DecisionEnum": "approvals.models.Case.Decision",
        "CardKindEnum": "approvals.supervision.models.CardKind",
        "SpecialProcedureKindEnum": "approvals.items.models.SpecialProcedure.Kind",
        "ComplaintStateEnum": "approvals.supervision.models.Complaint.State",
        "RectificationTicketStateEnum": "approvals.supervision.models.RectificationTicket.State",
    },
}

# Celery: the embedded default is a filesystem broker under var/, so the demo needs no server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", f"file://{VAR_DIR / 'celery' / 'results'}")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Notifications (approvals.notifications) and official documents (approvals.documents).
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@localhost")
SMS_BACKEND = env("SMS_BACKEND", "approvals.notifications.sms.ConsoleSmsBackend")
NOTIFICATION_MAX_ATTEMPTS = int(env("NOTIFICATION_MAX_ATTEMPTS", "5"))
NOTIFICATION_RETRY_BASE_SECONDS = float(env("NOTIFICATION_RETRY_BASE_SECONDS", "60"))
NOTIFICATION_CLAIM_TIMEOUT_SECONDS = float(env("NOTIFICATION_CLAIM_TIMEOUT_SECONDS", "600"))

# Supervision (approvals.supervision): the incremental sweep re-reads this many recent log rows to
# see transactions that committed late; real-name complaints are answered within this many working days.
SUPERVISION_LOG_OVERLAP_ROWS = int(env("SUPERVISION_LOG_OVERLAP_ROWS", "10000"))
COMPLAINT_REPLY_LIMIT_DAYS = int(env("COMPLAINT_REPLY_LIMIT_DAYS", "15"))

# Public address printed on documents for their verification page (/verify/<code>/).
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", "http://localhost:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

for _sub in ("celery/queue", "celery/control", "celery/results", "media"):
    (VAR_DIR / _sub).mkdir(parents=True, exist_ok=True)
