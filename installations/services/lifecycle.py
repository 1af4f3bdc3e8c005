"""The team follows a case: takes charge, assigns, waits for the applicant, records the settlement
(and later the follow-ups at 1, 3 and 5 years), records a withdrawal, closes."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from installations.enums import FOLLOW_UP_YEARS, CaseStatus, EventKind
from installations.models import Case, FollowUp
from installations.permissions import is_applicant, is_team_member
from installations.services.access import require_not_erased, require_team, require_team_or_applicant
from installations.services.exchanges import message_post
from installations.services.links import admin_case_url
from installations.services.notify import notify, notify_team
from installations.services.timeline import record
from installations.services.transitions import lock_case, transition
from portal.models import Commune, User


@transaction.atomic
def case_assign(*, actor: User, case: Case, coordinator: User) -> Case:
    require_team(actor, case)
    lock_case(case)
    require_not_erased(case)
    if not is_team_member(coordinator, case.territory):
        raise ValidationError({"assigned_to": [_("Choisissez un coordinateur ou une coordinatrice de ce territoire.")]})
    if case.assigned_to_id == coordinator.pk:
        return case
    case.assigned_to = coordinator
    case.save(update_fields=["assigned_to"])
    record(
        case,
        actor=actor,
        kind=EventKind.ASSIGNED,
        summary=_("Suivie par %(name)s") % {"name": coordinator.get_full_name() or coordinator.email},
        coordinator=coordinator.pk,
    )
    notify(
        territory=case.territory,
        recipients=[coordinator],
        kind="installations.case_assigned",
        subject=_("Demande %(reference)s : elle vous est confiée") % {"reference": case.reference},
        body=_("La demande %(reference)s vous a été confiée.") % {"reference": case.reference},
        url=admin_case_url(case),
        actor=actor,
    )
    return case


@transaction.atomic
def case_take_charge(*, actor: User, case: Case) -> Case:
    """The coordinator starts (or resumes) supporting the applicant; unassigned cases become theirs."""
    require_team(actor, case)
    lock_case(case)
    require_not_erased(case)
    transition(case, actor=actor, to=CaseStatus.SUPPORTED)
    if case.assigned_to_id is None and is_team_member(actor, case.territory):
        case_assign(actor=actor, case=case, coordinator=actor)
    return case


@transaction.atomic
def case_wait_for_applicant(*, actor: User, case: Case, message: str = "") -> Case:
    """The ball is in the applicant's court (a document, an answer); an optional message tells them."""
    require_team(actor, case)
    lock_case(case)
    require_not_erased(case)
    transition(case, actor=actor, to=CaseStatus.WAITING_APPLICANT, notify_applicant=not message)
    if message:
        message_post(actor=actor, case=case, body=message)
    return case


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def case_settle(*, actor: User, case: Case, settlement_date: datetime.date, commune: Commune) -> Case:
    """The professional settled: records when and where, and schedules the follow-ups at 1, 3 and
    5 years (the periodic task reminds the coordinator when each one falls due)."""
    require_team(actor, case)
    lock_case(case)
    require_not_erased(case)
    errors = {}
    if settlement_date is None:
        errors["settlement_date"] = [_("Indiquez la date d'installation.")]
    elif settlement_date > timezone.localdate() + datetime.timedelta(days=366):
        errors["settlement_date"] = [_("La date d'installation est trop lointaine.")]
    if commune is None or not case.territory.communes.filter(pk=commune.pk).exists():
        errors["settlement_commune"] = [_("Choisissez une commune du territoire.")]
    if errors:
        raise ValidationError(errors)
    transition(
        case,
        actor=actor,
        to=CaseStatus.SETTLED,
        event_payload={"commune": commune.insee_code, "date": settlement_date.isoformat()},
    )
    case.settled_at = case.status_changed_at
    case.settlement_date = settlement_date
    case.settlement_commune = commune
    case.save(update_fields=["settled_at", "settlement_date", "settlement_commune"])
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                territory_id=case.territory_id, case=case, years=years, due_date=_add_years(settlement_date, years)
            )
            for years in FOLLOW_UP_YEARS
        ]
    )
    return case


@transaction.atomic
def case_withdraw(*, actor: User, case: Case, reason: str = "") -> Case:
    """The applicant withdraws their request (or the team records it on their behalf)."""
    require_team_or_applicant(actor, case)
    lock_case(case)
    require_not_erased(case)
    transition(case, actor=actor, to=CaseStatus.WITHDRAWN, event_payload={"reason": reason[:500]})
    if is_applicant(actor, case):
        notify_team(
            case,
            actor=actor,
            kind="installations.case_withdrawn",
            subject=_("Demande %(reference)s retirée par le demandeur") % {"reference": case.reference},
            body=reason or _("Le demandeur a retiré sa demande."),
        )
    return case


@transaction.atomic
def case_close(*, actor: User, case: Case, reason: str = "") -> Case:
    """The team closes the case without a settlement (no answer, project abandoned, out of scope)."""
    require_team(actor, case)
    lock_case(case)
    transition(case, actor=actor, to=CaseStatus.CLOSED, event_payload={"reason": reason[:500]})
    return case


@transaction.atomic
def follow_up_record(*, actor: User, follow_up: FollowUp, still_practising: bool | None, comment: str = "") -> FollowUp:
    require_team(actor, follow_up.territory)
    follow_up.done_at = timezone.now()
    follow_up.done_by = actor
    follow_up.still_practising = still_practising
    follow_up.comment = comment.strip()
    follow_up.save(update_fields=["done_at", "done_by", "still_practising", "comment"])
    record(
        follow_up.case,
        actor=actor,
        kind=EventKind.FOLLOW_UP_DONE,
        summary=ngettext("Suivi à %(years)s an réalisé", "Suivi à %(years)s ans réalisé", follow_up.years)
        % {"years": follow_up.years},
        still_practising=still_practising,
    )
    return follow_up
