"""What an actor may do on a case: the checks every write starts with (the predicates themselves
are reads, in `installations.permissions`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from installations.models import Case
from installations.permissions import is_applicant, is_team
from installations.services.timeline import Actor
from portal.models import Territory


def require_team(actor: Actor, case_or_territory: Case | Territory) -> None:
    territory = case_or_territory if isinstance(case_or_territory, Territory) else case_or_territory.territory
    if not is_team(actor, territory):
        raise PermissionDenied(_("Seule l'équipe du territoire peut faire cela."))


def require_team_or_applicant(actor: Actor, case: Case) -> bool:
    """Returns True when the actor acts as the applicant."""
    if is_applicant(actor, case):
        return True
    if is_team(actor, case.territory):
        return False
    raise PermissionDenied(_("Vous n'avez pas accès à cette demande."))


def require_not_erased(case: Case) -> None:
    if case.erased_at:
        raise ValidationError(_("Les données de cette demande ont été effacées : elle ne peut plus être modifiée."))
