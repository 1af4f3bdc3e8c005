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

from installations.enums import EventKind, NeedKind, NeedState, ReferralAnswer
from installations.models import Case, Need
from installations.permissions import is_need_referent, is_team, is_team_member
from installations.selectors import partner_referents
from installations.services.access import require_not_erased, require_team
from installations.services.exchanges import note_add
from installations.services.notify import notify, notify_team
from installations.services.timeline import record
from installations.services.versions import require_fresh_need
from portal.models import Organisation, Territory, User

_UNSET: Any = object()


def _require_team_member(user: User | None, territory: Territory, field: str) -> None:
    if user is not None and not is_team_member(user, territory):
        raise ValidationError({field: [_("Choisissez un membre de l'équipe du territoire.")]})


def lock_need(need: Need) -> Need:
    """Re-reads the need under a row lock (the caller's object kept in step): two saves of the same
    need are compared and written one after the other."""
    locked = Need.objects.select_for_update(of=("self",)).get(pk=need.pk)
    for field in locked._meta.concrete_fields:
        setattr(need, field.attname, getattr(locked, field.attname))
    return need


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
    version: str | None = _UNSET,
) -> Need:
    """The team changes a need's state, owner, due date or details; the partner referent it was
    referred to may change its state and details only. With `version` (the need card's snapshot),
    a form read before another change of the need is refused (installations.services.versions)."""
    team = is_team(actor, need.territory)
    if not team and not is_need_referent(actor, need):
        raise PermissionDenied(_("Ce besoin ne vous a pas été confié."))
    require_not_erased(need.case)
    lock_need(need)
    if version is not _UNSET:
        require_fresh_need(need, version)
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
def need_refer(
    *,
    actor: User,
    need: Need,
    organisation: Organisation,
    referent: User,
    message: str = "",
    contact_consent: bool = False,
) -> Need:
    """Refers a need to an organisation's partner referent (CPAM, ARS, Ordre, a commune, an employer,
    a hospital's HR), who then sees that need, and only that, on their referrals page. The
    applicant's e-mail and phone are shown to them only with `contact_consent` (asked of the
    applicant by the coordinator at referral time). A new referral waits for a new answer."""
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
    need.contact_consent = contact_consent
    need.referral_answer, need.referral_reason = ReferralAnswer.PENDING, ""
    need.referral_answered_at = need.referral_answered_by = None
    need.save(
        update_fields=[
            "referred_to",
            "referent",
            "referred_at",
            "state",
            "contact_consent",
            "referral_answer",
            "referral_reason",
            "referral_answered_at",
            "referral_answered_by",
            "updated_at",
        ]
    )
    record(
        need.case,
        actor=actor,
        kind=EventKind.NEED_REFERRED,
        need=need,
        summary=_("Besoin « %(kind)s » orienté vers %(organisation)s")
        % {"kind": need.get_kind_display(), "organisation": organisation.name},
        organisation=organisation.pk,
        referent=referent.pk,
        contact_consent=contact_consent,
    )
    if message:
        note_add(actor=actor, case=need.case, body=message, need=need)
    notify(
        territory=need.territory,
        recipients=[referent],
        kind="installations.need_referred",
        subject=_("Un besoin vous est orienté (demande %(reference)s)") % {"reference": need.case.reference},
        body=_("Besoin : %(kind)s.\n%(message)s") % {"kind": need.get_kind_display(), "message": message},
        url=referral_url(need),
        actor=actor,
    )
    return need


def referral_url(need: Need) -> str:
    """Where the partner referent reads a need referred to them."""
    return reverse("admin:installations_referral", args=[need.pk])


def _require_referent_or_team(actor: User, need: Need) -> bool:
    """Returns True when the actor is the team (recording on the partner's behalf)."""
    if is_team(actor, need.territory):
        return True
    if need.state == NeedState.REFERRED and is_need_referent(actor, need):
        return False
    raise PermissionDenied(_("Ce besoin ne vous a pas été confié."))


@transaction.atomic
def referral_answer(*, actor: User, need: Need, accepted: bool, reason: str = "") -> Need:
    """The partner referent accepts or declines a need referred to them (a refusal says why); the
    team may record an answer given by phone. A refusal puts the need back in the team's hands."""
    team = _require_referent_or_team(actor, need)
    require_not_erased(need.case)
    lock_need(need)
    if need.referent_id is None:
        raise ValidationError(_("Ce besoin n'est orienté vers aucun partenaire."))
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise ValidationError({"reason": [_("Indiquez pourquoi vous ne pouvez pas prendre ce besoin en charge.")]})
    need.referral_answer = ReferralAnswer.ACCEPTED if accepted else ReferralAnswer.DECLINED
    need.referral_reason = reason
    need.referral_answered_at = timezone.now()
    need.referral_answered_by = actor
    update = ["referral_answer", "referral_reason", "referral_answered_at", "referral_answered_by", "updated_at"]
    if not accepted:
        need.state = NeedState.OPEN
        update.append("state")
    need.save(update_fields=update)
    organisation = need.referred_to.name if need.referred_to else "—"
    summary = (
        _("%(organisation)s accepte le besoin « %(kind)s »")
        if accepted
        else _("%(organisation)s refuse le besoin « %(kind)s »")
    ) % {"organisation": organisation, "kind": need.get_kind_display()}
    record(
        need.case,
        actor=actor,
        kind=EventKind.REFERRAL_ANSWERED,
        need=need,
        summary=summary,
        answer=need.referral_answer,
        reason=reason[:500],
        recorded_by_team=team,
    )
    if not team:
        notify_team(
            need.case,
            actor=actor,
            kind="installations.referral_answered",
            subject=_("Demande %(reference)s : %(summary)s") % {"reference": need.case.reference, "summary": summary},
            body=reason or summary,
        )
    return need


@transaction.atomic
def referral_message(*, actor: User, need: Need, body: str) -> None:
    """A message of the thread between the coordinator and the partner referent on a referred need
    (a note on the need: never shown to the applicant); the other side is told."""
    team = _require_referent_or_team(actor, need)
    require_not_erased(need.case)
    if need.referent_id is None:
        raise ValidationError(_("Ce besoin n'est orienté vers aucun partenaire."))
    note_add(actor=actor, case=need.case, body=body, need=need)
    subject = _("Demande %(reference)s, besoin « %(kind)s » : nouveau message") % {
        "reference": need.case.reference,
        "kind": need.get_kind_display(),
    }
    if team:
        notify(
            territory=need.territory,
            recipients=[need.referent],
            kind="installations.referral_message",
            subject=subject,
            body=body.strip()[:1000],
            url=referral_url(need),
            actor=actor,
        )
    else:
        notify_team(
            need.case, actor=actor, kind="installations.referral_message", subject=subject, body=body.strip()[:1000]
        )
