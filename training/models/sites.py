"""Where trainees go: host sites (practices, MSP, hospital departments, EHPAD, pharmacies), their
supervisors (maîtres de stage) and how many trainees of each level they take per semester."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.tenancy.models import TerritoryScopedModel
from training.enums import LEVELS_WITH_SPECIALTY, HostSiteKind, TraineeLevel


class HostSite(TerritoryScopedModel):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de lieu"), max_length=30, choices=HostSiteKind.choices)
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("L'hôpital, la MSP ou la structure dont dépend le lieu, s'il est dans l'annuaire."),
    )
    commune = models.ForeignKey("portal.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    # Host-site managers see the placements at their site from the public site (not the admin).
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsables du lieu"),
        blank=True,
        related_name="managed_host_sites",
    )
    active = models.BooleanField(_("accueille des stagiaires"), default=True)

    class Meta:
        verbose_name = _("lieu de stage")
        verbose_name_plural = _("lieux de stage")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["territory", "name"], name="training_hostsite_unique_name")]

    def __str__(self) -> str:
        return self.name


class Supervisor(TerritoryScopedModel):
    """A maître de stage, accredited by a faculty until a date."""

    host_site = models.ForeignKey(
        HostSite, verbose_name=_("lieu de stage"), on_delete=models.CASCADE, related_name="supervisors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervisions",
        help_text=_("Avec un compte, le maître de stage voit les stagiaires de son lieu sur le site du territoire."),
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    faculty = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("faculté d'agrément"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accredited_on = models.DateField(_("agréé le"), null=True, blank=True)
    accredited_until = models.DateField(_("agrément valable jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("maître de stage")
        verbose_name_plural = _("maîtres de stage")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        super().clean()
        if self.accredited_on and self.accredited_until and self.accredited_until < self.accredited_on:
            raise ValidationError({"accredited_until": _("La fin de l'agrément doit suivre la date d'agrément.")})


class HostingCapacity(TerritoryScopedModel):
    """How many trainees of one level (and specialty) a site takes each semester."""

    host_site = models.ForeignKey(
        HostSite, verbose_name=_("lieu de stage"), on_delete=models.CASCADE, related_name="capacities"
    )
    level = models.CharField(_("niveau"), max_length=20, choices=TraineeLevel.choices)
    specialty = models.CharField(
        _("spécialité"), max_length=120, blank=True, help_text=_("Pour les internes : médecine générale, pédiatrie…")
    )
    places_per_semester = models.PositiveSmallIntegerField(_("places par semestre"), default=1)

    class Meta:
        verbose_name = _("capacité d'accueil")
        verbose_name_plural = _("capacités d'accueil")
        ordering = ["host_site", "level", "specialty"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "host_site", "level", "specialty"], name="training_capacity_unique_level"
            )
        ]

    def __str__(self) -> str:
        label = self.get_level_display()
        if self.specialty:
            label = f"{label} ({self.specialty})"
        return f"{self.host_site} — {label} : {self.places_per_semester}"

    def clean(self) -> None:
        super().clean()
        if self.specialty and self.level not in LEVELS_WITH_SPECIALTY:
            raise ValidationError(
                {"specialty": _("Une spécialité ne se précise que pour un interne ou un docteur junior.")}
            )
