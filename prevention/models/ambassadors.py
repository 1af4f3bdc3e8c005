"""Health ambassadors: residents who relay prevention messages around them (Agen's white paper)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.tenancy.models import TerritoryScopedModel
from prevention.models.base import FieldChecks, ThemesDisplay


class Ambassador(FieldChecks, ThemesDisplay, TerritoryScopedModel):
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
    trained_on = models.DateField(_("formé(e) le"), null=True, blank=True)
    active = models.BooleanField(_("actif ou active"), default=True)
    # The retention period runs from this day (prevention.ambassadors): deleted a year after.
    left_on = models.DateField(
        _("a cessé le"),
        null=True,
        blank=True,
        help_text=_("Le jour où la personne a cessé d'être ambassadrice ; ses données sont supprimées un an après."),
    )

    class Meta:
        verbose_name = _("ambassadeur santé")
        verbose_name_plural = _("ambassadeurs santé")
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def field_errors(self):
        if self.active and self.left_on:
            return {"active": [_("Une personne qui a cessé d'être ambassadrice n'est plus active.")]}
        if not self.active and not self.left_on:
            return {"left_on": [_("Indiquez depuis quand la personne n'est plus ambassadrice.")]}
        return {}
