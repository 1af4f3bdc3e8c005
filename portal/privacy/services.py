"""Writes of portal.privacy: the access log (one INSERT per read, nothing read first) and the purge
of personal data past its retention period."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.hooks import retention_rules
from portal.models import Territory
from portal.privacy.models import AccessLog
from portal.tenancy.access import territory_ids_for

logger = logging.getLogger(__name__)


def access_record(
    *,
    user: Any,
    territory_ids: Iterable[int],
    kind: str,
    object_ref: str = "",
    object_id: int | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Staff member `user` read personal data of these territories (a case page, an export, a file):
    one row per territory, written in one INSERT with what the caller already holds (no read)."""
    now = timezone.now()
    path = request.get_full_path()[:500] if request is not None else ""
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                territory_id=territory_id,
                user_id=user.pk,
                user_email=user.email,
                kind=kind,
                object_ref=object_ref[:200],
                object_id=object_id,
                path=path,
                created_at=now,
            )
            for territory_id in sorted(set(territory_ids))
        ]
    )


def readable_territory_ids(user: Any, *, roles: Iterable[str]) -> set[int]:
    """The territories whose data `user` reads with these roles (memberships, already cached on the
    user by the admin's scoping); a superuser reads every territory's."""
    if user.is_superuser:
        return set(Territory.objects.values_list("pk", flat=True))
    return territory_ids_for(user, roles=roles)


def retention_days(key: str) -> int:
    days: int = settings.PERSONAL_DATA_RETENTION_DAYS[key]
    return days


def access_log_purge(*, territory: Territory, before: datetime.datetime) -> int:
    deleted, _by_model = AccessLog.objects.for_territory(territory).filter(created_at__lt=before).delete()
    return deleted


def territory_retention_purge(*, territory: Territory, now: datetime.datetime | None = None) -> dict[str, int]:
    """Applies every declared retention rule to one territory; returns the rows purged per rule.
    Each rule runs in its own transaction: one failing rule does not keep the others' data."""
    now = now or timezone.now()
    purged: dict[str, int] = {}
    for rule in retention_rules():
        purge = import_string(rule.purge)
        before = now - datetime.timedelta(days=retention_days(rule.key))
        with transaction.atomic():
            purged[rule.key] = purge(territory=territory, before=before)
    if any(purged.values()):
        logger.info("Retention purge of %s: %s", territory.slug, purged)
    return purged
