"""The codes an authenticator app shows, for tests that sign in with a second factor."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # base32, as an authenticator app stores it
TOTP_PERIOD = 30  # seconds, allauth's default (MFA_TOTP_PERIOD)


def current_totp(secret=TOTP_SECRET):
    """The 6 digits an authenticator app shows right now for `secret`, from a 30-second window with at
    least 5 seconds left: allauth accepts no other window, so a code read as its window closes is refused
    by the time it is sent (a person would type the next one; the test waits for it)."""
    left = TOTP_PERIOD - time.time() % TOTP_PERIOD
    if left < 5:
        time.sleep(left + 0.2)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
