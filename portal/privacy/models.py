"""Each territory's legal pages (what its manager edits; defaults come from the territory's record)
and the log of staff reads of personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from portal.privacy.enums import AccessibilityStatus, AccessKind
from portal.tenancy.models import TerritoryScopedModel


class LegalNotice(TerritoryScopedModel):
    """What differs from one territory to another on its legal pages. Every field may stay empty:
    the page then says what the territory's record gives (`effective_*`)."""

    publication_director = models.CharField(
        _("directeur ou directrice de la publication"),
        max_length=200,
        blank=True,
        help_text=_("Par défaut : le président ou la présidente du territoire."),
    )
    postal_address = models.TextField(_("adresse postale du siège"), blank=True)
    host = models.TextField(
        _("hébergeur (nom, adresse, téléphone)"), blank=True, help_text=_("Par défaut : l'hébergeur du portail.")
    )
    dpo_name = models.CharField(
        _("délégué ou déléguée à la protection des données (DPO)"),
        max_length=200,
        blank=True,
        help_text=_("Nom ou service ; par défaut : « le délégué à la protection des données du territoire »."),
    )
    dpo_email = models.EmailField(
        _("e-mail du DPO"), blank=True, help_text=_("Par défaut : l'e-mail du guichet du territoire.")
    )
    dpo_postal_address = models.TextField(_("adresse postale du DPO"), blank=True)
    privacy_complement = models.TextField(
        _("précisions sur les données personnelles"),
        blank=True,
        help_text=_("Texte ajouté à la page « Données personnelles » (autres traitements, sous-traitants…)."),
    )
    accessibility_status = models.CharField(
        _("état de conformité au RGAA"),
        max_length=10,
        choices=AccessibilityStatus.choices,
        default=AccessibilityStatus.NONE,
        help_text=_("« Totalement » ou « partiellement conforme » seulement après un audit."),
    )
    accessibility_audit = models.TextField(_("audit d'accessibilité (date, auditeur, taux de conformité)"), blank=True)
    accessibility_non_accessible = models.TextField(
        _("contenus non accessibles"),
        blank=True,
        help_text=_("Un contenu par ligne ; par défaut, ceux que l'équipe du portail connaît."),
    )
    accessibility_contact = models.EmailField(
        _("contact accessibilité"), blank=True, help_text=_("Par défaut : l'e-mail du guichet du territoire.")
    )
    updated_at = models.DateTimeField(_("modifiées le"), auto_now=True)

    class Meta:
        verbose_name = _("mentions légales du territoire")
        verbose_name_plural = _("mentions légales des territoires")
        constraints = [models.UniqueConstraint(fields=["territory"], name="legal_notice_one_per_territory")]

    def __str__(self) -> str:
        return _g("Pages légales — %(territory)s") % {"territory": self.territory}

    # --- what the pages show: the field, or what the territory's record gives ------------------
    @property
    def effective_publication_director(self) -> str:
        return self.publication_director or _g("le président ou la présidente %(of_territory)s") % {
            "of_territory": self.territory.of_name
        }

    @property
    def effective_host(self) -> str:
        return self.host or settings.LEGAL_HOST

    @property
    def effective_dpo_name(self) -> str:
        return self.dpo_name or _g("le délégué ou la déléguée à la protection des données %(of_territory)s") % {
            "of_territory": self.territory.of_name
        }

    @property
    def effective_dpo_email(self) -> str:
        return self.dpo_email or self.territory.contact_email

    @property
    def effective_accessibility_contact(self) -> str:
        return self.accessibility_contact or self.territory.contact_email

    @property
    def non_accessible_items(self) -> list[str]:
        if self.accessibility_non_accessible.strip():
            return [line.strip() for line in self.accessibility_non_accessible.splitlines() if line.strip()]
        return [str(item) for item in KNOWN_NON_ACCESSIBLE]


# What the portal's team knows is not accessible yet (no audit has been made): the default list.
KNOWN_NON_ACCESSIBLE = (
    _("Les documents PDF générés (comptes rendus, rapport annuel) ne sont pas balisés pour les lecteurs d'écran."),
    _("Les documents déposés par les demandeurs ou les partenaires ne sont pas contrôlés."),
    _("L'espace d'administration des équipes n'a pas été audité."),
)


class AccessLog(TerritoryScopedModel):
    """A staff member read personal data: who, what, when. Written with one INSERT by
    portal.privacy.services.access_record; nobody edits it; purged after its retention period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre de l'équipe"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Kept as written at the time: the log still says who once the account is gone.
    user_email = models.EmailField(_("e-mail"))
    kind = models.CharField(_("consultation"), max_length=30, choices=AccessKind.choices)
    object_ref = models.CharField(_("objet consulté"), max_length=200, blank=True)
    object_id = models.PositiveBigIntegerField(_("identifiant"), null=True, blank=True)
    path = models.CharField(_("adresse"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("consultation de données personnelles")
        verbose_name_plural = _("journal des consultations de données personnelles")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["territory", "-created_at"], name="accesslog_territory_created")]

    def __str__(self) -> str:
        return f"{self.user_email} — {self.get_kind_display()} — {self.object_ref}"
