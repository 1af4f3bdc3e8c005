"""Scholarships and tutoring: a territory's programmes (Corrèze's €800 a month against five years of
practice, Deux-Sèvres' internship grants), students' applications with their supporting documents,
the decision, the commitment followed after graduation, and tutor–student pairs."""

from __future__ import annotations

import secrets
from decimal import Decimal
from pathlib import PurePosixPath
from typing import ClassVar, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.enums import Profession
from portal.tenancy.models import TerritoryQuerySet, TerritoryScopedModel
from training.enums_programmes import (
    ENDED_COMMITMENT_STATUSES,
    PENDING_STATUSES,
    ApplicationStatus,
    CommitmentStatus,
    DocumentKind,
    ProgrammeKind,
)


class ProgrammeQuerySet(TerritoryQuerySet["ScholarshipProgramme"]):
    def open(self) -> Self:
        return self.filter(is_open=True)


ProgrammeManager = models.Manager.from_queryset(ProgrammeQuerySet)


class ScholarshipProgramme(TerritoryScopedModel):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=ProgrammeKind.choices)
    conditions = models.TextField(
        _("conditions"), help_text=_("Qui peut candidater : niveau d'études, domicile, ressources…")
    )
    monthly_amount = models.DecimalField(
        _("montant mensuel (€)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    max_months = models.PositiveSmallIntegerField(
        _("durée maximale (mois)"), null=True, blank=True, help_text=_("Vide : le temps des études.")
    )
    years_committed = models.PositiveSmallIntegerField(
        _("années d'exercice demandées"),
        default=0,
        help_text=_("Années d'exercice sur le territoire auxquelles la personne s'engage (0 : aucune)."),
    )
    required_documents = models.JSONField(
        _("justificatifs demandés"), default=list, blank=True, help_text=_("Chaque candidature doit les joindre.")
    )
    funder = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("financeur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_open = models.BooleanField(_("candidatures ouvertes"), default=True)

    objects: ClassVar[ProgrammeManager] = ProgrammeManager()

    class Meta:
        verbose_name = _("programme de bourses")
        verbose_name_plural = _("programmes de bourses")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="training_programme_unique_name"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        unknown = set(self.required_documents or []) - set(DocumentKind.values)
        if unknown:
            raise ValidationError({"required_documents": _("Justificatif inconnu : %s.") % ", ".join(sorted(unknown))})

    @property
    def required_document_labels(self) -> list[str]:
        return [str(DocumentKind(kind).label) for kind in self.required_documents]


class ApplicationQuerySet(TerritoryQuerySet["ScholarshipApplication"]):
    def pending(self) -> Self:
        return self.filter(status__in=PENDING_STATUSES)

    def granted(self) -> Self:
        return self.filter(status=ApplicationStatus.GRANTED)


ApplicationManager = models.Manager.from_queryset(ApplicationQuerySet)


class ScholarshipApplication(TerritoryScopedModel):
    programme = models.ForeignKey(
        ScholarshipProgramme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="applications"
    )
    # Empty once the application is anonymised at the end of its retention period (training.services.retention).
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidat ou candidate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scholarship_applications",
    )
    status = models.CharField(
        _("état"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    studies = models.CharField(_("études suivies"), max_length=30, choices=Profession.choices)
    study_year = models.CharField(_("année d'études"), max_length=60, help_text=_("Par exemple : 4e année (DFASM1)."))
    institution = models.CharField(_("université ou institut"), max_length=200)
    graduation_year = models.PositiveSmallIntegerField(_("année de fin d'études prévue"))
    motivation = models.TextField(_("motivation"), max_length=5000)
    submitted_at = models.DateTimeField(_("déposée le"), auto_now_add=True)
    review_started_at = models.DateTimeField(_("examen commencé le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    granted_monthly_amount = models.DecimalField(
        _("montant mensuel accordé (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    granted_months = models.PositiveSmallIntegerField(_("nombre de mois accordés"), null=True, blank=True)
    starts_on = models.DateField(_("premier versement"), null=True, blank=True)

    objects: ClassVar[ApplicationManager] = ApplicationManager()

    class Meta:
        verbose_name = _("candidature à une bourse")
        verbose_name_plural = _("candidatures aux bourses")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["territory", "status"], name="training_application_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "programme", "applicant"],
                condition=Q(status__in=PENDING_STATUSES),
                name="training_application_one_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.REFUSED) | ~Q(refusal_reason=""),
                name="training_application_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.GRANTED)
                | (Q(granted_monthly_amount__isnull=False) & Q(granted_months__isnull=False)),
                name="training_application_grant_has_amount",
            ),
        ]

    def __str__(self):
        return f"{self.programme} — {self.applicant}"

    @property
    def granted_total(self) -> Decimal | None:
        if self.granted_monthly_amount is None or self.granted_months is None:
            return None
        return self.granted_monthly_amount * self.granted_months

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES


def application_document_path(instance, filename):
    # Non-guessable: nothing of the person or of the original name appears in the path.
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"training/scholarships/{secrets.token_hex(16)}{suffix}"


class ApplicationDocument(TerritoryScopedModel):
    """A supporting document of an application (PDF, PNG or JPEG, 10 MB at most, checked by its content)."""

    application = models.ForeignKey(
        ScholarshipApplication, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("justificatif"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("fichier"), upload_to=application_document_path, max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("taille (octets)"))
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("justificatif")
        verbose_name_plural = _("justificatifs")
        ordering = ["application", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "application", "kind"], name="training_document_one_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.original_name}"


class Commitment(TerritoryScopedModel):
    """What a granted student committed to, followed after graduation: where they practise, years done."""

    application = models.OneToOneField(
        ScholarshipApplication, verbose_name=_("bourse"), on_delete=models.CASCADE, related_name="commitment"
    )
    status = models.CharField(
        _("suivi"), max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.STUDYING
    )
    years_committed = models.PositiveSmallIntegerField(_("années d'exercice dues"))
    graduated_on = models.DateField(_("diplômé le"), null=True, blank=True)
    practice_place = models.CharField(_("lieu d'exercice"), max_length=200, blank=True)
    practice_commune = models.ForeignKey(
        "portal.Commune",
        verbose_name=_("commune d'exercice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    practice_started_on = models.DateField(_("exercice commencé le"), null=True, blank=True)
    years_done = models.DecimalField(
        _("années effectuées"), max_digits=3, decimal_places=1, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    notes = models.TextField(_("notes de suivi"), blank=True)
    # The retention period of an ended commitment runs from this day (training.ended_commitments).
    closed_on = models.DateField(
        _("engagement clos le"),
        null=True,
        blank=True,
        help_text=_("Quand l'engagement est tenu ou rompu."),
    )

    class Meta:
        verbose_name = _("engagement d'exercice")
        verbose_name_plural = _("engagements d'exercice")
        ordering = ["application", "pk"]

    def __str__(self):
        return str(self.application)

    def clean(self):
        super().clean()
        errors = {}
        if self.status in (CommitmentStatus.PRACTISING, CommitmentStatus.FULFILLED) and not self.practice_started_on:
            errors["practice_started_on"] = _("Indiquez depuis quand la personne exerce sur le territoire.")
        if self.graduated_on and self.practice_started_on and self.practice_started_on < self.graduated_on:
            errors["practice_started_on"] = _("L'exercice ne peut pas commencer avant le diplôme.")
        if self.status in ENDED_COMMITMENT_STATUSES and not self.closed_on:
            errors["closed_on"] = _("Indiquez quand l'engagement a été tenu ou rompu.")
        if errors:
            raise ValidationError(errors)


class TutorPair(TerritoryScopedModel):
    """A professional who tutors a student (the Cotentin's tutoring programme)."""

    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tuteur ou tutrice"), on_delete=models.PROTECT, related_name="+"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("étudiant ou étudiante"), on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(
        ScholarshipProgramme,
        verbose_name=_("programme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tutor_pairs",
    )
    started_on = models.DateField(_("début du tutorat"))
    ended_on = models.DateField(_("fin du tutorat"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("binôme de tutorat")
        verbose_name_plural = _("binômes de tutorat")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(tutor=F("student")), name="training_tutor_not_student"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="training_tutoring_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.tutor} / {self.student}"

    def clean(self):
        super().clean()
        errors = {}
        if self.tutor_id and self.tutor_id == self.student_id:
            errors["student"] = _("Le tuteur et l'étudiant doivent être deux personnes différentes.")
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("La fin du tutorat doit être après son début.")
        if errors:
            raise ValidationError(errors)
