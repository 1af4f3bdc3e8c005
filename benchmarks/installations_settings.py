"""Settings of the installations load benchmark (benchmarks/installations_load.py): the portal's
base settings, production-like (DEBUG off, Redis cache and sessions), with a URLconf that adds the
floor view. Not used anywhere else."""

from config.settings.base import *  # noqa: F403
from config.settings.base import LOGGING

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "installations_urls"
# No collectstatic for a benchmark: WhiteNoise serves from the finders, without the manifest.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
