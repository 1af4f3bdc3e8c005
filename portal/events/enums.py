from django.db import models
from django.utils.translation import gettext_lazy as _


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")
    CANCELLED = "cancelled", _("Annulé")


class EventAudience(models.TextChoices):
    PUBLIC = "public", _("Tout public")
    PROFESSIONALS = "professionals", _("Professionnels de santé")
    STUDENTS = "students", _("Étudiants, externes et internes")
    SUPERVISORS = "supervisors", _("Maîtres de stage et lieux d'accueil")
    COUNCIL_MEMBERS = "council_members", _("Membres du conseil de santé")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Inscrit")
    WAITLISTED = "waitlisted", _("En liste d'attente")
    CANCELLED = "cancelled", _("Annulée")


# Registrations that hold, or wait for, a place.
ACTIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
