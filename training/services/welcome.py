"""Welcome kits handed to trainees (who got one, when)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from portal.enums import EDITOR_ROLES
from portal.tenancy.access import has_role
from training.models import Placement, WelcomeKit


@transaction.atomic
def welcome_kit_hand(*, actor: Any, placement: Placement, handed_on: datetime.date, contents: str = "") -> WelcomeKit:
    """Record that the placement's student got their welcome kit (once: a second call finds it)."""
    if not has_role(actor, placement.territory, EDITOR_ROLES):
        raise PermissionDenied(_("Seule l'équipe du territoire enregistre les kits d'accueil."))
    existing = WelcomeKit.objects.for_territory(placement.territory).filter(placement=placement).first()
    if existing is not None:
        return existing
    kit = WelcomeKit(
        territory=placement.territory,
        placement=placement,
        recipient=placement.student,
        recipient_name=placement.student_name,
        handed_on=handed_on,
        handed_by=actor,
        contents=contents,
    )
    kit.full_clean()
    kit.save()
    return kit
