"""Tests run against PostgreSQL and Redis, real ones, as production does."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, TEMPLATES, env

DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Background work is exercised end to end with a real worker in a dedicated test; elsewhere tasks
# run eagerly so each test sees their effect.
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STAFF_MFA_REQUIRED = True
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/5m/key"}
# Undefined template variables fail loudly in tests.
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "!!MISSING:%s!!"
CACHES = {"default": {"BACKEND": "portal.cache.ResilientRedisCache", "LOCATION": env("REDIS_URL")}}
# No collectstatic in tests: WhiteNoise serves from the finders (the live server's browser tests too).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
