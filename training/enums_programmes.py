"""Choices of training's programmes: sessions for professionals and welcome evenings (on the shared
events), scholarships and tutoring, school outreach."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The `kind` of the shared events (portal.events) this app organises.
SESSION_EVENT_KIND = "training.session"
WELCOME_EVENT_KIND = "training.welcome"


class SessionTheme(models.TextChoices):
    CONTINUING_EDUCATION = "continuing_education", _("Formation continue")
    SUPERVISOR_TRAINING = "supervisor_training", _("Formation des maîtres de stage")
    TELEHEALTH = "telehealth", _("Télésanté et télémédecine")
    COOPERATION_PROTOCOL = "cooperation_protocol", _("Protocoles de coopération")
    FIRST_AID = "first_aid", _("Premiers secours")
    WELCOME_EVENING = "welcome_evening", _("Soirée d'accueil des internes")
    NETWORKING = "networking", _("Rencontre entre professionnels (Club Santé)")


# Themes held as welcome and networking events (event kind "training.welcome"); the others are
# training sessions (event kind "training.session").
WELCOME_THEMES = (SessionTheme.WELCOME_EVENING, SessionTheme.NETWORKING)


def event_kind_of(theme: str) -> str:
    return WELCOME_EVENT_KIND if theme in WELCOME_THEMES else SESSION_EVENT_KIND


class ProgrammeKind(models.TextChoices):
    STUDY_GRANT = "study_grant", _("Bourse d'études (contre des années d'exercice)")
    INTERNSHIP_GRANT = "internship_grant", _("Bourse de stage")


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Pièce d'identité")
    ENROLMENT = "enrolment", _("Certificat de scolarité")
    RESOURCES = "resources", _("Justificatif de ressources (avis d'imposition)")
    BANK_DETAILS = "bank_details", _("Relevé d'identité bancaire (RIB)")
    MOTIVATION = "motivation", _("Lettre de motivation")
    INTERNSHIP_AGREEMENT = "internship_agreement", _("Convention de stage")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Déposée")
    UNDER_REVIEW = "under_review", _("En cours d'examen")
    GRANTED = "granted", _("Accordée")
    REFUSED = "refused", _("Refusée")


# An application still waiting for its decision: one at a time per person and programme.
PENDING_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


class CommitmentStatus(models.TextChoices):
    STUDYING = "studying", _("Études en cours")
    PRACTISING = "practising", _("En exercice sur le territoire")
    FULFILLED = "fulfilled", _("Engagement tenu")
    BROKEN = "broken", _("Engagement rompu")


# A commitment that ended: its retention period runs from its closing day.
ENDED_COMMITMENT_STATUSES = (CommitmentStatus.FULFILLED, CommitmentStatus.BROKEN)


class OutreachKind(models.TextChoices):
    SCHOOL_INTERVENTION = "school_intervention", _("Intervention en classe")
    CAREER_DAY = "career_day", _("Forum ou journée des métiers")
    DISCOVERY_PLACEMENT = "discovery_placement", _("Stage de découverte")
    SITE_VISIT = "site_visit", _("Visite d'un lieu de soins")


class SchoolLevel(models.TextChoices):
    PRIMARY = "primary", _("École élémentaire")
    MIDDLE = "middle", _("Collège")
    HIGH = "high", _("Lycée")
    HIGHER = "higher", _("Enseignement supérieur")
