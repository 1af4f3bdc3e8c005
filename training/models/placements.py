"""Offers of placements per semester (at one site, or a joint town–hospital programme over several
sites) and the placements students register on them."""

from __future__ import annotations

from typing import ClassVar, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.tenancy.models import TerritoryQuerySet, TerritoryScopedModel
from training.enums import LEVELS_WITH_SPECIALTY, PlacementStatus, TraineeLevel
from training.semesters import SEMESTER_HELP, check_dates_in_semester, semester_label, validate_semester_code


class OfferQuerySet(TerritoryQuerySet["Offer"]):
    def published(self) -> Self:
        return self.filter(published=True)


OfferManager = models.Manager.from_queryset(OfferQuerySet)


class Offer(TerritoryScopedModel):
    """A placement offered for one semester; `sites` says where (several for a joint programme)."""

    title = models.CharField(_("intitulé"), max_length=200)
    level = models.CharField(_("niveau"), max_length=20, choices=TraineeLevel.choices)
    specialty = models.CharField(_("spécialité"), max_length=120, blank=True)
    semester = models.CharField(
        _("semestre"), max_length=10, validators=[validate_semester_code], db_index=True, help_text=SEMESTER_HELP
    )
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    description = models.TextField(_("présentation"), blank=True)
    published = models.BooleanField(_("publiée sur le site du territoire"), default=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects: ClassVar[OfferManager] = OfferManager()

    class Meta:
        verbose_name = _("offre de stage")
        verbose_name_plural = _("offres de stage")
        ordering = ["semester", "title"]

    def __str__(self) -> str:
        return f"{self.title} — {self.semester_label}"

    @property
    def semester_label(self) -> str:
        return semester_label(self.semester)

    @property
    def free_places(self) -> int:
        """Places left; `taken` is annotated by training.selectors.public_offers."""
        taken = getattr(self, "taken", None)
        if taken is None:
            taken = self.placements.exclude(status=PlacementStatus.CANCELLED).count()
        return max(self.places - taken, 0)

    def clean(self) -> None:
        super().clean()
        if self.specialty and self.level not in LEVELS_WITH_SPECIALTY:
            raise ValidationError(
                {"specialty": _("Une spécialité ne se précise que pour un interne ou un docteur junior.")}
            )


class OfferSite(TerritoryScopedModel):
    """One site of an offer. A joint town–hospital programme has several, each for part of the
    semester; a single-site offer has one, usually without dates (the whole semester)."""

    offer = models.ForeignKey(Offer, verbose_name=_("offre"), on_delete=models.CASCADE, related_name="sites")
    host_site = models.ForeignKey(
        "training.HostSite", verbose_name=_("lieu de stage"), on_delete=models.PROTECT, related_name="offer_sites"
    )
    supervisor = models.ForeignKey(
        "training.Supervisor",
        verbose_name=_("maître de stage"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offer_sites",
    )
    start_date = models.DateField(_("du"), null=True, blank=True)
    end_date = models.DateField(_("au"), null=True, blank=True)

    class Meta:
        verbose_name = _("lieu d'une offre")
        verbose_name_plural = _("lieux de l'offre (plusieurs pour un parcours ville-hôpital)")
        ordering = ["offer", "start_date", "pk"]

    def __str__(self) -> str:
        return str(self.host_site)

    def _offer_set(self) -> bool:
        return self.offer_id is not None or "offer" in self._state.fields_cache

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        # The offer may not be saved yet (a new offer with its sites in one admin page).
        offer = self.offer if self._offer_set() else None
        if offer is not None:
            errors = check_dates_in_semester(offer.semester, self.start_date, self.end_date)
        if self.supervisor is not None and self.host_site_id and self.supervisor.host_site_id != self.host_site_id:
            errors["supervisor"] = str(_("Ce maître de stage exerce dans un autre lieu."))
        if errors:
            raise ValidationError(errors)


class PlacementQuerySet(TerritoryQuerySet["Placement"]):
    def active(self) -> Self:
        return self.exclude(status=PlacementStatus.CANCELLED)

    def of_student(self, user: object) -> Self:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(student=user)


PlacementManager = models.Manager.from_queryset(PlacementQuerySet)


class Placement(TerritoryScopedModel):
    """A student's placement on an offer, and what they need to come (housing, transport, welcome)."""

    offer = models.ForeignKey(Offer, verbose_name=_("offre"), on_delete=models.PROTECT, related_name="placements")
    # Copied from the offer: lists and the annual report filter on it without a join.
    semester = models.CharField(_("semestre"), max_length=10, validators=[validate_semester_code], db_index=True)
    # The student's account; a placement the coordinator records from the faculty's list may have none.
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("étudiant (compte)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_placements",
    )
    student_name = models.CharField(_("nom de l'étudiant"), max_length=300)
    student_email = models.EmailField(_("e-mail de l'étudiant"))
    start_date = models.DateField(_("date d'arrivée"))
    end_date = models.DateField(_("date de fin"))
    needs_housing = models.BooleanField(_("besoin d'un logement"), default=False)
    needs_transport = models.BooleanField(_("besoin d'une solution de transport"), default=False)
    needs_welcome = models.BooleanField(_("souhaite être accueilli (soirée, kit d'accueil)"), default=False)
    note = models.TextField(_("précisions"), blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.DECLARED
    )
    created_at = models.DateTimeField(_("déclaré le"), auto_now_add=True)

    objects: ClassVar[PlacementManager] = PlacementManager()

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["start_date", "student_name"]
        constraints = [
            # One active placement per student and offer: a second click finds the first one.
            models.UniqueConstraint(
                fields=["territory", "offer", "student"],
                condition=~models.Q(status=PlacementStatus.CANCELLED),
                name="training_placement_unique_student_offer",
                violation_error_message=_("Ce stage est déjà déclaré pour cet étudiant."),
            )
        ]
        indexes = [models.Index(fields=["territory", "start_date"], name="training_placement_arrival")]

    def __str__(self) -> str:
        return f"{self.student_name} — {self.offer.title}"

    @property
    def semester_label(self) -> str:
        return semester_label(self.semester)

    def clean(self) -> None:
        super().clean()
        if self.offer_id:
            self.semester = self.offer.semester
        errors = check_dates_in_semester(self.semester, self.start_date, self.end_date)
        if errors:
            raise ValidationError(errors)
