"""Settings shared by every environment, read from environment variables.

With no environment at all the portal runs on an embedded default meant for a demo on one
machine: a SQLite file, Celery tasks executed in-process, e-mails written to a folder.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from portal.documents.celery_config import TASK_ROUTES as DOCUMENTS_TASK_ROUTES
from portal.tenancy.hosts import TerritoryAllowedHosts

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Embedded default for the local demo only; production.py refuses to start without a real one.
SECRET_KEY = env("SECRET_KEY", "demo-only-insecure-key-never-use-in-production")
DEBUG = env_bool("DEBUG", False)
# The hosts named here, then the domains of the territory records (portal/tenancy/hosts.py).
ALLOWED_HOSTS = TerritoryAllowedHosts(env_list("ALLOWED_HOSTS", "127.0.0.1,localhost"))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "portal.notifications",
    "portal.documents",
    "portal.events",
    "portal.privacy",
    "installations",
    "governance",
    "training",
    "prevention",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Health checks answer here: no session, CSRF cookie or host check (see portal/health.py).
    "portal.health.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body (CSRF reads POST); after CSP, whose nonce its page uses.
    "portal.security.RequestSizeLimitMiddleware",
    "portal.security.QueryStringNulMiddleware",
    # A territory's own domain: its site at "/" (before CommonMiddleware reads the path).
    "portal.tenancy.hosts.TerritoryHostMiddleware",
    # Anonymous public pages from the shared cache: after CSP and security (fresh nonce and headers on
    # every answer) and the host's path; before the session (see portal/public_cache.py).
    "portal.public_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.sessions.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.security.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.security.StaffMFAMiddleware",
    "portal.tenancy.middleware.TerritoryMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
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
                "portal.context_processors.portal",
                "portal.notifications.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60, conn_health_checks=True
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# The CNIL asks for at least 12 characters when the password is the only factor.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# Uploaded and generated files only go through Django's storage API, so an S3-compatible
# object store replaces the local folder by configuration (AWS_* variables of django-storages).
if env("AWS_STORAGE_BUCKET_NAME"):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Redis when configured (shared by every web process: rate limits, the case list's counts); else
# local memory. Nothing in it is needed to answer a request: when Redis is down or hung, the
# backend answers misses after at most 0.5 s and leaves Redis alone for 5 s (portal/cache.py).
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "portal.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions in the database only: one primary-key read per signed-in request. `cached_db` wrote
# them to Redis too, so every signed-in page answered 500 when Redis was down; and a cache that
# silently missed writes during an outage would bring back, once Redis returns, sessions that were
# signed out or rotated meanwhile (its copy outlives the deleted row).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Sessions expire after 30 minutes without activity (each request pushes the deadline back).
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(30 * 60)))
# Not written at every request (an UPDATE and a cache SET each time): portal.sessions pushes the
# expiry back at most once every SESSION_REFRESH_AFTER seconds, so that a session still ends after
# SESSION_COOKIE_AGE of inactivity.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_AFTER = int(env("SESSION_REFRESH_AFTER", "60"))
SESSION_COOKIE_HTTPONLY = True
# Messages often name the person ("Connexion avec … réussie"): kept in the session, server-side,
# never in a cookie of their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Celery: without a broker, tasks run in-process (embedded default for the demo).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged message to another worker after this long: above the longest task
# (a PDF build stops at 360 s, portal/documents/tasks.py), so that a message is never run twice at
# once, and short enough that the messages of a worker that died come back within 15 minutes. A
# dead PDF build is noticed sooner through its lease (below).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 900}
# A PDF build renews its lease every quarter of this; a build silent for longer is dead
# (portal/documents/lease.py): the sweep, run every minute, marks it failed.
DOCUMENTS_LEASE_SECONDS = int(env("DOCUMENTS_LEASE_SECONDS", "60"))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ROUTES = {**DOCUMENTS_TASK_ROUTES}
# No CELERY_BEAT_SCHEDULE here: each app declares its periodic tasks on its AppConfig and
# config/celery.py assembles the schedule once the apps are loaded (see portal/hooks.py).

# Public address of the portal, for links in e-mails and calendar invitations.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# E-mail: written to files under var/mail unless an SMTP server is configured.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Guichet unique santé <ne-pas-repondre@guichet-sante.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"

# django-allauth: e-mail is the login, verified before the account can sign in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up and password reset answer the same whether or not an address has an account (issue 10):
# the owner of the address learns by e-mail what to do (templates/account/email/).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Confirming the address in the browser that signed up signs the person in and takes them back to
# the page they signed up from (the link carries it: portal.accounts.AccountAdapter).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Guichet santé] "
# French wording, no placeholders, and a 429 page when failed sign-ins are throttled (portal/accounts.py).
ACCOUNT_ADAPTER = "portal.accounts.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "portal.accounts.LoginForm",
    "signup": "portal.accounts.SignupForm",
    "add_email": "portal.accounts.AddEmailForm",
    "change_password": "portal.accounts.ChangePasswordForm",
    "set_password": "portal.accounts.SetPasswordForm",
    "reset_password": "portal.accounts.ResetPasswordForm",
    "reset_password_from_key": "portal.accounts.ResetPasswordKeyForm",
}
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "5/h/ip,3/h/key",
    "confirm_email": "3/5m/key",
}
# Behind a reverse proxy every request comes from the proxy's address: the rate limits above would
# then be site-wide quotas. allauth takes the client address from the proxies we run (the last
# `ALLAUTH_TRUSTED_PROXY_COUNT` entries of X-Forwarded-For) or from a header one of them sets;
# with neither, it uses the socket's address and ignores what a client writes in those headers.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("ALLAUTH_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("ALLAUTH_TRUSTED_CLIENT_IP_HEADER") or None
LOGIN_REDIRECT_URL = "portal:home"  # the page of the person's role (portal/homes.py)
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Guichet unique santé"
# Every staff account must enrol a second factor before using the admin; only the local demo
# may switch this off.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", True)

# Security headers on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The territory's colour is set in a <style> element carrying the request's nonce.
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Request bodies are bounded (portal.security.RequestSizeLimitMiddleware answers 413 from the
# announced length, before reading): form fields are parsed in memory up to 2.5 MB; uploads (10 MB
# at most per file) are kept in memory up to 2.5 MB, then in a temporary file; a body with files
# stops at 21 MB (two of the biggest files and their form).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
REQUEST_BODY_MAX_SIZE = 21 * 1024 * 1024

# How long each kind of personal data is kept, in days: one number per retention rule an app declares
# (portal/hooks.py RetentionRule). The daily purge (portal.privacy.tasks.retention_purge) and each
# territory's "données personnelles" page both read this dict; `RETENTION_<KEY>_DAYS` overrides one
# (key upper-cased, dots as underscores: RETENTION_PRIVACY_ACCESS_LOG_DAYS=180).
_RETENTION_DEFAULTS = {
    # Unconfirmed anonymous requests (the address never confirmed): deleted.
    "installations.unconfirmed_requests": 30,
    # Household details (spouse's job, children's ages, the household needs' details): from consent.
    "installations.household": 2 * 365,
    # Settled, withdrawn or closed cases, from their closing: anonymised (messages, notes, files,
    # identity go; profession, communes, needs' kinds and dates stay for the statistics).
    "installations.closed_cases": 3 * 365,
    # Registrations made without an account, from the event's end: name and e-mail erased.
    "events.anonymous_registrations": 365,
    # Notifications and the e-mail outbox, from their creation (rows still to send are kept).
    "notifications.messages": 365,
    # Staff reads of personal data: the CNIL recommends 6 months to a year for access logs.
    "privacy.access_log": 365,
    # Council and college members who left, from their mandate's end: name and account unlinked,
    # their convocation and reply dates erased (the deliberations, public archives, stay whole).
    # Five years: a full term after they left, for the body's next renewals and any recourse.
    "governance.former_members": 5 * 365,
    # Refused scholarship applications, from the decision: anonymised (identity, motivation, the
    # refusal's reason, supporting documents and their files). Two years covers the recourse
    # against the decision and a new application the next year.
    "training.refused_applications": 2 * 365,
    # Granted scholarships whose commitment ended (fulfilled or broken), from its closing: the same.
    # Five years: the time within which a broken commitment's grant may be claimed back.
    "training.ended_commitments": 5 * 365,
    # Placements and their needs, from the placement's end, with the welcome kits handed for them:
    # anonymised. Five years: "trainees who later settled" is counted over that time.
    "training.placements": 5 * 365,
    # Housing bookings, from the departure day: occupant, e-mail, note, arrival and keys dates erased.
    # Two years: deposits and damages are settled well within it.
    "training.housing_bookings": 2 * 365,
    # Registrations with an account to training sessions, from the session's end: the person and the
    # attendance certificate go. Three years: the professionals' DPC obligation is checked over three-year
    # periods, and they keep their certificate themselves.
    "training.session_registrations": 3 * 365,
    # Tutor–student pairs, from the end of the tutoring: deleted.
    "training.tutor_pairs": 3 * 365,
    # Health ambassadors, from the day they stopped: deleted.
    "prevention.ambassadors": 365,
    # Service-sanitaire students, from the end of their academic year (31 August): deleted with
    # their team's pedagogical referent.
    "prevention.health_students": 365,
}
PERSONAL_DATA_RETENTION_DAYS = {
    key: int(env(f"RETENTION_{key.upper().replace('.', '_')}_DAYS", str(days)))
    for key, days in _RETENTION_DEFAULTS.items()
}
# The national legal pages (pages outside a territory's site): who publishes the portal and where it
# is hosted. Each territory's pages start from its own record and are edited by its manager.
LEGAL_PUBLISHER = env("LEGAL_PUBLISHER") or "Guichet unique santé (démonstration)"
LEGAL_CONTACT_EMAIL = env("LEGAL_CONTACT_EMAIL") or "contact@guichet-sante.localhost"
# The national pages' RGAA status: "none", "partial" or "full" (only after an audit).
LEGAL_ACCESSIBILITY_STATUS = env("LEGAL_ACCESSIBILITY_STATUS") or "none"
LEGAL_HOST = env("LEGAL_HOST") or "Hébergement de démonstration, sur la machine qui sert le portail"

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
if CELERY_TASK_ALWAYS_EAGER:
    # Tasks run in-process (demo): one "Task … succeeded" line per e-mail or PDF is noise there; a
    # real worker keeps logging them.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
