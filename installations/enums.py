from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    # An anonymous request waits for its e-mail to be confirmed before coordinators see it as new.
    UNCONFIRMED = "unconfirmed", _("En attente de confirmation de l'e-mail")
    SUBMITTED = "submitted", _("Nouvelle demande")
    SUPPORTED = "supported", _("Accompagnement en cours")
    WAITING_APPLICANT = "waiting_applicant", _("En attente du demandeur")
    SETTLED = "settled", _("Installé")
    WITHDRAWN = "withdrawn", _("Retirée par le demandeur")
    CLOSED = "closed", _("Close sans suite")


# Statuses in which a coordinator still has something to do.
OPEN_STATUSES = (CaseStatus.SUBMITTED, CaseStatus.SUPPORTED, CaseStatus.WAITING_APPLICANT)
FINAL_STATUSES = (CaseStatus.SETTLED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED)


class CurrentSituation(models.TextChoices):
    STUDENT = "student", _("Étudiant ou étudiante")
    INTERN = "intern", _("Interne")
    JUNIOR_DOCTOR = "junior_doctor", _("Docteur junior")
    REPLACEMENT = "replacement", _("Remplaçant ou remplaçante")
    LIBERAL = "liberal", _("En exercice libéral")
    SALARIED = "salaried", _("En exercice salarié")
    OTHER = "other", _("Autre situation")


class StructureType(models.TextChoices):
    INDIVIDUAL = "individual", _("Cabinet individuel")
    GROUP = "group", _("Cabinet de groupe")
    MSP = "msp", _("Maison de santé pluriprofessionnelle (MSP)")
    HEALTH_CENTRE = "health_centre", _("Centre de santé")
    HOSPITAL = "hospital", _("Hôpital ou clinique")
    REPLACEMENT = "replacement", _("Remplacements")
    UNDECIDED = "undecided", _("Pas encore décidé")


class NeedKind(models.TextChoices):
    PREMISES = "premises", _("Locaux ou cabinet à reprendre")
    GROUP_PRACTICE = "group_practice", _("Rejoindre un exercice coordonné (MSP, CPTS)")
    HOUSING_SHORT = "housing_short", _("Logement de courte durée")
    HOUSING_LONG = "housing_long", _("Logement durable")
    SPOUSE_JOB = "spouse_job", _("Emploi du conjoint ou de la conjointe")
    CHILDCARE = "childcare", _("Garde d'enfants et écoles")
    ADMIN_STEPS = "admin_steps", _("Démarches administratives (Ordre, CPAM, ARS)")
    FINANCIAL_AIDS = "financial_aids", _("Aides financières")
    DISCOVERY = "discovery", _("Découvrir le territoire")


# Needs whose help uses household details (asked only with explicit consent).
HOUSEHOLD_NEEDS = (NeedKind.SPOUSE_JOB, NeedKind.CHILDCARE)


class NeedState(models.TextChoices):
    OPEN = "open", _("À traiter")
    IN_PROGRESS = "in_progress", _("En cours")
    REFERRED = "referred", _("Orienté vers un partenaire")
    DONE = "done", _("Résolu")
    DROPPED = "dropped", _("Sans suite")


class ReferralAnswer(models.TextChoices):
    """The partner referent's answer to a need referred to them."""

    PENDING = "", _("En attente de réponse")
    ACCEPTED = "accepted", _("Accepté")
    DECLINED = "declined", _("Refusé")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Demande déposée")
    EMAIL_CONFIRMED = "email_confirmed", _("E-mail confirmé")
    APPLICANT_LINKED = "applicant_linked", _("Demande rattachée au compte")
    ASSIGNED = "assigned", _("Coordinateur désigné")
    STATUS_CHANGED = "status_changed", _("Changement de statut")
    NEED_UPDATED = "need_updated", _("Besoin mis à jour")
    NEED_REFERRED = "need_referred", _("Besoin orienté vers un partenaire")
    MESSAGE = "message", _("Message")
    NOTE = "note", _("Note interne")
    DOCUMENT = "document", _("Document ajouté")
    AID_LINKED = "aid_linked", _("Aide associée")
    AID_UNLINKED = "aid_unlinked", _("Aide retirée")
    OPPORTUNITY_LINKED = "opportunity_linked", _("Opportunité associée")
    OPPORTUNITY_UNLINKED = "opportunity_unlinked", _("Opportunité retirée")
    REFERRAL_ANSWERED = "referral_answered", _("Réponse du partenaire")
    FOLLOW_UP_DONE = "follow_up_done", _("Suivi réalisé")
    FOLLOW_UP_ASKED = "follow_up_asked", _("Suivi demandé au professionnel")
    REMINDER = "reminder", _("Relance")
    DATA_EXPORTED = "data_exported", _("Données personnelles exportées")
    DATA_ERASED = "data_erased", _("Données personnelles effacées")
    HOUSEHOLD_PURGED = "household_purged", _("Informations du foyer effacées")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consentement retiré")


class Funder(models.TextChoices):
    ARS = "ars", _("ARS")
    CPAM = "cpam", _("Assurance maladie (CPAM)")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    COMMUNE = "commune", _("Commune")
    OTHER = "other", _("Autre financeur")


class OpportunityKind(models.TextChoices):
    PREMISES = "premises", _("Locaux disponibles")
    PRACTICE_TAKEOVER = "practice_takeover", _("Cabinet ou patientèle à reprendre")
    GROUP_PRACTICE = "group_practice", _("Exercice coordonné qui recrute (MSP, centre de santé)")
    HOSPITAL_POST = "hospital_post", _("Poste hospitalier")
    HOUSING = "housing", _("Logement")


FOLLOW_UP_YEARS = (1, 3, 5)
