from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.enums import ZONES_BY_PROFESSION, ArsZone, ZoningProfession
from portal.validators import validate_insee_code


class Commune(models.Model):
    """Reference data shared by every territory (a commune belongs to an EPCI and to its département)."""

    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True, validators=[validate_insee_code])
    name = models.CharField(_("nom"), max_length=200, db_index=True)
    postcodes = models.JSONField(_("codes postaux"), default=list, blank=True)
    departement = models.CharField(_("département"), max_length=3, db_index=True)
    epci_siren = models.CharField(_("SIREN de l'EPCI"), max_length=9, blank=True, db_index=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.insee_code})"


class CommuneZoning(models.Model):
    """The zone of a commune in one profession's ARS zoning. No row for a profession means its zoning
    has not been imported for the commune: nobody can tell yet which aids tied to the zoning apply."""

    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="zonings")
    profession = models.CharField(_("profession"), max_length=20, choices=ZoningProfession.choices)
    zone = models.CharField(_("zone"), max_length=20, choices=ArsZone.choices)
    decree_date = models.DateField(_("date de l'arrêté de zonage"), null=True, blank=True)

    class Meta:
        verbose_name = _("zonage ARS d'une commune")
        verbose_name_plural = _("zonages ARS des communes")
        ordering = ["profession"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "profession"], name="portal_communezoning_one_per_profession")
        ]

    def __str__(self):
        return f"{self.commune.name} : {self.get_zone_display()} ({self.get_profession_display()})"

    def clean(self):
        allowed = ZONES_BY_PROFESSION.get(self.profession, ())
        if self.profession and self.zone and self.zone not in allowed:
            raise ValidationError(
                {
                    "zone": _("« %(zone)s » n'est pas une zone du zonage des %(profession)s (attendu : %(allowed)s).")
                    % {
                        "zone": self.get_zone_display(),
                        "profession": self.get_profession_display(),
                        "allowed": ", ".join(str(z.label) for z in allowed),
                    }
                }
            )
