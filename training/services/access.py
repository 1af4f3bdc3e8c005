"""Who may write training's programmes: the territory's team (coordinators, managers)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from portal.enums import EDITOR_ROLES
from portal.tenancy.access import has_role


def require_team(actor: Any, territory: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Connectez-vous pour continuer."))
    if not has_role(actor, territory, EDITOR_ROLES):
        raise PermissionDenied(_("Seule l'équipe du territoire peut le faire."))
