"""The portal's one settings module: everything that varies comes from the environment.

PORTAL_ENV picks the defaults: ``production`` (the default, so a forgotten variable fails safe),
``development`` (``make run``: SQLite, in-process tasks, console email) or ``test``.
A bad value fails loudly at start-up rather than at the first request.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

PORTAL_ENV = env.str("PORTAL_ENV", default="production")
if PORTAL_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"PORTAL_ENV must be production, development or test, not {PORTAL_ENV!r}")
PRODUCTION = PORTAL_ENV == "production"
DEVELOPMENT = PORTAL_ENV == "development"
TESTING = PORTAL_ENV == "test"

DEBUG = env.bool("DEBUG", default=DEVELOPMENT)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")  # required: no default in production
else:
    SECRET_KEY = env.str("SECRET_KEY", default=f"insecure-{PORTAL_ENV}-key-not-for-production-use-0123456789")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Where emails point people to; production must say so (no localhost links in real mail).
SITE_URL = env.str("SITE_URL") if PRODUCTION else env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "csp",
    "django_htmx",
    "portal.apps.PortalConfig",
    "integrations.apps.IntegrationsConfig",
    "certification.apps.CertificationConfig",
    "marketplace.apps.MarketplaceConfig",
    "scoring.apps.ScoringConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.ResponseHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.ActingOrganizationMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "csp.context_processors.nonce",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60 if PRODUCTION else 0)
# A persistent connection is pinged before its first use in a request, so a PostgreSQL restart
# costs only the requests in flight, not the first request of every web process after it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent dev-server threads otherwise fail with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    # The covering index's INCLUDE columns are for PostgreSQL; SQLite keeps the index without them.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose cost it over-estimates, which on a page's joins and
    # subqueries took longer than running it (75 ms of a 90 ms dashboard query): off, as usual
    # for a web application's short queries.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if TESTING and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_portal")}

REDIS_URL = env.str("REDIS_URL", default="")
if TESTING and REDIS_URL:
    # Each pytest-xdist worker gets its own Redis database, so clearing the cache between
    # tests never empties another worker's rate-limit counters.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
    REDIS_URL = urlunsplit(urlsplit(REDIS_URL)._replace(path=f"/{1 + int(worker)}"))

# Short socket timeouts: with Redis away, a request waits a fraction of a second, not minutes.
REDIS_SOCKET_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
if REDIS_URL:
    # Redis is a cache, not a single point of failure: when it is down, reads miss and rate
    # limits fail open (portal/cache.py); sessions live in the database.
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_SOCKET_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public pages shown to anonymous visitors are kept whole until public content changes
# (portal/page_cache.py); this bounds what a write around the ORM's signals could leave stale.
# 0 renders every request.
# Off in tests, which read a response's context; tests/marketplace/test_public_page_cache.py turns
# it on and walks every kind of public change against a fresh render.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=0 if TESTING else 120)

# --- Background work ---------------------------------------------------------------------
# Every task has a soft limit (SoftTimeLimitExceeded: the task marks its job failed) and a hard
# one (the worker process is killed). The longest hard limit sets the rest: a message a dead
# worker took is handed to another once the broker's visibility timeout has passed, so that
# timeout must outlast any task (or a slow task would be run twice at once); a job still
# running after a redelivery could have finished is abandoned (marked failed, can be started
# again). Docker's stop grace period for the worker (docker-compose.yml) outlasts the hard limit.
TASK_TIME_LIMIT = env.int("TASK_TIME_LIMIT", default=180)
TASK_SOFT_TIME_LIMIT = TASK_TIME_LIMIT - 30
if TASK_SOFT_TIME_LIMIT < 30:
    raise ImproperlyConfigured("TASK_TIME_LIMIT must be at least 60 seconds")
BROKER_VISIBILITY_TIMEOUT = TASK_TIME_LIMIT + 60
# Mapping tests one integration version may have: a run evaluates them all in one task, each
# test up to the formula time limit (integrations.mapping_tests.services.TIME_LIMIT).
MAPPING_TESTS_PER_VERSION = env.int("MAPPING_TESTS_PER_VERSION", default=200)
if MAPPING_TESTS_PER_VERSION < 1:
    raise ImproperlyConfigured("MAPPING_TESTS_PER_VERSION must be at least 1")
JOB_ABANDONED_AFTER = BROKER_VISIBILITY_TIMEOUT + TASK_TIME_LIMIT + 60
# Queued jobs whose message may have been lost (Redis down when they were queued) are queued
# again by the sweep once they have waited this long.
JOB_REQUEUE_AFTER = 120

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    # Look for messages of dead workers every 10 s (kombu's default scans every 100 s).
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    **REDIS_SOCKET_OPTIONS,
}
# Nothing reads task results: the database rows are the record of every job.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_TIME_LIMIT = TASK_TIME_LIMIT
CELERY_TASK_SOFT_TIME_LIMIT = TASK_SOFT_TIME_LIMIT
# Without a broker (make run) tasks run in-process; tests always run them eagerly.
CELERY_TASK_ALWAYS_EAGER = TESTING or not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {
    "sweep-jobs": {"task": "portal.tasks.sweep_jobs", "schedule": 60.0},
    # Safe to run twice: a day's digest is recorded (portal.StaffDigest) and never sent again.
    "staff-queue-digest": {"task": "portal.tasks.send_staff_queue_digest", "schedule": crontab(hour=7, minute=0)},
    # Asks paying subscribers of 30 days for a review, once (marketplace.reviews.solicitation).
    "request-reviews": {"task": "marketplace.tasks.request_reviews", "schedule": crontab(hour=9, minute=0)},
    # Scores every integration for the day (scoring.runs); a run already going is left alone.
    "score-integrations": {"task": "scoring.tasks.score_nightly", "schedule": crontab(hour=2, minute=30)},
    # After the run: warns, once, of a run a week ahead that would hide an integration (scoring.warnings).
    "warn-before-hiding": {"task": "scoring.tasks.warn_before_hiding", "schedule": crontab(hour=4, minute=0)},
    # Refused sandbox inbox deliveries older than 7 days (integrations.inbox.deliveries).
    "prune-inbox-deliveries": {
        "task": "integrations.tasks.prune_inbox_deliveries",
        "schedule": crontab(hour=3, minute=30),
    },
}

# --- Accounts ----------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never outside tests

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "portal.adapters.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[iPaaS.com] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme or "https"
ACCOUNT_SESSION_REMEMBER = False
# How many proxies in front of the portal append to X-Forwarded-For: the client's address is
# the one the outermost trusted proxy saw. 0 (no proxy) uses the connection's own address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "iPaaS.com portal"

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous visitors get nothing

# --- Sessions and cookies ----------------------------------------------------------------
# In the database only: a session cached in Redis would be lost (everyone signed out, or
# worse, a session ended during an outage brought back) whenever Redis is.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60 * 2)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=60 * 60 * 12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    # __Host- binds the cookie to this exact host, over HTTPS, path "/".
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Security headers --------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=PRODUCTION) else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Browser features the portal never uses, off for its pages and for anything they embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"] + env.list("CSP_IMG_SRC", default=[]),
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
CSRF_FAILURE_VIEW = "portal.views.home.csrf_failure"

# --- Email -------------------------------------------------------------------------------
# Mail leaves through a Celery task; PORTAL_EMAIL_BACKEND is what that task finally uses.
EMAIL_BACKEND = "portal.mail.TaskEmailBackend"
_email_default = "memorymail://" if TESTING else ("consolemail://" if DEVELOPMENT else "smtp://localhost:25")
_email = env.email_url("EMAIL_URL", default=_email_default)
PORTAL_EMAIL_BACKEND = _email.pop("EMAIL_BACKEND")
for _key, _value in _email.items():
    globals()[_key] = _value
# How long a message the mail server refuses is tried again (with a growing delay, at most
# an hour apart) before it is left to staff (admin, "Outgoing emails": send again).
EMAIL_RETRY_HOURS = env.int("EMAIL_RETRY_HOURS", default=26)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="iPaaS.com portal <portal@ipaas.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
# Only production collects static files; elsewhere they are served from the apps and static/
# (an empty STATIC_ROOT would make WhiteNoise warn on every request).
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
_default_storage = (
    {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": AWS_STORAGE_BUCKET_NAME}}
    if AWS_STORAGE_BUCKET_NAME
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = False

# --- Locale ------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6's default, early: a bare "example.com" means https

INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=7)
# How long an integrator has to answer or dispute a review (DOMAIN.md: the 14-day response window).
REVIEW_RESPONSE_WINDOW_DAYS = env.int("REVIEW_RESPONSE_WINDOW_DAYS", default=14)
# A paying subscriber is asked for a review once it has been subscribed this long.
REVIEW_REQUEST_AFTER_DAYS = env.int("REVIEW_REQUEST_AFTER_DAYS", default=30)
# After a sandbox inbox's secret is rotated, the previous one is still accepted this long.
INBOX_SECRET_GRACE_HOURS = env.int("INBOX_SECRET_GRACE_HOURS", default=24)
# The daily digest to staff lists what has waited in their queues longer than this.
STAFF_QUEUE_OVERDUE_DAYS = env.int("STAFF_QUEUE_OVERDUE_DAYS", default=3)
if STAFF_QUEUE_OVERDUE_DAYS < 1:
    raise ImproperlyConfigured("STAFF_QUEUE_OVERDUE_DAYS must be 1 or more")

# /healthz tells anyone only "ok" or "unavailable"; a request with "Authorization: Bearer <this>"
# (or from staff) also gets each component's state.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")

# `manage.py load_demo_data` calls these in order; each returns the demo accounts it created.
DEMO_DATA_LOADERS = [
    "portal.demo.load_demo_data",
    "integrations.demo.loader.load_demo_data",
    "certification.demo.load_demo_data",
    "certification.workflow_templates.demo.load_demo_data",
    "marketplace.demo.load_demo_data",
    "scoring.demo.load_demo_data",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR" if TESTING else "WARNING"}},
}
