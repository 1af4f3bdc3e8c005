"""Choices of the prevention axis, with their French labels.

`Theme` is THE typology of the axis: initiatives, agenda events, the service sanitaire's
interventions and the ambassadors' subjects are all classified with it, so that the per-commune
table, the agenda's filter and the annual report speak of the same themes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    NUTRITION = "nutrition", _("Nutrition et alimentation")
    ADDICTIONS = "addictions", _("Addictions")
    MENTAL_HEALTH = "mental_health", _("Santé mentale")
    ENVIRONMENTAL_HEALTH = "environmental_health", _("Santé environnementale")
    VACCINATION = "vaccination", _("Vaccination")
    CANCER_SCREENING = "cancer_screening", _("Dépistage des cancers")
    PHYSICAL_ACTIVITY = "physical_activity", _("Activité physique")
    FIRST_AID = "first_aid", _("Premiers secours")
    HOME_ACCIDENTS = "home_accidents", _("Accidents domestiques")
    SEXUAL_HEALTH = "sexual_health", _("Santé sexuelle")
    AGEING = "ageing", _("Bien vieillir")
    ORAL_HEALTH = "oral_health", _("Santé bucco-dentaire")
    CHRONIC_DISEASES = "chronic_diseases", _("Maladies chroniques (diabète, cœur…)")
    OTHER = "other", _("Autre thème")


class Audience(models.TextChoices):
    CHILDREN = "children", _("Enfants")
    TEENAGERS = "teenagers", _("Adolescents")
    YOUNG_ADULTS = "young_adults", _("Jeunes adultes, étudiants")
    ADULTS = "adults", _("Adultes")
    PARENTS = "parents", _("Parents, familles")
    SENIORS = "seniors", _("Personnes âgées")
    PRECARIOUS = "precarious", _("Personnes en situation de précarité")
    DISABLED = "disabled", _("Personnes en situation de handicap")
    EMPLOYEES = "employees", _("Salariés, entreprises")
    PROFESSIONALS = "professionals", _("Professionnels de santé et du social")
    GENERAL = "general", _("Tout public")


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("En projet")
    ONGOING = "ongoing", _("En cours")
    COMPLETED = "completed", _("Terminée")
    ABANDONED = "abandoned", _("Abandonnée")


class FundingSource(models.TextChoices):
    CLS_ENVELOPE = "cls_envelope", _("Enveloppe prévention du CLS")
    ARS = "ars", _("ARS (fonds d'intervention régional)")
    INTERCOMMUNALITY = "epci", _("Intercommunalité")
    COMMUNE = "commune", _("Commune")
    DEPARTEMENT = "departement", _("Conseil départemental")
    HEALTH_INSURANCE = "health_insurance", _("Assurance maladie, mutuelles")
    CONFERENCE_FINANCEURS = "conference", _("Conférence des financeurs")
    PRIVATE = "private", _("Fondation, mécénat")
    OTHER = "other", _("Autre financeur")


class SiteKind(models.TextChoices):
    SCHOOL = "school", _("École")
    MIDDLE_SCHOOL = "middle_school", _("Collège")
    HIGH_SCHOOL = "high_school", _("Lycée")
    EHPAD = "ehpad", _("EHPAD")
    ASSOCIATION = "association", _("Association")
    YOUTH = "youth", _("Structure jeunesse, mission locale")
    OTHER = "other", _("Autre lieu")


class StudentProgramme(models.TextChoices):
    MEDICINE = "medicine", _("Médecine")
    PHARMACY = "pharmacy", _("Pharmacie")
    DENTISTRY = "dentistry", _("Odontologie")
    MIDWIFERY = "midwifery", _("Maïeutique")
    PHYSIOTHERAPY = "physiotherapy", _("Masso-kinésithérapie")
    NURSING = "nursing", _("Soins infirmiers")


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    DONE = "done", _("Réalisée")
    CANCELLED = "cancelled", _("Annulée")


# The kind prevention gives its events on the shared portal/events (portal/events/README.md).
AGENDA_EVENT_KIND = "prevention.agenda"
