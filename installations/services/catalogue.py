"""Links between a case and the territory's catalogue: aids and opportunities."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from installations.enums import EventKind
from installations.models import Aid, Case, Opportunity
from installations.services.access import require_not_erased, require_team
from installations.services.timeline import record
from installations.services.transitions import lock_case
from installations.services.versions import links_values, require_fresh_links
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


@transaction.atomic
def case_unlink_aid(*, actor: User, case: Case, aid: Aid) -> Case:
    """Removes an aid from the case; the timeline says so, as it says when one is added."""
    require_team(actor, case)
    if case.aids.filter(pk=aid.pk).exists():
        case.aids.remove(aid)
        record(
            case,
            actor=actor,
            kind=EventKind.AID_UNLINKED,
            summary=_("Aide retirée : %(name)s") % {"name": aid.name},
            public=True,
            aid=aid.pk,
        )
    return case


@transaction.atomic
def case_unlink_opportunity(*, actor: User, case: Case, opportunity: Opportunity) -> Case:
    require_team(actor, case)
    if opportunity.cases.filter(pk=case.pk).exists():
        opportunity.cases.remove(case)
        record(
            case,
            actor=actor,
            kind=EventKind.OPPORTUNITY_UNLINKED,
            summary=_("Opportunité retirée : %(title)s") % {"title": opportunity.title},
            public=True,
            opportunity=opportunity.pk,
        )
    return case


@transaction.atomic
def case_set_links(
    *, actor: User, case: Case, aids: Iterable[Aid], opportunities: Iterable[Opportunity], version: str | None
) -> Case:
    """The aids and opportunities card: links what was ticked, unlinks what was unticked, each through
    the services above (so each shows in the timeline), and refuses a form read before another
    change of these links (`version`, see installations.services.versions)."""
    require_team(actor, case)
    lock_case(case)
    require_not_erased(case)
    current_aids = {aid.pk: aid for aid in case.aids.all()}
    current_opportunities = {opportunity.pk: opportunity for opportunity in case.opportunities.all()}
    require_fresh_links(
        case,
        version,
        links_values(list(current_aids), list(current_opportunities)),
        {
            "aids": ", ".join(sorted(aid.name for aid in current_aids.values())) or "—",
            "opportunities": ", ".join(sorted(o.title for o in current_opportunities.values())) or "—",
        },
    )
    wanted_aids = {aid.pk: aid for aid in aids}
    wanted_opportunities = {opportunity.pk: opportunity for opportunity in opportunities}
    for pk in sorted(wanted_aids.keys() - current_aids.keys()):
        case_link_aid(actor=actor, case=case, aid=wanted_aids[pk])
    for pk in sorted(current_aids.keys() - wanted_aids.keys()):
        case_unlink_aid(actor=actor, case=case, aid=current_aids[pk])
    for pk in sorted(wanted_opportunities.keys() - current_opportunities.keys()):
        case_link_opportunity(actor=actor, case=case, opportunity=wanted_opportunities[pk])
    for pk in sorted(current_opportunities.keys() - wanted_opportunities.keys()):
        case_unlink_opportunity(actor=actor, case=case, opportunity=current_opportunities[pk])
    return case
