"""A session ends after 30 minutes without activity, each request pushing that deadline back, while
the session is written at most once a minute (portal.sessions) rather than at every request."""

import datetime
from unittest import mock

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.portal.factories import UserFactory

MINUTE = datetime.timedelta(minutes=1)


def _at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _signed_in(client):
    response = client.get(reverse("portal:personal_space"))
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_session_ends_after_30_minutes_without_activity(db, login):
    client = login(UserFactory())
    start = timezone.now()
    with _at(start + 29 * MINUTE):
        assert _signed_in(client)
    with _at(start + 29 * MINUTE + 31 * MINUTE):
        assert not _signed_in(client)


def test_activity_pushes_the_end_of_the_session_back(db, login):
    client = login(UserFactory())
    start = timezone.now()
    with _at(start + 20 * MINUTE):
        assert _signed_in(client)
    # Without that request the session would have ended at 30 minutes.
    with _at(start + 45 * MINUTE):
        assert _signed_in(client)
    with _at(start + 45 * MINUTE + 31 * MINUTE):
        assert not _signed_in(client)


def test_session_is_written_at_most_once_a_minute(db, login):
    client = login(UserFactory())
    key = client.session.session_key
    start = timezone.now()
    with _at(start + 2 * MINUTE):
        assert _signed_in(client)
    refreshed = Session.objects.get(session_key=key).expire_date
    assert refreshed >= start + 2 * MINUTE + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with _at(start + 2 * MINUTE + datetime.timedelta(seconds=30)), CaptureQueriesContext(connection) as queries:
        assert _signed_in(client)
    # The session is read (sessions are in the database only, issue 9), not written.
    session_queries = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]
    assert len(session_queries) == 1 and session_queries[0].startswith("SELECT")
    assert Session.objects.get(session_key=key).expire_date == refreshed


def test_expired_sessions_are_deleted_every_night_and_live_ones_kept(db, login):
    from portal.hooks import beat_schedule
    from portal.tasks import sessions_clear_expired

    live = login(UserFactory()).session.session_key
    expired = login(UserFactory()).session.session_key
    Session.objects.filter(session_key=expired).update(expire_date=timezone.now() - MINUTE)

    sessions_clear_expired.delay()  # eager in tests

    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert beat_schedule()["sessions-clear-expired"]["task"] == sessions_clear_expired.name
