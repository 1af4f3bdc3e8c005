"""What the coordinators' case list keeps in the cache, and when it is stale: of each territory, the
per-status counts (its status tabs), its team and its communes (the choices of two filters), nothing
else. Rendered pages are not kept: they only helped a session reloading the same URL with nothing
changed in the territory, and held personal data.

Each territory has a version: a random token in the cache. Saving or deleting one of its cases,
needs or team memberships, changing its communes, or saving a member of its team or one of its
communes gives it a new one (receivers.py), at once and again after the commit:
counts read between the two are stored under the in-between version, which nobody reads afterwards.
The values are stored with the version of their territory (read with it in one round trip), so the
next view after a change computes them again; they also expire after five minutes (a safety net for
a change made outside the ORM, such as an SQL update).

The cache only saves work: when Redis cannot be reached, saving a case still succeeds and the list
is computed on each view (the cache backend, portal/cache.py, turns Redis failures into misses and
logs them).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction

COUNTS_TIMEOUT = 300


def get(key):
    return cache.get(key)


def get_many(keys) -> dict:
    return cache.get_many(keys)


def set_many(values: dict, timeout: int) -> None:
    cache.set_many(values, timeout)


def store(key, value, timeout: int) -> None:
    cache.set(key, value, timeout)


def _version_key(territory_id: int) -> str:
    return f"installations:cases-version:{territory_id}"


def changed(territory_id: int | None) -> None:
    """Something the case list shows changed in the territory: its cached lists and counts are stale."""
    if territory_id is None:
        return

    def new_version():
        store(_version_key(territory_id), uuid.uuid4().hex, None)

    new_version()
    transaction.on_commit(new_version)


def get_current(names, territory_ids) -> tuple[dict[str, dict[int, Any]], dict[int, str]]:
    """Each territory's values `names` (by name, then territory) that were stored under the
    territory's current version, and those versions: all in one cache round trip (each value is kept
    with the version it was computed under, `store_current`)."""
    ids = sorted(territory_ids)
    keys = {(name, tid): f"installations:{name}:{tid}" for name in names for tid in ids}
    found = get_many([*keys.values(), *(_version_key(tid) for tid in ids)])
    versions = {tid: found.get(_version_key(tid), "0") for tid in ids}
    current: dict[str, dict[int, Any]] = {name: {} for name in names}
    for (name, tid), key in keys.items():
        stored = found.get(key)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == versions[tid]:
            current[name][tid] = stored[1]
    return current, versions


def store_current(name: str, values: dict[int, Any], versions: dict[int, str], timeout: int) -> None:
    """Keeps each territory's value `name` with the version it was computed under."""
    set_many({f"installations:{name}:{tid}": (versions[tid], value) for tid, value in values.items()}, timeout)
