"""School outreach: professionals' interventions in schools and career days, who went where."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.enums import Profession
from portal.tenancy.models import TerritoryScopedModel
from training.enums_programmes import OutreachKind, SchoolLevel


class OutreachAction(TerritoryScopedModel):
    kind = models.CharField(_("type d'action"), max_length=30, choices=OutreachKind.choices)
    school = models.CharField(_("établissement"), max_length=200, help_text=_("Collège, lycée, forum…"))
    level = models.CharField(_("niveau"), max_length=20, choices=SchoolLevel.choices)
    commune = models.ForeignKey(
        "portal.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("sujet"), max_length=200, blank=True)
    pupils_reached = models.PositiveIntegerField(_("élèves rencontrés"), default=0)

    class Meta:
        verbose_name = _("action auprès des scolaires")
        verbose_name_plural = _("actions auprès des scolaires")
        ordering = ["-held_on", "pk"]
        indexes = [models.Index(fields=["territory", "held_on"], name="training_outreach_date")]

    def __str__(self):
        return f"{self.school} ({self.held_on:%d/%m/%Y})"


class OutreachSpeaker(TerritoryScopedModel):
    """A professional who took part in an action (with an account or not)."""

    action = models.ForeignKey(
        OutreachAction, verbose_name=_("action"), on_delete=models.CASCADE, related_name="speakers"
    )
    name = models.CharField(_("nom"), max_length=200)
    profession = models.CharField(_("profession"), max_length=30, choices=Profession.choices)
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("structure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("intervenant ou intervenante")
        verbose_name_plural = _("intervenants")
        ordering = ["action", "name", "pk"]

    def __str__(self):
        return self.name
