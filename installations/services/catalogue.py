"""Links between a case and the territory's catalogue: aids and opportunities."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from installations.enums import EventKind
from installations.models import Aid, Case, Opportunity
from installations.services.access import require_team
from installations.services.timeline import record
from portal.models import User


@transaction.atomic
def case_link_aid(*, actor: User, case: Case, aid: Aid) -> Case:
    require_team(actor, case)
    if aid.territory_id != case.territory_id:
        raise ValidationError({"aids": [_("Cette aide appartient à un autre territoire.")]})
    if not case.aids.filter(pk=aid.pk).exists():
        case.aids.add(aid)
        record(
            case,
            actor=actor,
            kind=EventKind.AID_LINKED,
            summary=_("Aide associée : %(name)s") % {"name": aid.name},
            public=True,
            aid=aid.pk,
        )
    return case


@transaction.atomic
def case_link_opportunity(*, actor: User, case: Case, opportunity: Opportunity) -> Case:
    require_team(actor, case)
    if opportunity.territory_id != case.territory_id:
        raise ValidationError({"opportunities": [_("Cette opportunité appartient à un autre territoire.")]})
    if not opportunity.cases.filter(pk=case.pk).exists():
        opportunity.cases.add(case)
        record(
            case,
            actor=actor,
            kind=EventKind.OPPORTUNITY_LINKED,
            summary=_("Opportunité associée : %(title)s") % {"title": opportunity.title},
            public=True,
            opportunity=opportunity.pk,
        )
    return case
