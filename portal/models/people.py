from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.enums import PracticeMode, Profession
from portal.validators import validate_rpps


class ProfessionalProfile(models.Model):
    """What a health professional or student says of themself; it belongs to the person, not to a
    territory, so it is declared global in portal.tenancy.models.GLOBAL_MODELS and only its owner edits it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="professional_profile")
    profession = models.CharField(_("profession"), max_length=30, choices=Profession.choices)
    specialty = models.CharField(_("spécialité"), max_length=120, blank=True)
    rpps = models.CharField(
        _("numéro RPPS"),
        max_length=11,
        blank=True,
        validators=[validate_rpps],
        help_text=_("11 chiffres, si vous en avez un."),
    )
    practice_mode = models.CharField(_("mode d'exercice"), max_length=10, choices=PracticeMode.choices, blank=True)

    class Meta:
        verbose_name = _("profil professionnel")
        verbose_name_plural = _("profils professionnels")

    def __str__(self):
        return f"{self.user} — {self.get_profession_display()}"
