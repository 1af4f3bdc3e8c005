"""Writes of the scholarships: a student's application with its supporting documents, and the
team's decision (submitted → under review → granted or refused with a reason), the applicant
being told at each step; a granted study grant opens the commitment that is followed after
graduation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import User
from portal.notifications.services import notify
from portal.selectors import territory_coordinators
from portal.uploads import size_of, sniff_document
from training.enums_programmes import PENDING_STATUSES, ApplicationStatus, DocumentKind
from training.models import (
    ApplicationDocument,
    Commitment,
    ScholarshipApplication,
    ScholarshipProgramme,
)
from training.reporting_programmes import euros
from training.services.access import require_team

# What the applicant types (the documents come apart, by kind).
APPLICATION_FIELDS = ("studies", "study_year", "institution", "graduation_year", "motivation")


def document_field(kind: str) -> str:
    """The name of a document's field in forms and in the errors the services raise."""
    return f"document_{kind}"


def missing_document_message(label: str) -> str:
    return _("Ce justificatif est obligatoire : joignez « %(label)s ».") % {"label": label}


def _space_url(application: ScholarshipApplication) -> str:
    return reverse("training_space:application", args=[application.pk])


def _tell_applicant(
    application: ScholarshipApplication, *, actor: User | None, kind: str, subject: str, body: str
) -> None:
    notify(
        territory=application.territory,
        recipients=[application.applicant],
        kind=kind,
        subject=subject,
        body=body,
        url=_space_url(application),
        actor=actor,
    )


def _checked_documents(
    programme: ScholarshipProgramme, documents: dict[str, UploadedFile | None]
) -> dict[str, tuple[UploadedFile, str]]:
    """Every document checked before anything is written: a missing one or a refused file stops
    the application whole (nothing half-saved). Errors are keyed by the form's field names."""
    errors: dict[str, list[str]] = {}
    checked: dict[str, tuple[UploadedFile, str]] = {}
    for kind, upload in documents.items():
        if kind not in DocumentKind.values:
            raise ValueError(f"unknown document kind {kind!r}")
        if upload is None:
            continue
        try:
            checked[kind] = (upload, sniff_document(upload))
        except ValidationError as error:
            errors[document_field(kind)] = list(error.messages)
    for kind in programme.required_documents:
        if kind not in checked and document_field(kind) not in errors:
            errors[document_field(kind)] = [missing_document_message(str(DocumentKind(kind).label))]
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def application_submit(
    *,
    actor: User,
    programme: ScholarshipProgramme,
    fields: dict[str, Any],
    documents: dict[str, UploadedFile | None],
) -> ScholarshipApplication:
    """A signed-in student applies to `programme` with the documents it requires (by kind)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Connectez-vous pour déposer une candidature."))
    if not programme.is_open:
        raise ValidationError(_("Ce programme ne reçoit pas de candidatures pour le moment."))
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValueError(f"not a field of an application: {sorted(unknown)}")
    already = (
        ScholarshipApplication.objects.for_territory(programme.territory)
        .filter(programme=programme, applicant=actor, status__in=PENDING_STATUSES)
        .exists()
    )
    if already:
        raise ValidationError(_("Vous avez déjà une candidature en cours d'examen pour ce programme."))
    application = ScholarshipApplication(
        territory_id=programme.territory_id, programme=programme, applicant=actor, **fields
    )
    application.full_clean(exclude=["programme", "applicant", "territory"])
    checked = _checked_documents(programme, documents)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:  # the same person submitting twice at the same instant
        raise ValidationError(_("Vous avez déjà une candidature en cours d'examen pour ce programme.")) from error
    stored: list[ApplicationDocument] = []
    try:
        for kind, (upload, content_type) in checked.items():
            document = ApplicationDocument(
                territory_id=programme.territory_id,
                application=application,
                kind=kind,
                original_name=(upload.name or "document").rsplit("/", 1)[-1][:200],
                content_type=content_type,
                size=size_of(upload),
            )
            document.file.save(document.original_name, upload, save=False)
            stored.append(document)
            document.save()
        notify(
            territory=programme.territory,
            recipients=territory_coordinators(programme.territory),
            kind="training.application_submitted",
            subject=_("Nouvelle candidature : %(programme)s") % {"programme": programme.name},
            body=ngettext(
                "%(name)s a déposé une candidature avec %(count)s justificatif.",
                "%(name)s a déposé une candidature avec %(count)s justificatifs.",
                len(checked),
            )
            % {"name": actor.get_full_name() or actor.email, "count": len(checked)},
            url=reverse("admin:training_scholarshipapplication_change", args=[application.pk]),
            actor=actor,
        )
        _tell_applicant(
            application,
            actor=None,  # the receipt goes to the person who acts (notify skips the actor)
            kind="training.application_received",
            subject=_("Votre candidature à « %(programme)s » est bien reçue") % {"programme": programme.name},
            body=_("L'équipe du territoire l'examine et vous dira sa décision par e-mail."),
        )
    except BaseException:
        # The rows roll back with the transaction; the files written so far must go with them.
        for document in stored:
            document.file.delete(save=False)
        raise
    return application


def _lock(application: ScholarshipApplication) -> ScholarshipApplication:
    locked: ScholarshipApplication = (
        ScholarshipApplication.objects.select_for_update(of=("self",))
        .select_related("programme", "territory", "applicant")
        .get(pk=application.pk)
    )
    return locked


@transaction.atomic
def application_review_start(*, actor: User, application: ScholarshipApplication) -> ScholarshipApplication:
    require_team(actor, application.territory)
    application = _lock(application)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("Seule une candidature déposée peut passer en examen."))
    application.status = ApplicationStatus.UNDER_REVIEW
    application.review_started_at = timezone.now()
    application.save(update_fields=["status", "review_started_at"])
    _tell_applicant(
        application,
        actor=actor,
        kind="training.application_under_review",
        subject=_("Votre candidature à « %(programme)s » est en cours d'examen")
        % {"programme": application.programme.name},
        body=_("L'équipe du territoire examine votre dossier."),
    )
    return application


@transaction.atomic
def application_grant(
    *,
    actor: User,
    application: ScholarshipApplication,
    monthly_amount: Decimal | None = None,
    months: int | None = None,
    starts_on: dt.date | None = None,
) -> ScholarshipApplication:
    """Grants the scholarship (the programme's amount unless told otherwise); a programme that asks
    for years of practice opens the commitment to follow."""
    require_team(actor, application.territory)
    application = _lock(application)
    if not application.is_pending:
        raise ValidationError(_("Cette candidature a déjà reçu sa décision."))
    programme = application.programme
    monthly_amount = programme.monthly_amount if monthly_amount is None else monthly_amount
    months = programme.max_months if months is None else months
    errors: dict[str, list[str]] = {}
    if monthly_amount <= 0:
        errors["monthly_amount"] = [_("Le montant mensuel doit être positif.")]
    if not months:
        errors["months"] = [_("Indiquez pour combien de mois la bourse est accordée.")]
    elif programme.max_months and months > programme.max_months:
        errors["months"] = [
            _("Le programme accorde %(max)s mois au plus.") % {"max": programme.max_months},
        ]
    if errors:
        raise ValidationError(errors)
    application.status = ApplicationStatus.GRANTED
    application.granted_monthly_amount = monthly_amount
    application.granted_months = months
    application.starts_on = starts_on
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save()
    if programme.years_committed:
        Commitment.objects.get_or_create(
            application=application,
            defaults={"territory_id": application.territory_id, "years_committed": programme.years_committed},
        )
    commitment = (
        _(" En contrepartie, vous vous engagez à exercer %(years)s ans sur le territoire.")
        % {"years": programme.years_committed}
        if programme.years_committed
        else ""
    )
    _tell_applicant(
        application,
        actor=actor,
        kind="training.application_granted",
        subject=_("Votre bourse « %(programme)s » est accordée") % {"programme": programme.name},
        body=_("Bourse accordée : %(amount)s par mois pendant %(months)s mois.")
        % {"amount": euros(monthly_amount), "months": months}
        + commitment,
    )
    return application


@transaction.atomic
def application_refuse(*, actor: User, application: ScholarshipApplication, reason: str) -> ScholarshipApplication:
    require_team(actor, application.territory)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Indiquez le motif du refus : il est envoyé à la personne.")]})
    application = _lock(application)
    if not application.is_pending:
        raise ValidationError(_("Cette candidature a déjà reçu sa décision."))
    application.status = ApplicationStatus.REFUSED
    application.refusal_reason = reason
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by"])
    _tell_applicant(
        application,
        actor=actor,
        kind="training.application_refused",
        subject=_("Votre candidature à « %(programme)s » n'est pas retenue")
        % {"programme": application.programme.name},
        body=_("Motif : %(reason)s") % {"reason": reason},
    )
    return application
