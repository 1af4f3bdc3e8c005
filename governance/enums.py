from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    HEALTH_COUNCIL = "health_council", _("Conseil de santé")
    STEERING_COMMITTEE = "steering_committee", _("Comité de pilotage")
    CLSM = "clsm", _("Conseil local de santé mentale (CLSM)")
    HEALTH_COMMISSION = "health_commission", _("Commission santé")


class MemberCategory(models.TextChoices):
    HOSPITAL = "hospital", _("Établissement hospitalier")
    SALARIED = "salaried", _("Structure d'exercice salarié")
    LIBERAL = "liberal", _("Professionnel libéral")
    PSLA_MSP = "psla_msp", _("PSLA / MSP")
    MEDICO_SOCIAL = "medico_social", _("Opérateur médico-social")
    COORDINATION = "coordination", _("Structure de coordination")
    INSTITUTION = "institution", _("Institution")
    ELECTED = "elected", _("Élu ou élue")


class Position(models.TextChoices):
    CO_CHAIR = "co_chair", _("Co-président ou co-présidente")
    SECRETARY = "secretary", _("Secrétaire")
    MEMBER = "member", _("Membre")
    SUBSTITUTE = "substitute", _("Suppléant ou suppléante")


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", _("Séance plénière")
    WORKING_GROUP = "working_group", _("Réunion de groupe de travail")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Programmée")
    CONVENED = "convened", _("Convocations envoyées")
    HELD = "held", _("Tenue")
    CANCELLED = "cancelled", _("Annulée")


class Reply(models.TextChoices):
    PENDING = "pending", _("Sans réponse")
    ATTENDING = "attending", _("Présent ou présente")
    EXCUSED = "excused", _("Excusé ou excusée")
    REPRESENTED = "represented", _("Représenté ou représentée")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("Non relevée")
    PRESENT = "present", _("Présent ou présente")
    REPRESENTED = "represented", _("Représenté ou représentée")
    ABSENT = "absent", _("Absent ou absente")


class DeliberationKind(models.TextChoices):
    DELIBERATION = "deliberation", _("Délibération")
    OPINION = "opinion", _("Avis")


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("Adoptée")
    REJECTED = "rejected", _("Rejetée")
    FAVOURABLE = "favourable", _("Avis favorable")
    UNFAVOURABLE = "unfavourable", _("Avis défavorable")
    RESERVED = "reserved", _("Avis réservé")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("À engager")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    SUSPENDED = "suspended", _("Suspendue")
    ABANDONED = "abandoned", _("Abandonnée")
