"""Local development and the embedded demo (`make run`)."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool

DEBUG = env_bool("DEBUG", True)
# The demo accounts are shown in the README; requiring TOTP for them would make the demo unusable.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", False)
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
