"""The applicant's rights over their data (access, erasure) and the retention of household details."""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from installations.enums import FINAL_STATUSES, CaseStatus, EventKind
from installations.models import Case, CaseDocument
from installations.services.access import require_team_or_applicant
from installations.services.applicant_mail import applicant_mail_erase
from installations.services.timeline import record
from installations.services.transitions import lock_case, transition
from portal.models import Territory, User


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def case_export_personal_data(*, actor: User, case: Case) -> dict[str, object]:
    """Everything the case holds about the applicant (the right of access), as JSON-ready data.
    The team's private notes are internal working documents and are not part of it."""
    require_team_or_applicant(actor, case)
    data: dict[str, object] = {
        "reference": case.reference,
        "territoire": case.territory.name,
        "statut": case.get_status_display(),
        "demandeur": {
            "email": case.applicant_email,
            "prenom": case.applicant_first_name,
            "nom": case.applicant_last_name,
            "telephone": case.applicant_phone,
            "profession": case.get_profession_display(),
            "specialite": case.specialty,
            "situation": case.get_current_situation_display(),
            "rpps": case.rpps,
        },
        "projet": {
            "communes": [str(c) for c in case.target_communes.all()],
            "date_envisagee": _iso(case.planned_date),
            "mode_exercice": case.get_practice_mode_display(),
            "structure": case.get_structure_type_display(),
            "description": case.project_description,
        },
        "foyer": {
            "consentement": case.household_consent,
            "consentement_le": _iso(case.household_consent_at),
            "conserve_jusqu_au": _iso(case.household_retention_until),
            "profession_conjoint": case.spouse_profession,
            "age_enfants": case.children_ages,
        },
        "dates": {
            "deposee_le": _iso(case.submitted_at),
            "confirmee_le": _iso(case.confirmed_at),
            "installation": _iso(case.settlement_date),
            "commune_installation": str(case.settlement_commune) if case.settlement_commune_id else None,
        },
        "besoins": [
            {"besoin": n.get_kind_display(), "precisions": n.details, "etat": n.get_state_display()}
            for n in case.needs.all()
        ],
        "messages": [
            {"le": _iso(m.created_at), "du_demandeur": m.from_applicant, "texte": m.body} for m in case.messages.all()
        ],
        "documents": [
            {"nom": d.original_name, "type": d.content_type, "taille": d.size, "le": _iso(d.created_at)}
            for d in case.documents.all()
        ],
        "historique": [{"le": _iso(e.created_at), "evenement": e.summary} for e in case.events.filter(public=True)],
        "suivis": [
            {"annees": f.years, "echeance": _iso(f.due_date), "exerce_toujours": f.still_practising}
            for f in case.follow_ups.all()
        ],
    }
    record(case, actor=actor, kind=EventKind.DATA_EXPORTED, summary=_("Données personnelles exportées"), public=True)
    return data


@transaction.atomic
def case_erase_personal_data(*, actor: User, case: Case) -> Case:
    """Anonymises the case (right to erasure) and keeps what the statistics need: profession,
    communes, needs' kinds and states, dates and status. An open case is withdrawn first."""
    as_applicant = require_team_or_applicant(actor, case)
    lock_case(case)
    if case.erased_at:
        return case
    if case.status not in FINAL_STATUSES:
        to = CaseStatus.WITHDRAWN if as_applicant or case.status == CaseStatus.UNCONFIRMED else CaseStatus.CLOSED
        transition(case, actor=actor, to=to, notify_applicant=False)
    documents = list(case.documents.all())
    for document in documents:
        name = document.file.name
        storage = document.file.storage
        # Deleted from the storage only once the erasure is committed.
        transaction.on_commit(partial(storage.delete, name))
    CaseDocument.objects.filter(case=case).delete()
    case.messages.update(body=_("[message effacé]"))
    case.notes.update(body=_("[note effacée]"))
    case.needs.update(details="")
    case.events.filter(kind=EventKind.DOCUMENT).update(summary=_("Document ajouté"))
    case.events.update(payload={})
    applicant_mail_erase(case)
    case.applicant = None
    case.applicant_email = f"efface-{case.pk}@invalid"
    case.applicant_first_name = ""
    case.applicant_last_name = ""
    case.applicant_phone = ""
    case.rpps = ""
    case.project_description = ""
    case.idempotency_key = ""
    case.household_consent = False
    case.household_consent_at = None
    case.household_retention_until = None
    case.spouse_profession = ""
    case.children_ages = []
    case.erased_at = timezone.now()
    case.save()
    record(case, actor=actor, kind=EventKind.DATA_ERASED, summary=_("Données personnelles effacées"))
    return case


@transaction.atomic
def household_purge_expired(*, territory: Territory, today: datetime.date | None = None) -> int:
    """Household details are deleted when their stated retention period ends."""
    today = today or timezone.localdate()
    return (
        Case.objects.for_territory(territory)
        .filter(household_retention_until__lt=today)
        .update(spouse_profession="", children_ages=[], household_retention_until=None)
    )
