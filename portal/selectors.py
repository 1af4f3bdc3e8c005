"""Reads of the shared core that are more than one filter."""

from typing import Any

from django.apps import apps
from django.db.models import Count, QuerySet

from portal.models import Membership, Territory


def active_territories() -> QuerySet[Territory]:
    return (
        Territory.objects.filter(is_active=True)
        .annotate(commune_count=Count("communes", distinct=True))
        .order_by("name")
    )


def territory_entry_points(territory: Territory) -> list[dict[str, Any]]:
    """What each axis app offers on a territory's home page.

    An axis app declares `public_entry` on its AppConfig (title, text, URL name or None while it
    has no page yet), so `portal` never imports an axis app.
    """
    entries = []
    for config in apps.get_app_configs():
        entry = getattr(config, "public_entry", None)
        if entry:
            entries.append({**entry, "app_label": config.label})
    return entries


def memberships_of(user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, territory__is_active=True)
        .select_related("territory", "organisation")
        .order_by("territory__name", "role")
    )
