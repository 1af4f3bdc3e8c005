"""The applicant's rights over their data (access, erasure, withdrawal of consent) and the erasure of
household details (retention rules: installations/services/retention.py)."""

from __future__ import annotations

import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from installations.enums import FINAL_STATUSES, HOUSEHOLD_NEEDS, CaseStatus, EventKind
from installations.models import Case, CaseDocument, CaseEvent, Need, Note
from installations.permissions import is_applicant
from installations.services.access import require_team_or_applicant
from installations.services.applicant_mail import applicant_mail_erase
from installations.services.links import admin_case_url
from installations.services.notify import notify, territory_coordinators
from installations.services.timeline import record
from installations.services.transitions import lock_case, transition
from portal.models import Territory, User
from portal.privacy.enums import AccessKind
from portal.privacy.services import access_record


def _jsonable(value: object) -> object:
    """Dates and times as ISO 8601 text, through lists and dicts."""
    if isinstance(value, datetime.date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


@transaction.atomic
def case_export_personal_data(*, actor: User, case: Case) -> dict[str, object]:
    """Everything the case holds about the applicant (the right of access), as JSON-ready data."""
    data = _personal_data(actor, case, summary=_("Données personnelles exportées"))
    return _jsonable(data)  # type: ignore[return-value]


@transaction.atomic
def case_read_personal_data(*, actor: User, case: Case) -> dict[str, object]:
    """The same data as `case_export_personal_data`, with its dates as dates: the readable page
    (and the JSON it links to) shows exactly what the export gives."""
    return _personal_data(actor, case, summary=_("Données personnelles consultées"))


def _personal_data(actor: User, case: Case, *, summary: str) -> dict[str, object]:
    """Everything the case holds about the applicant. The team's private notes are internal working
    documents and are not part of it. A staff member's read is logged (portal.privacy)."""
    as_applicant = require_team_or_applicant(actor, case)
    if not as_applicant:
        access_record(
            user=actor,
            territory_ids=[case.territory_id],
            kind=AccessKind.PERSONAL_DATA,
            object_ref=case.reference,
            object_id=case.pk,
        )
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
            "date_envisagee": case.planned_date,
            "mode_exercice": case.get_practice_mode_display(),
            "structure": case.get_structure_type_display(),
            "description": case.project_description,
        },
        "foyer": {
            "consentement": case.household_consent,
            "consentement_le": case.household_consent_at,
            "conserve_jusqu_au": case.household_retention_until,
            "profession_conjoint": case.spouse_profession,
            "age_enfants": case.children_ages,
        },
        "dates": {
            "deposee_le": case.submitted_at,
            "confirmee_le": case.confirmed_at,
            "installation": case.settlement_date,
            "commune_installation": str(case.settlement_commune) if case.settlement_commune_id else None,
        },
        "besoins": [
            {"besoin": n.get_kind_display(), "precisions": n.details, "etat": n.get_state_display()}
            for n in case.needs.all()
        ],
        "messages": [
            {"le": m.created_at, "du_demandeur": m.from_applicant, "texte": m.body} for m in case.messages.all()
        ],
        "documents": [
            {"nom": d.original_name, "type": d.content_type, "taille": d.size, "le": d.created_at}
            for d in case.documents.all()
        ],
        "historique": [{"le": e.created_at, "evenement": e.summary} for e in case.events.filter(public=True)],
        "suivis": [
            {"annees": f.years, "echeance": f.due_date, "exerce_toujours": f.still_practising}
            for f in case.follow_ups.all()
        ],
    }
    record(case, actor=actor, kind=EventKind.DATA_EXPORTED, summary=summary, public=True)
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
    case_anonymise(case, actor=actor, summary=_("Données personnelles effacées"))
    return case


def case_anonymise(case: Case, *, actor: User | None, summary: str) -> None:
    """Erases everything personal of a closed case (the caller holds its lock): files, messages, notes,
    needs' details, identity, household; the timeline records it with `summary`."""
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
    record(case, actor=actor, kind=EventKind.DATA_ERASED, summary=summary)


# --- household details: kept with consent only, until the retention period ends or consent is withdrawn


def household_erase(cases: QuerySet[Case], *, actor: User | None, kind: str, summary: str, public: bool) -> list[int]:
    """Erases the household details of `cases` (spouse's job, children's ages, the household needs'
    free text, the consent itself) and records on each case's timeline what kinds of data went (never
    the data). Returns the ids of the cases that held some."""
    rows = list(cases.values_list("pk", "territory_id", "spouse_profession", "children_ages", "household_consent"))
    if not rows:
        return []
    ids = [row[0] for row in rows]
    needs = Need.objects.filter(case_id__in=ids, kind__in=HOUSEHOLD_NEEDS).exclude(details="")
    with_need_details = set(needs.values_list("case_id", flat=True))
    needs.update(details="")
    # The team's notes on those needs speak of the household too.
    erased_note = _("[note effacée]")
    notes = Note.objects.filter(case_id__in=ids, need__kind__in=HOUSEHOLD_NEEDS).exclude(body=erased_note)
    with_need_notes = set(notes.values_list("case_id", flat=True))
    notes.update(body=erased_note)
    Case.objects.filter(pk__in=ids).update(
        household_consent=False,
        household_consent_at=None,
        household_retention_until=None,
        spouse_profession="",
        children_ages=[],
    )
    events = []
    for pk, territory_id, spouse, ages, consent in rows:
        kinds = [
            name
            for name, present in (
                ("spouse_profession", bool(spouse)),
                ("children_ages", bool(ages)),
                ("household_needs_details", pk in with_need_details),
                ("household_needs_notes", pk in with_need_notes),
                ("household_consent", consent),
            )
            if present
        ]
        events.append(
            CaseEvent(
                territory_id=territory_id,
                case_id=pk,
                actor=actor,
                kind=kind,
                summary=summary[:255],
                payload={"kinds": kinds},
                public=public,
            )
        )
    CaseEvent.objects.bulk_create(events)
    return ids


@transaction.atomic
def household_purge_expired(*, territory: Territory, before: datetime.datetime) -> int:
    """Retention rule `installations.household`: household details given before `before` (or whose
    stated deadline has passed) are erased."""
    cases = Case.objects.for_territory(territory).filter(
        Q(household_consent_at__lt=before) | Q(household_retention_until__lt=timezone.localdate())
    )
    return len(
        household_erase(
            cases,
            actor=None,
            kind=EventKind.HOUSEHOLD_PURGED,
            summary=_("Informations du foyer effacées : fin de la durée de conservation"),
            public=True,
        )
    )


@transaction.atomic
def household_consent_withdraw(*, actor: User, case: Case) -> Case:
    """The applicant withdraws the consent given for their household details: they are erased at
    once, as the purge would; the timeline says so and the team is told."""
    if not is_applicant(actor, case):
        raise PermissionDenied(_("Seul le demandeur peut retirer son consentement."))
    lock_case(case)
    if not case.household_consent:
        raise ValidationError(_("Vous n'avez pas de consentement en cours pour les informations de votre foyer."))
    household_erase(
        Case.objects.filter(pk=case.pk),
        actor=actor,
        kind=EventKind.CONSENT_WITHDRAWN,
        summary=_("Consentement retiré par le demandeur : informations du foyer effacées"),
        public=True,
    )
    case.refresh_from_db()
    notify(
        territory=case.territory,
        recipients=[case.assigned_to] if case.assigned_to_id else territory_coordinators(case.territory),
        kind="installations.consent_withdrawn",
        subject=_("Demande %(reference)s : consentement retiré") % {"reference": case.reference},
        body=_(
            "Le demandeur a retiré son consentement pour les informations de son foyer : elles sont effacées "
            "(profession du conjoint, âge des enfants, précisions des besoins liés au foyer et notes de l'équipe "
            "sur ces besoins)."
        ),
        url=admin_case_url(case),
        actor=actor,
    )
    return case
