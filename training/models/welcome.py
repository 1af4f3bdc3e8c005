"""Welcome kits handed to interns (Deux-Sèvres' « mallettes d'accueil »): who got one, when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.tenancy.models import TerritoryScopedModel


class WelcomeKit(TerritoryScopedModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bénéficiaire (compte)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_name = models.CharField(_("bénéficiaire"), max_length=300)
    placement = models.ForeignKey(
        "training.Placement",
        verbose_name=_("stage"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="welcome_kits",
    )
    handed_on = models.DateField(_("remis le"))
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("remis par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contents = models.CharField(
        _("contenu"),
        max_length=300,
        blank=True,
        help_text=_("Par exemple « guide d'accueil, pass culture et sport »."),
    )

    class Meta:
        verbose_name = _("kit d'accueil remis")
        verbose_name_plural = _("kits d'accueil remis")
        ordering = ["-handed_on", "recipient_name"]

    def __str__(self) -> str:
        return f"{self.recipient_name} — {self.handed_on:%d/%m/%Y}"
