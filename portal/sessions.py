"""Sessions that end after 30 minutes of inactivity without being written at every request.

`SESSION_SAVE_EVERY_REQUEST` wrote the session at every signed-in request (an UPDATE of the session
row and a cache SET: half the queries of a cheap page) only to push its expiry back. This
middleware writes it again only when its expiry was last pushed back more than
`SESSION_REFRESH_AFTER` seconds ago (a minute): a session still ends `SESSION_COOKIE_AGE` (30 minutes)
after the last request, give or take that minute, and a coordinator clicking through the case
list writes it once a minute rather than at every click.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

REFRESHED_AT = "_refreshed_at"


class SessionActivityMiddleware:
    """Placed after SessionMiddleware: it marks the session modified when its expiry is older than
    `SESSION_REFRESH_AFTER`, and SessionMiddleware then saves it with a new expiry (and sends the
    cookie again with its new max-age)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only an existing session (a visitor without one is not given one) that the response keeps.
        if session is None or not session.session_key or session.modified or session.is_empty():
            return response
        now = int(timezone.now().timestamp())
        if now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_AFTER:
            session[REFRESHED_AT] = now
        return response
