"""The case's status machine:

unconfirmed ──confirm e-mail──▶ submitted ──take charge──▶ supported ◀──▶ waiting for applicant
                                    │                          │                 │
                                    └──────────────┬───────────┴─────────────────┘
                                                   ▼
                               settled (from supported / waiting) · withdrawn · closed
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from installations.enums import FINAL_STATUSES, CaseStatus, EventKind
from installations.models import Case
from installations.services import notify
from installations.services.timeline import Actor, record

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.UNCONFIRMED: {CaseStatus.SUBMITTED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED},
    CaseStatus.SUBMITTED: {CaseStatus.SUPPORTED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED},
    CaseStatus.SUPPORTED: {CaseStatus.WAITING_APPLICANT, CaseStatus.SETTLED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED},
    CaseStatus.WAITING_APPLICANT: {CaseStatus.SUPPORTED, CaseStatus.SETTLED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED},
    CaseStatus.SETTLED: set(),
    CaseStatus.WITHDRAWN: set(),
    CaseStatus.CLOSED: set(),
}


def lock_case(case: Case) -> Case:
    """Re-reads the case under a row lock so that two concurrent transitions cannot both pass."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    # Keep the caller's object in step with the database.
    for field in locked._meta.concrete_fields:
        setattr(case, field.attname, getattr(locked, field.attname))
    return case


def transition(
    case: Case, *, actor: Actor, to: str, event_payload: dict[str, object] | None = None, notify_applicant: bool = True
) -> None:
    if case.status == to or to not in ALLOWED_TRANSITIONS[case.status]:
        raise ValidationError(
            _("Impossible de passer la demande de « %(current)s » à « %(target)s »."),
            code="invalid_transition",
            params={"current": case.get_status_display(), "target": CaseStatus(to).label},
        )
    previous = case.status
    now = timezone.now()
    case.status = to
    case.status_changed_at = now
    update = ["status", "status_changed_at"]
    if to in FINAL_STATUSES:
        case.closed_at = now
        case.awaiting_reply_since = None
        update += ["closed_at", "awaiting_reply_since"]
    case.save(update_fields=update)
    label = CaseStatus(to).label
    record(
        case,
        actor=actor,
        kind=EventKind.STATUS_CHANGED,
        summary=_("Statut : %(status)s") % {"status": label},
        public=True,
        need=None,  # named, so that mypy knows the payload's keys below cannot fill it
        **{"from": previous, "to": to},
        **(event_payload or {}),
    )
    if notify_applicant:
        notify.notify_applicant(
            case,
            actor=actor,
            kind="installations.case_status",
            subject=_("Votre demande %(reference)s : %(status)s") % {"reference": case.reference, "status": label},
            body=_("Le statut de votre demande d'accompagnement est désormais : %(status)s.") % {"status": label},
        )
