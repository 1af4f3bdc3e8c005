from django.db import models
from django.utils.translation import gettext_lazy as _


class HostSiteKind(models.TextChoices):
    PRACTICE = "practice", _("Cabinet libéral")
    MSP = "msp", _("Maison de santé pluriprofessionnelle (MSP)")
    HEALTH_CENTRE = "health_centre", _("Centre de santé")
    HOSPITAL_DEPARTMENT = "hospital_department", _("Service hospitalier")
    EHPAD = "ehpad", _("EHPAD")
    PHARMACY = "pharmacy", _("Pharmacie")
    OTHER = "other", _("Autre lieu de stage")


class TraineeLevel(models.TextChoices):
    EXTERN = "extern", _("Externe (étudiant en médecine)")
    INTERN = "intern", _("Interne")
    JUNIOR_DOCTOR = "junior_doctor", _("Docteur junior")
    NURSING = "nursing", _("Étudiant ou étudiante en soins infirmiers")
    MIDWIFERY = "midwifery", _("Étudiant ou étudiante sage-femme")
    PHARMACY = "pharmacy", _("Étudiant ou étudiante en pharmacie")
    PHYSIOTHERAPY = "physiotherapy", _("Étudiant ou étudiante en kinésithérapie")


# Levels for which a specialty is asked (an intern's DES, a junior doctor's specialty).
LEVELS_WITH_SPECIALTY = (TraineeLevel.INTERN, TraineeLevel.JUNIOR_DOCTOR)


class Season(models.TextChoices):
    # French university semesters: interns change posts in early November and early May.
    WINTER = "hiver", _("Semestre d'hiver (novembre à avril)")
    SUMMER = "ete", _("Semestre d'été (mai à octobre)")


class PlacementStatus(models.TextChoices):
    DECLARED = "declared", _("Déclaré par l'étudiant")
    CONFIRMED = "confirmed", _("Confirmé par le territoire")
    CANCELLED = "cancelled", _("Annulé")


class HousingKind(models.TextChoices):
    RESIDENCE_ROOM = "residence_room", _("Chambre en résidence (maison des internes)")
    INTERNAT = "internat", _("Place à l'internat")
    COMMUNE_FLAT = "commune_flat", _("Logement prêté par une commune")


class BookingSource(models.TextChoices):
    PLACEMENT = "placement", _("Stage")
    INSTALLATION_CASE = "installation_case", _("Demande d'installation")
    LOCUM = "locum", _("Remplacement")


class BookingStatus(models.TextChoices):
    WAITING = "waiting", _("Liste d'attente")
    CONFIRMED = "confirmed", _("Confirmée")
    ARRIVED = "arrived", _("Arrivé dans le logement")
    DEPARTED = "departed", _("Parti")
    CANCELLED = "cancelled", _("Annulée")


# Bookings that hold their room for their dates (the exclusion constraint's condition).
HOLDING_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.ARRIVED, BookingStatus.DEPARTED)
