"""Production: everything from the environment, no embedded default for secrets."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import env, env_bool

DEBUG = False
SECRET_KEY = env("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("demo-only"):
    raise ImproperlyConfigured("SECRET_KEY doit être une valeur secrète d'au moins 50 caractères.")
if not env("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL est obligatoire en production.")
# Fail closed rather than fall back on the demo's embedded defaults: without Redis the cache, and with
# it the login throttling, would be per process; without a broker, tasks (PDF reports included) would
# run eagerly inside the web workers.
if not env("REDIS_URL"):
    raise ImproperlyConfigured("REDIS_URL est obligatoire en production : cache partagé et limitation des connexions.")
if not env("CELERY_BROKER_URL"):
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL est obligatoire en production : sans courtier, les tâches (PDF compris) "
        "s'exécuteraient dans les processus web."
    )
CELERY_TASK_ALWAYS_EAGER = False

STAFF_MFA_REQUIRED = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# The health checks (/healthz, /healthz/live, /healthz/ready) are probed over plain HTTP inside the
# private network by the orchestrator and the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]
