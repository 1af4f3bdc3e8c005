"""The service sanitaire: health students of the year, their teams, the sites that host them and
the interventions planned there."""

from __future__ import annotations

from typing import ClassVar, Self

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.tenancy.models import TerritoryQuerySet, TerritoryScopedModel
from prevention.enums import InterventionStatus, SiteKind, StudentProgramme, Theme
from prevention.models.base import FieldChecks, ThemesDisplay


def academic_year_label(year: int) -> str:
    return f"{year}-{year + 1}"


class InterventionSite(ThemesDisplay, TerritoryScopedModel):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de lieu"), max_length=20, choices=SiteKind.choices)
    commune = models.ForeignKey("portal.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact = models.CharField(_("contact sur place"), max_length=200, blank=True)
    can_host = models.BooleanField(
        _("peut accueillir des étudiants"), default=True, help_text=_("Décoché : le lieu ne reçoit plus d'équipe.")
    )
    max_teams = models.PositiveSmallIntegerField(_("équipes accueillies par an au plus"), null=True, blank=True)
    themes = models.JSONField(_("thèmes souhaités"), default=list, blank=True)

    class Meta:
        verbose_name = _("lieu d'intervention")
        verbose_name_plural = _("lieux d'intervention (service sanitaire)")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["territory", "name"], name="prevention_site_unique_name")]

    def __str__(self):
        return self.name


class StudentTeam(TerritoryScopedModel):
    academic_year = models.PositiveSmallIntegerField(
        _("année universitaire (début)"), help_text=_("2026 pour 2026-2027.")
    )
    name = models.CharField(_("nom de l'équipe"), max_length=100)
    referent = models.CharField(_("référent pédagogique"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("équipe d'étudiants")
        verbose_name_plural = _("équipes d'étudiants (service sanitaire)")
        ordering = ["-academic_year", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "academic_year", "name"], name="prevention_team_unique_name")
        ]

    def __str__(self):
        return f"{self.name} ({academic_year_label(self.academic_year)})"


class HealthStudent(FieldChecks, TerritoryScopedModel):
    academic_year = models.PositiveSmallIntegerField(
        _("année universitaire (début)"), help_text=_("2026 pour 2026-2027.")
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    programme = models.CharField(_("filière"), max_length=20, choices=StudentProgramme.choices)
    school = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("école ou faculté"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        StudentTeam,
        verbose_name=_("équipe"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="students",
    )

    class Meta:
        verbose_name = _("étudiant du service sanitaire")
        verbose_name_plural = _("étudiants du service sanitaire")
        ordering = ["-academic_year", "last_name", "first_name", "pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def field_errors(self):
        if self.team_id and self.team.academic_year != self.academic_year:
            return {"team": [_("Cette équipe est celle d'une autre année universitaire.")]}
        return {}


class InterventionQuerySet(TerritoryQuerySet["Intervention"]):
    def of_year(self, year: int) -> Self:
        return self.filter(team__academic_year=year)


InterventionManager = models.Manager.from_queryset(InterventionQuerySet)


class Intervention(FieldChecks, TerritoryScopedModel):
    team = models.ForeignKey(
        StudentTeam, verbose_name=_("équipe"), on_delete=models.CASCADE, related_name="interventions"
    )
    site = models.ForeignKey(
        InterventionSite, verbose_name=_("lieu"), on_delete=models.PROTECT, related_name="interventions"
    )
    theme = models.CharField(_("thème"), max_length=30, choices=Theme.choices)
    starts_on = models.DateField(_("premier jour"))
    ends_on = models.DateField(_("dernier jour"))
    status = models.CharField(
        _("état"), max_length=20, choices=InterventionStatus.choices, default=InterventionStatus.PLANNED
    )
    people_reached = models.PositiveIntegerField(_("personnes touchées"), null=True, blank=True)

    objects: ClassVar[InterventionManager] = InterventionManager()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions (service sanitaire)")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="intervention_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.team.name} — {self.site.name}"

    def field_errors(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = [_("Le dernier jour doit être après le premier.")]
        if self.site_id and not self.site.can_host and self._state.adding:
            errors["site"] = [_("Ce lieu n'accueille plus d'équipe d'étudiants.")]
        return errors
