from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    CASE_PAGE = "case_page", _("Fiche d'une demande")
    EXPORT = "export", _("Export CSV")
    DOCUMENT = "document", _("Document d'un demandeur")
    PERSONAL_DATA = "personal_data", _("Export des données personnelles d'une demande")
    REFERRAL = "referral", _("Besoin orienté vers un partenaire (page du partenaire)")
    PERSON_RECORD = "person_record", _("Fiche d'une personne (formation, prévention, instances)")
    PERSON_LIST = "person_list", _("Liste de personnes (page de l'équipe)")


class AccessibilityStatus(models.TextChoices):
    # RGAA wording (the statement's "état de conformité").
    NONE = "none", _("non conforme")
    PARTIAL = "partial", _("partiellement conforme")
    FULL = "full", _("totalement conforme")


class LegalPage(models.TextChoices):
    """The three pages a local authority's site owes, by their address segment."""

    LEGAL_NOTICE = "mentions-legales", _("Mentions légales")
    PRIVACY = "donnees-personnelles", _("Données personnelles")
    ACCESSIBILITY = "accessibilite", _("Accessibilité")
