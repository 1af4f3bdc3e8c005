"""Reads of the shared core that are more than one filter."""

from typing import Any

from django.db.models import Count, QuerySet

from portal.enums import Role
from portal.hooks import declared_hooks
from portal.models import Membership, Territory, User


def active_territories() -> QuerySet[Territory]:
    return (
        Territory.objects.filter(is_active=True)
        .annotate(commune_count=Count("communes", distinct=True))
        .order_by("name")
    )


def territory_entry_points(territory: Territory) -> list[dict[str, Any]]:
    """What each axis app offers on a territory's home page.

    An axis app declares a `PublicEntry` in its AppConfig's hooks (title, text, URL name or None
    while it has no page yet), so `portal` never imports an axis app.
    """
    return [
        {
            "title": hooks.public_entry.title,
            "text": hooks.public_entry.text,
            "url_name": hooks.public_entry.url_name,
            "app_label": config.label,
        }
        for config, hooks in declared_hooks()
        if hooks.public_entry is not None
    ]


def memberships_of(user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, territory__is_active=True)
        .select_related("territory", "organisation")
        .order_by("territory__name", "role")
    )


def territory_coordinators(territory: Territory) -> list[User]:
    """Who hears of what a person submits (a case, an application): the coordinators, else the managers."""
    memberships = (
        Membership.objects.for_territory(territory)
        .filter(role__in=[Role.COORDINATOR, Role.MANAGER], user__is_active=True)
        .select_related("user")
        .order_by("role", "user_id")
    )
    coordinators = [m.user for m in memberships if m.role == Role.COORDINATOR]
    return coordinators or [m.user for m in memberships]
