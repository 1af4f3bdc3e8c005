"""What the coordinators' case list keeps in the cache, and when it is stale.

Each territory has a version: a random token in the cache. Saving or deleting one of its cases,
needs or team memberships gives it a new one (receivers.py), at once and again after the commit:
a list read between the two is stored under the in-between version, which nobody reads afterwards.
The per-status counts and the rendered pages are stored under the versions of the territories they
show, so the next view after a change computes them again. Pages also expire after a minute (the
"days since the last contact" and the "no answer for N days" highlight move with time), the
counts after five minutes (a safety net for a change made outside the ORM, such as an SQL update).
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction

PAGE_TIMEOUT = 60
COUNTS_TIMEOUT = 300


def _version_key(territory_id: int) -> str:
    return f"installations:cases-version:{territory_id}"


def changed(territory_id: int | None) -> None:
    """Something the case list shows changed in the territory: its cached lists and counts are stale."""
    if territory_id is None:
        return

    def new_version():
        cache.set(_version_key(territory_id), uuid.uuid4().hex, None)

    new_version()
    transaction.on_commit(new_version)


def versions(territory_ids) -> dict[int, str]:
    """The current version of each territory (one cache round trip)."""
    ids = sorted(territory_ids)
    found = cache.get_many([_version_key(tid) for tid in ids])
    return {tid: found.get(_version_key(tid), "0") for tid in ids}


def page_key(*, session_key: str, territory_versions: dict[int, str], language: str, day, query: str) -> str:
    """The key of one rendered list: per session (the page carries the session's CSRF token), per
    state of the territories shown, per language, day and query string."""
    state = ";".join(f"{tid}.{version}" for tid, version in sorted(territory_versions.items()))
    digest = hashlib.sha256(f"{session_key}|{state}|{language}|{day}|{query}".encode()).hexdigest()
    return f"installations:case-list:{digest}"
