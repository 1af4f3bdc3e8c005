"""Which territories a user holds which roles in: the one place memberships are read for access.

Every call names the roles it accepts (`roles=` is required): partners and council members hold
memberships too, and a default that included them would let them read what only the team may.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast


def _memberships_of(user: Any) -> list[tuple[int, str]]:
    """(territory id, role) of every membership of `user` in an active territory, read once per
    user object: a page asks for several sets of roles, and one query answers them all."""
    cache = user.__dict__.setdefault("_territory_ids_cache", {})
    if "memberships" not in cache:
        from portal.models import Membership

        cache["memberships"] = list(
            Membership.objects.filter(user=user, territory__is_active=True)
            .order_by()
            .values_list("territory_id", "role")
        )
    return cast(list[tuple[int, str]], cache["memberships"])


def territory_ids_for(user: Any, *, roles: Iterable[str]) -> set[int]:
    """Ids of the territories where `user` holds one of `roles` (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = tuple(sorted(roles))
    cache = user.__dict__.setdefault("_territory_ids_cache", {})
    if roles not in cache:
        wanted = set(roles)
        cache[roles] = {territory_id for territory_id, role in _memberships_of(user) if role in wanted}
    return cast(set[int], cache[roles])


def has_role(user: Any, territory: Any, roles: Iterable[str]) -> bool:
    if territory is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return territory.pk in territory_ids_for(user, roles=roles)
