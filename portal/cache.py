"""The cache backend: Django's RedisCache, whose failures are misses instead of 500s.

Nothing the portal keeps in the cache is needed to answer a request (sessions are in the database,
`SESSION_ENGINE = db`): the case list's counts are computed again, a rate limit counts elsewhere.
Django's built-in `RedisCache` has no option to ignore errors (its OPTIONS only go to redis-py's
connection pool), and redis-py's defaults wait for a hung server (no socket timeout, three
retries). So this subclass:

- connects and reads with short timeouts (`socket_connect_timeout` / `socket_timeout`, 0.5 s) and
  no retry: a Redis that accepts connections and never answers costs one request half a second;
- turns every Redis or socket error into a miss (`get` gives the default, `get_many` nothing, a
  write does nothing and `add` says nothing was added), logs it once, and then leaves Redis alone
  for `RETRY_AFTER` seconds (5) in this process: during an outage the other requests do not even
  try, so a hung Redis does not cost each request its timeout;
- keeps the rate limits counting while Redis is away: keys starting with one of
  `LOCAL_FALLBACK_PREFIXES` (allauth's limits, the event confirmation e-mails) go to this
  process's memory instead. Throttling then counts per web process rather than site-wide (with 4
  workers, 20 failed sign-ins per 5 minutes from an address instead of 5) but never blocks anyone
  nor lets guessing run unbounded. Failing closed instead (refusing every sign-in while the cache is
  down) would lock every coordinator out for the length of a cache outage; failing fully open would
  leave passwords (12 characters at least) and staff second factors to unbounded guessing.

OPTIONS: `RETRY_AFTER`, `LOCAL_FALLBACK_PREFIXES`, and anything redis-py's connection pool takes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("portal.cache")

T = TypeVar("T")

# Seconds to connect to, then to hear from, Redis (redis-py waits forever by default).
SOCKET_TIMEOUT = 0.5
# Seconds during which a process leaves Redis alone after a failure.
RETRY_AFTER = 5.0
LOCAL_FALLBACK_PREFIXES = ("allauth:rl:", "events:confirm:")

# Per process (the backend itself is instantiated per thread by Django): when Redis may be tried
# again, per LOCATION, and the stand-in for the rate limits.
_unavailable_until: dict[str, float] = {}
_state_lock = threading.Lock()
_local = LocMemCache("portal-cache-fallback", {"OPTIONS": {"MAX_ENTRIES": 10000}})


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.RedisError, OSError)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a `redis.Redis` at each cache call (its ~170 response callbacks set
    one by one: a fifth of a cached read's CPU); this keeps one per connection pool. A `redis.Redis`
    holds no connection of its own (it takes one from the pool for each command), so sharing it is
    what sharing the pool already was."""

    # Django's (untyped in django-stubs).
    _client: Callable[..., Any]
    _get_connection_pool: Callable[[bool], Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", RETRY_AFTER))
        self.fallback_prefixes = tuple(options.pop("LOCAL_FALLBACK_PREFIXES", LOCAL_FALLBACK_PREFIXES))
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._location = server
        self._errors = _redis_errors()

    # --- the breaker ------------------------------------------------------------------------------

    def is_available(self) -> bool:
        """False while this process leaves Redis alone after a failure."""
        until = _unavailable_until.get(self._location)
        return until is None or time.monotonic() >= until

    def _failed(self, operation: str, error: BaseException) -> None:
        with _state_lock:
            already_down = self._location in _unavailable_until
            _unavailable_until[self._location] = time.monotonic() + self.retry_after
        if not already_down:
            logger.warning(
                "Cache unreachable (%s on %s: %s): going on without it, rate limits counted per process; "
                "next try in %.0f s.",
                error.__class__.__name__,
                operation,
                error,
                self.retry_after,
            )

    def _recovered(self) -> None:
        if self._location in _unavailable_until:
            with _state_lock:
                if _unavailable_until.pop(self._location, None) is not None:
                    logger.warning("Cache reachable again.")

    def _call(self, operation: str, redis_call: Callable[[], T], fallback: Callable[[], T]) -> T:
        if not self.is_available():
            return fallback()
        try:
            result = redis_call()
        except self._errors as error:
            self._failed(operation, error)
            return fallback()
        self._recovered()
        return result

    def _local(self, key: str) -> bool:
        return isinstance(key, str) and key.startswith(self.fallback_prefixes)

    # --- the cache API --------------------------------------------------------------------------

    def add(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        def fallback() -> bool:
            return _local.add(key, value, timeout, version) if self._local(key) else False

        return self._call("add", lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), fallback)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        def fallback() -> Any:
            return _local.get(key, default, version) if self._local(key) else default

        return self._call("get", lambda: super(ResilientRedisCache, self).get(key, default, version), fallback)

    def set(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        def fallback() -> None:
            if self._local(key):
                _local.set(key, value, timeout, version)

        self._call("set", lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), fallback)

    def touch(self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        def fallback() -> bool:
            return _local.touch(key, timeout, version) if self._local(key) else False

        return self._call("touch", lambda: super(ResilientRedisCache, self).touch(key, timeout, version), fallback)

    def delete(self, key: Any, version: int | None = None) -> bool:
        # A rate-limit key (a lock, say) set in memory during an outage goes with it even once Redis
        # is back.
        local_deleted = _local.delete(key, version) if self._local(key) else False
        return self._call(
            "delete", lambda: super(ResilientRedisCache, self).delete(key, version), lambda: local_deleted
        )

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)

        def fallback() -> dict[Any, Any]:
            return _local.get_many([k for k in keys if self._local(k)], version)

        return self._call("get_many", lambda: super(ResilientRedisCache, self).get_many(keys, version), fallback)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        def fallback() -> bool:
            return _local.has_key(key, version) if self._local(key) else False

        return self._call("has_key", lambda: super(ResilientRedisCache, self).has_key(key, version), fallback)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        def fallback() -> int:
            if self._local(key):
                return _local.incr(key, delta, version)
            raise ValueError(f"Key '{key}' not found")  # Django's answer for a missing key

        return self._call("incr", lambda: super(ResilientRedisCache, self).incr(key, delta, version), fallback)

    def set_many(
        self, data: dict[Any, Any], timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        def fallback() -> list[Any]:
            local = {k: v for k, v in data.items() if self._local(k)}
            if local:
                _local.set_many(local, timeout, version)
            return [k for k in data if not self._local(k)]  # the keys that were not stored

        return self._call(
            "set_many", lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), fallback
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        _local.delete_many([k for k in keys if self._local(k)], version)
        self._call("delete_many", lambda: super(ResilientRedisCache, self).delete_many(keys, version), lambda: None)

    def clear(self) -> None:
        _local.clear()
        self._call("clear", lambda: super(ResilientRedisCache, self).clear(), lambda: None)
