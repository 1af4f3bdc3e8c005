"""benchmarks/redis_faults.py --before: the configuration issue 9 was filed on (Django's RedisCache with
redis-py's defaults, sessions `cached_db`), to measure it beside the current one. Not used anywhere else."""

from installations_settings import *  # noqa: F403
from installations_settings import REDIS_URL

CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
