from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.enums import Role
from portal.tenancy.models import TerritoryScopedModel


class Membership(TerritoryScopedModel):
    """A user's role in one territory. A user may hold several roles in several territories."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("organisation représentée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Pour un référent partenaire : l'organisation qu'il représente."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rôle dans un territoire")
        verbose_name_plural = _("rôles dans les territoires")
        ordering = ["territory", "role"]
        constraints = [models.UniqueConstraint(fields=["territory", "user", "role"], name="membership_unique_role")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.territory})"
