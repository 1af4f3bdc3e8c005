from django.db import models
from django.utils.translation import gettext_lazy as _


class TerritoryKind(models.TextChoices):
    COMMUNAUTE_AGGLOMERATION = "ca", _("Communauté d'agglomération")
    COMMUNAUTE_COMMUNES = "cc", _("Communauté de communes")
    COMMUNAUTE_URBAINE = "cu", _("Communauté urbaine")
    METROPOLE = "metropole", _("Métropole")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    COMMUNE = "commune", _("Commune")


class ZoningProfession(models.TextChoices):
    """The professions for which the ARS publishes a zoning, each with its own decree and categories."""

    DOCTORS = "doctors", _("médecins")
    NURSES = "nurses", _("infirmiers et infirmières")
    MIDWIVES = "midwives", _("sages-femmes")
    PHYSIOTHERAPISTS = "physiotherapists", _("masseurs-kinésithérapeutes")
    SPEECH_THERAPISTS = "speech_therapists", _("orthophonistes")
    DENTISTS = "dentists", _("chirurgiens-dentistes")


class TerritoryArticle(models.TextChoices):
    """The article a territory's name takes in a sentence (portal/french.py writes "de la", "du"…)."""

    LA = "la", _("la (la Communauté d'agglomération…)")
    LE = "le", _("le (le Département…)")
    L = "l", _("l' (l'Agglomération…)")
    LES = "les", _("les (les Communes…)")
    NONE = "", _("sans article (Agen)")


class ArsZone(models.TextChoices):
    """Every category of every zoning; ZONES_BY_PROFESSION says which belong to which profession."""

    ZIP = "zip", _("Zone d'intervention prioritaire (ZIP)")
    ZAC = "zac", _("Zone d'action complémentaire (ZAC)")
    NONE = "none", _("Hors zonage")
    VERY_UNDERSERVED = "very_underserved", _("Zone très sous-dotée")
    UNDERSERVED = "underserved", _("Zone sous-dotée")
    INTERMEDIATE = "intermediate", _("Zone intermédiaire")
    WELL_SERVED = "well_served", _("Zone très dotée")
    OVERSERVED = "overserved", _("Zone sur-dotée")
    NOT_PRIORITY = "not_priority", _("Zone non prioritaire")


_CONVENTION_ZONES = (ArsZone.VERY_UNDERSERVED, ArsZone.UNDERSERVED, ArsZone.INTERMEDIATE, ArsZone.WELL_SERVED)
# The categories of each profession's zoning (the doctors' decree, the conventions of the others).
ZONES_BY_PROFESSION: dict[str, tuple[ArsZone, ...]] = {
    ZoningProfession.DOCTORS: (ArsZone.ZIP, ArsZone.ZAC, ArsZone.NONE),
    ZoningProfession.NURSES: (*_CONVENTION_ZONES, ArsZone.OVERSERVED),
    ZoningProfession.MIDWIVES: (*_CONVENTION_ZONES, ArsZone.OVERSERVED),
    ZoningProfession.PHYSIOTHERAPISTS: (*_CONVENTION_ZONES, ArsZone.NOT_PRIORITY),
    ZoningProfession.SPEECH_THERAPISTS: (*_CONVENTION_ZONES, ArsZone.OVERSERVED),
    ZoningProfession.DENTISTS: (*_CONVENTION_ZONES, ArsZone.NOT_PRIORITY),
}


class OrganisationKind(models.TextChoices):
    HOSPITAL = "hospital", _("Centre hospitalier")
    CLINIC = "clinic", _("Clinique")
    MSP = "msp", _("Maison de santé pluriprofessionnelle (MSP)")
    HEALTH_CENTRE = "health_centre", _("Centre de santé")
    CPTS = "cpts", _("CPTS")
    PSLA = "psla", _("Pôle de santé libéral et ambulatoire (PSLA)")
    EHPAD = "ehpad", _("EHPAD")
    ARS = "ars", _("Agence régionale de santé")
    CPAM = "cpam", _("Caisse primaire d'assurance maladie")
    ORDRE = "ordre", _("Ordre professionnel")
    URPS = "urps", _("URPS / URML")
    FACULTY = "faculty", _("Faculté de médecine")
    NURSING_SCHOOL = "nursing_school", _("Institut de formation (IFSI…)")
    COMMUNE = "commune", _("Commune")
    INTERCOMMUNALITY = "epci", _("Intercommunalité")
    DEPARTEMENT = "departement", _("Conseil départemental")
    ASSOCIATION = "association", _("Association")
    GCS = "gcs", _("Groupement de coopération sanitaire (GCS)")
    OTHER = "other", _("Autre")


class Profession(models.TextChoices):
    DOCTOR_GP = "doctor_gp", _("Médecin généraliste")
    DOCTOR_SPECIALIST = "doctor_specialist", _("Médecin spécialiste")
    REPLACEMENT_DOCTOR = "replacement_doctor", _("Médecin remplaçant")
    JUNIOR_DOCTOR = "junior_doctor", _("Docteur junior")
    INTERN = "intern", _("Interne")
    EXTERN = "extern", _("Externe (étudiant en médecine)")
    NURSE = "nurse", _("Infirmier ou infirmière")
    IPA = "ipa", _("Infirmier ou infirmière en pratique avancée (IPA)")
    PHYSIOTHERAPIST = "physiotherapist", _("Masseur-kinésithérapeute")
    PHARMACIST = "pharmacist", _("Pharmacien ou pharmacienne")
    MIDWIFE = "midwife", _("Sage-femme")
    DENTIST = "dentist", _("Chirurgien-dentiste")
    SPEECH_THERAPIST = "speech_therapist", _("Orthophoniste")
    OTHER = "other", _("Autre profession de santé")


# Which zoning applies to a profession settling; None: the ARS publishes none for it (pharmacists…).
_ZONING_OF_PROFESSION: dict[str, ZoningProfession] = {
    Profession.DOCTOR_GP: ZoningProfession.DOCTORS,
    Profession.DOCTOR_SPECIALIST: ZoningProfession.DOCTORS,
    Profession.REPLACEMENT_DOCTOR: ZoningProfession.DOCTORS,
    Profession.JUNIOR_DOCTOR: ZoningProfession.DOCTORS,
    Profession.INTERN: ZoningProfession.DOCTORS,
    Profession.EXTERN: ZoningProfession.DOCTORS,
    Profession.NURSE: ZoningProfession.NURSES,
    Profession.IPA: ZoningProfession.NURSES,
    Profession.MIDWIFE: ZoningProfession.MIDWIVES,
    Profession.PHYSIOTHERAPIST: ZoningProfession.PHYSIOTHERAPISTS,
    Profession.SPEECH_THERAPIST: ZoningProfession.SPEECH_THERAPISTS,
    Profession.DENTIST: ZoningProfession.DENTISTS,
}


def zoning_profession(profession: str) -> ZoningProfession | None:
    """The ARS zoning that applies to `profession` (a `Profession` value), or None."""
    return _ZONING_OF_PROFESSION.get(profession)


class PracticeMode(models.TextChoices):
    LIBERAL = "liberal", _("Libéral")
    SALARIED = "salaried", _("Salarié")
    MIXED = "mixed", _("Mixte")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinateur ou coordinatrice")
    MANAGER = "manager", _("Responsable du territoire")
    ELECTED_OFFICIAL = "elected", _("Élu ou élue")
    COUNCIL_MEMBER = "council_member", _("Membre du conseil")
    PARTNER = "partner", _("Référent partenaire")
    # Training (issue 11): people known to the territory, never its team. What they see comes from
    # their own rows (registrations, placements), not from these roles: no role set below names them.
    STUDENT = "student", _("Étudiant, étudiante ou interne")
    SUPERVISOR = "supervisor", _("Maître de stage")
    HOST_SITE_MANAGER = "host_site_manager", _("Responsable d'un lieu de stage")


# Roles that work in the admin; partners only read there (see portal.tenancy).
ADMIN_ROLES = (Role.COORDINATOR, Role.MANAGER, Role.PARTNER)
EDITOR_ROLES = (Role.COORDINATOR, Role.MANAGER)
