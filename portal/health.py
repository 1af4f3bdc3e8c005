"""Health checks: liveness, readiness and a status report, each for its own reader.

- `/healthz/live`: the process runs and answers. No I/O at all: an orchestrator restarts a process
  that fails it, so it must never fail because of something a restart cannot fix.
- `/healthz/ready`: what the web tier needs to serve pages, i.e. the database. The load balancer's
  check: 503 takes the replica out of rotation, which helps only when this replica cannot serve.
  A broker or cache outage is shared by every replica; taking them all out would turn a degraded
  site (tasks wait in the outbox, the cache misses) into no site at all.
- `/healthz`: the report for monitoring: database, cache and broker each with its state and
  latency. 200 unless the database is down (like readiness), so a load balancer still pointed at
  it no longer removes healthy replicas.

The checks answer before the session, CSRF, authentication and territory middleware
(`HealthCheckMiddleware`, placed right after SecurityMiddleware): a probe carrying a session
cookie must not load or save a session in a cache that may be down, nor get a CSRF cookie, and an
orchestrator probing by IP address is not refused by ALLOWED_HOSTS. The cache and broker probes
use their own Redis connections with short timeouts and no retry (PROBE_TIMEOUT), so a hung Redis
costs the report at most about a second, and readiness nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# Seconds to connect to, then to hear from, the cache's or the broker's Redis.
PROBE_TIMEOUT = 0.5

Check = dict[str, Any]


def _timed(probe: Callable[[], str]) -> Check:
    start = time.monotonic()
    try:
        state = probe()
    except Exception as error:  # a probe reports every failure, it never raises
        check: Check = {"state": "error", "error": error.__class__.__name__}
    else:
        check = {"state": state}
    check["latency_ms"] = round((time.monotonic() - start) * 1000, 1)
    return check


def _ping_database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _ping_redis(url: str) -> str:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis.from_url(
        url, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT, retry=Retry(NoBackoff(), 0)
    )
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def check_database() -> Check:
    return _timed(_ping_database)


def check_cache() -> Check:
    config = settings.CACHES["default"]
    if "redis" not in config["BACKEND"].lower():
        # The demo's per-process memory: nothing to reach (production refuses to start without Redis).
        return {"state": "local"}
    location = config["LOCATION"]
    url = location[0] if isinstance(location, list | tuple) else location.replace(";", ",").split(",")[0]
    return _timed(lambda: _ping_redis(url))


def check_broker() -> Check:
    url = settings.CELERY_BROKER_URL
    if not url:
        return {"state": "in-process"}  # the demo runs tasks inside the web process
    if not url.startswith(("redis://", "rediss://")):
        return {"state": "not checked"}
    return _timed(lambda: _ping_redis(url))


def _json(payload: Check, *, ok: bool) -> JsonResponse:
    return JsonResponse(payload, status=200 if ok else 503)


@never_cache
@require_safe
def live(request: HttpRequest) -> HttpResponse:
    return _json({"status": "ok"}, ok=True)


@never_cache
@require_safe
def ready(request: HttpRequest) -> HttpResponse:
    database = check_database()
    ok = database["state"] == "ok"
    return _json({"status": "ok" if ok else "error", "database": database}, ok=ok)


@never_cache
@require_safe
def status(request: HttpRequest) -> HttpResponse:
    checks = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    ok = checks["database"]["state"] == "ok"
    degraded = any(check["state"] == "error" for check in checks.values())
    return _json({"status": "error" if not ok else "degraded" if degraded else "ok", **checks}, ok=ok)


VIEWS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": status,
    "/healthz/live": live,
    "/healthz/ready": ready,
}


class HealthCheckMiddleware:
    """Answers the health checks before any middleware that reads the session, the cache or the host."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = VIEWS.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)
