"""The needs of a case (housing, premises, a job for the spouse…): added and followed by the team,
referred to a partner referent, who may then change their state."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from installations.enums import EventKind, NeedKind, NeedState
from installations.models import Case, Need
from installations.permissions import is_need_referent, is_team, is_team_member
from installations.selectors import partner_referents
from installations.services.access import require_not_erased, require_team
from installations.services.exchanges import note_add
from installations.services.notify import notify
from installations.services.timeline import record
from portal.models import Organisation, Territory, User

_UNSET: Any = object()


def _require_team_member(user: User | None, territory: Territory, field: str) -> None:
    if user is not None and not is_team_member(user, territory):
        raise ValidationError({field: [_("Choisissez un membre de l'équipe du territoire.")]})


@transaction.atomic
def need_add(*, actor: User, case: Case, kind: str, details: str = "") -> Need:
    require_team(actor, case)
    require_not_erased(case)
    if kind not in NeedKind.values:
        raise ValidationError({"kind": [_("Choisissez un besoin dans la liste.")]})
    if case.needs.filter(kind=kind).exists():
        raise ValidationError({"kind": [_("Ce besoin figure déjà dans la demande.")]})
    need = Need.objects.create(territory_id=case.territory_id, case=case, kind=kind, details=details.strip())
    record(
        case,
        actor=actor,
        kind=EventKind.NEED_UPDATED,
        need=need,
        summary=_("Besoin ajouté : %(kind)s") % {"kind": need.get_kind_display()},
        added=kind,
    )
    return need


@transaction.atomic
def need_update(
    *,
    actor: User,
    need: Need,
    state: str = _UNSET,
    owner: User | None = _UNSET,
    due_date: datetime.date | None = _UNSET,
    details: str = _UNSET,
) -> Need:
    """The team changes a need's state, owner, due date or details; the partner referent it was
    referred to may change its state and details only."""
    team = is_team(actor, need.territory)
    if not team and not is_need_referent(actor, need):
        raise PermissionDenied(_("Ce besoin ne vous a pas été confié."))
    require_not_erased(need.case)
    if not team and (owner is not _UNSET or due_date is not _UNSET):
        raise PermissionDenied(_("Seule l'équipe du territoire peut changer le responsable ou l'échéance."))
    changes: dict[str, Any] = {}
    if state is not _UNSET and state != need.state:
        if state not in NeedState.values:
            raise ValidationError({"state": [_("Choisissez un état dans la liste.")]})
        changes["state"] = [need.state, state]
        need.state = state
    if owner is not _UNSET and (owner.pk if owner else None) != need.owner_id:
        _require_team_member(owner, need.territory, "owner")
        changes["owner"] = [need.owner_id, owner.pk if owner else None]
        need.owner = owner
    if due_date is not _UNSET and due_date != need.due_date:
        changes["due_date"] = [
            need.due_date.isoformat() if need.due_date else None,
            due_date.isoformat() if due_date else None,
        ]
        need.due_date = due_date
    if details is not _UNSET and details.strip() != need.details:
        changes["details"] = True
        need.details = details.strip()
    if not changes:
        return need
    need.save()
    summary = _("Besoin « %(kind)s » mis à jour") % {"kind": need.get_kind_display()}
    if "state" in changes:
        summary = _("Besoin « %(kind)s » : %(state)s") % {
            "kind": need.get_kind_display(),
            "state": need.get_state_display(),
        }
    record(need.case, actor=actor, kind=EventKind.NEED_UPDATED, need=need, summary=summary, changes=changes)
    return need


@transaction.atomic
def need_refer(*, actor: User, need: Need, organisation: Organisation, referent: User, message: str = "") -> Need:
    """Refers a need to an organisation's partner referent (CPAM, ARS, Ordre, a commune, an employer,
    a hospital's HR), who then sees that need, and only that, in the admin."""
    require_team(actor, need.case)
    require_not_erased(need.case)
    if organisation.territory_id != need.territory_id:
        raise ValidationError({"referred_to": [_("Choisissez une organisation de ce territoire.")]})
    if not partner_referents(need.territory, organisation).filter(pk=referent.pk).exists():
        raise ValidationError(
            {"referent": [_("Cette personne n'est pas référente partenaire de cette organisation sur le territoire.")]}
        )
    need.referred_to = organisation
    need.referent = referent
    need.referred_at = timezone.now()
    need.state = NeedState.REFERRED
    need.save(update_fields=["referred_to", "referent", "referred_at", "state", "updated_at"])
    record(
        need.case,
        actor=actor,
        kind=EventKind.NEED_REFERRED,
        need=need,
        summary=_("Besoin « %(kind)s » orienté vers %(organisation)s")
        % {"kind": need.get_kind_display(), "organisation": organisation.name},
        organisation=organisation.pk,
        referent=referent.pk,
    )
    if message:
        note_add(actor=actor, case=need.case, body=message, need=need)
    notify(
        territory=need.territory,
        recipients=[referent],
        kind="installations.need_referred",
        subject=_("Un besoin vous est orienté (demande %(reference)s)") % {"reference": need.case.reference},
        body=_("Besoin : %(kind)s.\n%(message)s") % {"kind": need.get_kind_display(), "message": message},
        url=reverse("admin:installations_need_change", args=[need.pk]),
        actor=actor,
    )
    return need
