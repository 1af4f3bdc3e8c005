"""Health checks (issue 9): liveness without I/O, readiness on the database only, and a status
report that shows the cache and the broker apart without ever taking a replica out for them."""

import json
import secrets
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connections
from django.test import Client, override_settings

from tests.conftest import DEAD_BROKER_URL
from tests.portal.factories import UserFactory

# Nothing listens there.
DEAD_CACHE = {"default": {"BACKEND": "portal.cache.ResilientRedisCache", "LOCATION": DEAD_BROKER_URL}}


def database_refused():
    """PostgreSQL refuses connections (entered inside the test, so that its teardown still has the database)."""
    return mock.patch.object(
        connections["default"], "ensure_connection", side_effect=OperationalError("connection refused")
    )


@pytest.fixture
def signed_in_client(db, client):
    # The session is written while Redis works; the probes then come with its cookie.
    client.force_login(UserFactory())
    return client


def test_liveness_answers_without_touching_database_cache_or_broker(client, db, settings, django_assert_num_queries):
    settings.CELERY_BROKER_URL = DEAD_BROKER_URL
    with override_settings(CACHES=DEAD_CACHE), django_assert_num_queries(0), database_refused():
        response = client.get("/healthz/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_every_check_is_up_when_everything_is(client, db, settings):
    settings.CELERY_BROKER_URL = settings.CACHES["default"]["LOCATION"]

    ready = client.get("/healthz/ready")
    report = client.get("/healthz")

    assert ready.status_code == 200
    assert ready.json()["database"]["state"] == "ok"
    assert report.status_code == 200
    body = report.json()
    assert body["status"] == "ok"
    assert {name: body[name]["state"] for name in ("database", "cache", "broker")} == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
    }
    assert all(body[name]["latency_ms"] >= 0 for name in ("database", "cache", "broker"))
    assert report["Cache-Control"].startswith("max-age=0")


def test_broker_down_is_reported_without_taking_the_replica_out(client, db, broker_down, settings):
    settings.CELERY_BROKER_URL = broker_down.app.conf.broker_url

    ready = client.get("/healthz/ready")
    report = client.get("/healthz")

    assert ready.status_code == 200
    assert report.status_code == 200
    body = report.json()
    assert body["status"] == "degraded"
    assert body["broker"]["state"] == "error"
    assert body["broker"]["error"] == "ConnectionError"
    assert body["database"]["state"] == body["cache"]["state"] == "ok"


def test_cache_down_with_a_session_cookie_answers_200_without_touching_the_session(signed_in_client, settings):
    settings.CELERY_BROKER_URL = DEAD_BROKER_URL
    with override_settings(CACHES=DEAD_CACHE):
        responses = {path: signed_in_client.get(path) for path in ("/healthz", "/healthz/ready", "/healthz/live")}

    for response in responses.values():
        assert response.status_code == 200
        # No session saved, no CSRF cookie handed out.
        assert not response.cookies
    body = responses["/healthz"].json()
    assert body["status"] == "degraded"
    assert (body["cache"]["state"], body["broker"]["state"]) == ("error", "error")


def test_hung_cache_and_broker_cost_the_report_about_a_second_and_readiness_nothing(
    client, db, settings, hung_redis_url
):
    settings.CELERY_BROKER_URL = hung_redis_url
    hung_cache = {"default": {**DEAD_CACHE["default"], "LOCATION": hung_redis_url}}
    with override_settings(CACHES=hung_cache):
        start = time.monotonic()
        report = client.get("/healthz")
        report_seconds = time.monotonic() - start
        start = time.monotonic()
        ready = client.get("/healthz/ready")
        ready_seconds = time.monotonic() - start

    assert report.status_code == 200
    body = report.json()
    assert (body["cache"]["error"], body["broker"]["error"]) == ("TimeoutError", "TimeoutError")
    assert 400 <= body["cache"]["latency_ms"] <= 900
    assert report_seconds < 1.6
    assert ready.status_code == 200
    assert ready_seconds < 0.4


def test_database_down_makes_readiness_and_report_answer_503_but_not_liveness(client, db):
    with database_refused():
        ready = client.get("/healthz/ready")
        report = client.get("/healthz")
        live = client.get("/healthz/live")

    assert ready.status_code == report.status_code == 503
    assert ready.json() == {
        "status": "error",
        "database": {
            "state": "error",
            "error": "OperationalError",
            "latency_ms": ready.json()["database"]["latency_ms"],
        },
    }
    assert report.json()["status"] == "error"
    assert live.status_code == 200


def test_health_checks_are_answered_for_any_host_and_refuse_writes(client, db):
    # The orchestrator probes by IP address, which ALLOWED_HOSTS does not list.
    assert client.get("/healthz/ready", HTTP_HOST="10.0.3.7:8000").status_code == 200
    assert client.head("/healthz/live").status_code == 200
    assert client.post("/healthz/ready").status_code == 405


def test_production_serves_the_health_checks_over_plain_http_and_redirects_the_rest(db):
    # The production settings' own exemption list, read in a process of their own.
    code = "import json, django; django.setup(); from django.conf import settings; "
    code += "print(json.dumps(settings.SECURE_REDIRECT_EXEMPT))"
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/guichet",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(  # noqa: S603  (arguments written here)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR, check=True
    )
    exempt = json.loads(result.stdout)

    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=exempt):
        client = Client()  # a new handler: SecurityMiddleware reads its settings when it is built
        for path in ("/healthz", "/healthz/live", "/healthz/ready"):
            assert client.get(path).status_code == 200, path
        assert client.get("/healthz/other").status_code == 301
        assert client.get("/").status_code == 301
