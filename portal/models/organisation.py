from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.enums import OrganisationKind
from portal.tenancy.models import TerritoryScopedModel
from portal.validators import validate_finess, validate_siret


class Organisation(TerritoryScopedModel):
    """An actor kept in a territory's directory: hospital, MSP, CPAM, faculty, association…"""

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    finess = models.CharField(_("FINESS"), max_length=9, blank=True, validators=[validate_finess])
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    commune = models.ForeignKey(
        "portal.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    website = models.URLField(_("site web"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="organisation_unique_name_per_territory")
        ]

    def __str__(self):
        return self.name
