from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    ANNUAL_REPORT = "annual_report", _("Bilan annuel")
    MINUTES = "minutes", _("Compte rendu de séance")
    REGISTER = "register", _("Registre")
    ATTENDANCE_CERTIFICATE = "attendance", _("Attestation de présence")
    OTHER = "other", _("Autre document")


class DocumentAudience(models.TextChoices):
    """Who may download a document; the territory's coordinators and managers always may."""

    STAFF = "staff", _("Équipe du territoire")
    ELECTED = "elected", _("Élus et équipe du territoire")
    MEMBERS = "members", _("Membres de l'instance et équipe du territoire")
    PUBLIC = "public", _("Public")
    # One person's own document (an attendance certificate): `recipient` and the territory's team.
    PERSON = "person", _("La personne destinataire et l'équipe du territoire")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours de génération")
    READY = "ready", _("Prêt")
    FAILED = "failed", _("Échec")
