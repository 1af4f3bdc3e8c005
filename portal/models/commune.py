from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.enums import ArsZone
from portal.validators import validate_insee_code


class Commune(models.Model):
    """Reference data shared by every territory (a commune belongs to an EPCI and to its département)."""

    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True, validators=[validate_insee_code])
    name = models.CharField(_("nom"), max_length=200, db_index=True)
    postcodes = models.JSONField(_("codes postaux"), default=list, blank=True)
    departement = models.CharField(_("département"), max_length=3, db_index=True)
    epci_siren = models.CharField(_("SIREN de l'EPCI"), max_length=9, blank=True, db_index=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    ars_zone = models.CharField(_("zonage ARS (médecins)"), max_length=4, choices=ArsZone.choices, default=ArsZone.NONE)
    ars_zone_decree_date = models.DateField(_("date de l'arrêté de zonage"), null=True, blank=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.insee_code})"
