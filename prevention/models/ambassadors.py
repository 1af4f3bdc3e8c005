"""Health ambassadors: residents who relay prevention messages around them (Agen's white paper)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.tenancy.models import TerritoryScopedModel
from prevention.models.base import ThemesDisplay


class Ambassador(ThemesDisplay, TerritoryScopedModel):
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    commune = models.ForeignKey("portal.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    themes = models.JSONField(_("thèmes relayés"), default=list, blank=True)
    relays = models.CharField(
        _("où relaie-t-il ou elle"),
        max_length=255,
        blank=True,
        help_text=_("Association, club, marché, école des parents…"),
    )
    trained_on = models.DateField(_("date de formation"), null=True, blank=True)
    active = models.BooleanField(_("actif ou active"), default=True)

    class Meta:
        verbose_name = _("ambassadeur santé")
        verbose_name_plural = _("ambassadeurs santé")
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"
