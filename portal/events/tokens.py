"""Signed links for people without an account: confirm a registration, cancel it.

Nothing is stored until the person confirms: the link carries the event, the name and the
address, signed with the secret key, so a mistyped or someone else's address never holds a place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

CONFIRM_SALT = "portal.events.registration-confirm"
CANCEL_SALT = "portal.events.registration-cancel"
CONFIRM_MAX_AGE = 3 * 24 * 3600


@dataclass(frozen=True)
class PendingRegistration:
    event_id: int
    name: str
    email: str


def confirm_token(*, event_id: int, name: str, email: str) -> str:
    return signing.dumps({"e": event_id, "n": name, "m": email}, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> PendingRegistration | None:
    """The registration a link asks for; None when it was tampered with or is older than 3 days."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        return PendingRegistration(event_id=int(data["e"]), name=str(data["n"]), email=str(data["m"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def cancel_token(*, registration_id: int, email: str) -> str:
    return signing.dumps({"r": registration_id, "m": email}, salt=CANCEL_SALT)


def read_cancel_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=CANCEL_SALT)
        return int(data["r"]), str(data["m"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
