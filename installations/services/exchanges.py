"""What passes between the applicant and the team: messages, the team's private notes, documents."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from installations.enums import FINAL_STATUSES, CaseStatus, EventKind
from installations.models import Case, CaseDocument, Message, Need, Note
from installations.permissions import is_need_referent, is_team
from installations.services.access import require_not_erased, require_team_or_applicant
from installations.services.notify import notify_applicant, notify_team
from installations.services.timeline import record
from installations.services.transitions import lock_case, transition
from portal.models import User
from portal.uploads import size_of, sniff_document


@transaction.atomic
def message_post(*, actor: User, case: Case, body: str) -> Message:
    """A message between the applicant and the territory. The coordinator's first message is the
    first contact; an applicant's answer puts a case waiting for them back in the coordinator's hands."""
    as_applicant = require_team_or_applicant(actor, case)
    return _post(actor=actor, case=case, body=body, as_applicant=as_applicant)


@transaction.atomic
def message_post_from_link(*, case: Case, body: str) -> Message:
    """The answer of an applicant without an account, through the signed link of their e-mail (the
    view checked the link: holding it is what proves they are the applicant)."""
    if case.applicant_id is not None:
        raise PermissionDenied(_("Cette demande est rattachée à un compte : connectez-vous pour répondre."))
    return _post(actor=None, case=case, body=body, as_applicant=True)


def _post(*, actor: User | None, case: Case, body: str, as_applicant: bool) -> Message:
    lock_case(case)
    require_not_erased(case)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Le message est vide.")]})
    if case.status in FINAL_STATUSES or case.status == CaseStatus.UNCONFIRMED:
        raise ValidationError({"body": [_("Cette demande est terminée : elle ne reçoit plus de messages.")]})
    message = Message.objects.create(
        territory_id=case.territory_id, case=case, author=actor, from_applicant=as_applicant, body=body
    )
    now = message.created_at
    case.last_contact_at = now
    if as_applicant:
        if case.awaiting_reply_since is None:
            case.awaiting_reply_since = now
    else:
        if case.first_contact_at is None:
            case.first_contact_at = now
        case.awaiting_reply_since = None
    case.save(update_fields=["last_contact_at", "first_contact_at", "awaiting_reply_since"])
    record(
        case,
        actor=actor,
        kind=EventKind.MESSAGE,
        summary=_("Message du demandeur") if as_applicant else _("Message de l'équipe du territoire"),
        public=True,
        message=message.pk,
    )
    if as_applicant:
        if case.status == CaseStatus.WAITING_APPLICANT:
            transition(case, actor=actor, to=CaseStatus.SUPPORTED, notify_applicant=False)
        notify_team(
            case,
            actor=actor,
            kind="installations.message_from_applicant",
            subject=_("Nouveau message sur la demande %(reference)s") % {"reference": case.reference},
            body=body[:1000],
        )
    else:
        notify_applicant(
            case,
            actor=actor,
            kind="installations.message_to_applicant",
            subject=_("Nouveau message sur votre demande %(reference)s") % {"reference": case.reference},
            body=body[:1000],
        )
    return message


@transaction.atomic
def note_add(*, actor: User, case: Case, body: str, need: Need | None = None) -> Note:
    """A private note: the team's, or a partner referent's on the need referred to them. Never shown
    to the applicant."""
    if need is not None and need.case_id != case.pk:
        raise ValidationError({"need": [_("Ce besoin n'appartient pas à cette demande.")]})
    if not is_team(actor, case.territory) and not (need is not None and is_need_referent(actor, need)):
        raise PermissionDenied(_("Vous n'avez pas accès à cette demande."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("La note est vide.")]})
    note = Note.objects.create(territory_id=case.territory_id, case=case, need=need, author=actor, body=body)
    record(case, actor=actor, kind=EventKind.NOTE, need=need, summary=_("Note interne ajoutée"), note=note.pk)
    return note


@transaction.atomic
def document_add(*, actor: User, case: Case, uploaded_file: UploadedFile) -> CaseDocument:
    as_applicant = require_team_or_applicant(actor, case)
    require_not_erased(case)
    if as_applicant and case.status in FINAL_STATUSES:
        raise ValidationError({"file": [_("Cette demande est terminée : elle ne reçoit plus de documents.")]})
    try:
        content_type = sniff_document(uploaded_file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    original_name = (uploaded_file.name or "document").rsplit("/", 1)[-1][:200]
    document = CaseDocument(
        territory_id=case.territory_id,
        case=case,
        original_name=original_name,
        content_type=content_type,
        size=size_of(uploaded_file),
        uploaded_by=actor,
        from_applicant=as_applicant,
    )
    document.file.save(original_name, uploaded_file, save=False)
    document.save()
    record(
        case,
        actor=actor,
        kind=EventKind.DOCUMENT,
        summary=_("Document ajouté : %(name)s") % {"name": original_name},
        public=True,
        document=document.pk,
    )
    if as_applicant:
        notify_team(
            case,
            actor=actor,
            kind="installations.document_from_applicant",
            subject=_("Nouveau document sur la demande %(reference)s") % {"reference": case.reference},
            body=original_name,
        )
    return document
