"""Who may act on a case: reads that both the writes (`installations.services`) and the reads
(`installations.selectors`, the admin) use."""

from __future__ import annotations

from installations.models import Case, Need
from portal.enums import EDITOR_ROLES, Role
from portal.models import Membership
from portal.tenancy.access import has_role


def is_team(user, territory) -> bool:
    """Coordinator or manager of the territory (or superuser)."""
    return has_role(user, territory, EDITOR_ROLES)


def is_team_member(user, territory) -> bool:
    """Holds a coordinator or manager membership there (a superuser without one is not in the team)."""
    return (
        user is not None
        and user.is_active
        and Membership.objects.filter(user=user, territory=territory, role__in=EDITOR_ROLES).exists()
    )


def is_applicant(user, case: Case) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and case.applicant_id == user.pk


def is_need_referent(user, need: Need) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and need.referent_id == user.pk
        and has_role(user, need.territory, [Role.PARTNER])
    )
