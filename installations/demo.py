"""Demo data of the guichet unique (portal/demo.py's `demo_data` hook): for each demo territory an
aid catalogue, published opportunities (the Cotentin GCS's joint hospital posts among them) and
realistic cases in every state, written through the services so that the timelines, messages,
referrals and follow-ups are those the portal would have produced, then dated back.

Idempotent: each case has the idempotency key `demo-<slug>-<n>`; an existing one is left alone.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from installations import list_cache
from installations.enums import (
    CaseStatus,
    CurrentSituation,
    Funder,
    NeedKind,
    NeedState,
    OpportunityKind,
    StructureType,
)
from installations.models import Aid, Case, CaseEvent, Message, Note, Opportunity
from installations.services.applicant_mail import case_confirmation_token
from installations.services.exchanges import message_post, note_add
from installations.services.lifecycle import (
    case_close,
    case_settle,
    case_take_charge,
    case_wait_for_applicant,
    case_withdraw,
)
from installations.services.needs import need_refer
from installations.services.submission import case_confirm_email, case_submit
from portal.enums import ArsZone, PracticeMode, Profession, Role, ZoningProfession
from portal.models import CommuneZoning, Membership, User


@dataclass
class DemoCase:
    first_name: str
    last_name: str
    profession: str
    specialty: str
    situation: str
    structure: str
    needs: dict
    # Where it ends: a CaseStatus value.
    status: str
    age_days: int
    contact_after_days: int | None = None
    settle_after_days: int | None = None
    message: str = ""
    answer: str = ""
    note: str = ""
    refer: str = ""  # need kind referred to the territory's partner referent
    household: dict = field(default_factory=dict)
    account: bool = False  # the demo professional's own case


CASES = (
    DemoCase(
        "Julien",
        "Morvan",
        Profession.DOCTOR_GP,
        "Médecine générale",
        CurrentSituation.REPLACEMENT,
        StructureType.MSP,
        {
            NeedKind.PREMISES: "Un cabinet dans une MSP, idéalement avec un secrétariat partagé.",
            NeedKind.FINANCIAL_AIDS: "",
            NeedKind.ADMIN_STEPS: "Inscription à l'Ordre du département.",
        },
        CaseStatus.SUPPORTED,
        21,
        contact_after_days=2,
        message="Bonjour Docteur, je vous propose un rendez-vous téléphonique jeudi à 14 h pour faire le point.",
        answer="Parfait, jeudi 14 h me convient.",
        note="Remplaçant régulier dans le secteur depuis 2 ans.",
        refer=NeedKind.ADMIN_STEPS,
        account=True,
    ),
    DemoCase(
        "Claire",
        "Lebrun",
        Profession.NURSE,
        "",
        CurrentSituation.SALARIED,
        StructureType.INDIVIDUAL,
        {NeedKind.PREMISES: "Reprise de patientèle d'une infirmière qui part en retraite.", NeedKind.HOUSING_LONG: ""},
        CaseStatus.SUBMITTED,
        2,
    ),
    DemoCase(
        "Thomas",
        "Girard",
        Profession.PHYSIOTHERAPIST,
        "",
        CurrentSituation.LIBERAL,
        StructureType.GROUP,
        {NeedKind.GROUP_PRACTICE: "Rejoindre un cabinet de groupe ou une MSP.", NeedKind.SPOUSE_JOB: ""},
        CaseStatus.SUBMITTED,
        12,
        household={"household_consent": True, "spouse_profession": "Professeure des écoles", "children_ages": [4, 7]},
    ),
    DemoCase(
        "Inès",
        "Haddad",
        Profession.INTERN,
        "Médecine générale",
        CurrentSituation.INTERN,
        StructureType.UNDECIDED,
        {NeedKind.DISCOVERY: "Découvrir le territoire avant la fin de l'internat.", NeedKind.HOUSING_SHORT: ""},
        CaseStatus.WAITING_APPLICANT,
        35,
        contact_after_days=1,
        message="Pouvez-vous nous indiquer les dates de votre prochain semestre ?",
    ),
    DemoCase(
        "Marc",
        "Lefèvre",
        Profession.DOCTOR_GP,
        "Médecine générale",
        CurrentSituation.REPLACEMENT,
        StructureType.MSP,
        {NeedKind.PREMISES: "", NeedKind.FINANCIAL_AIDS: "", NeedKind.CHILDCARE: "Crèche pour un enfant de 2 ans."},
        CaseStatus.SETTLED,
        420,
        contact_after_days=3,
        settle_after_days=40,
        household={"household_consent": True, "children_ages": [2]},
        message="Bienvenue ! Voici les coordonnées de la MSP qui recrute.",
    ),
    DemoCase(
        "Aurélie",
        "Caron",
        Profession.MIDWIFE,
        "",
        CurrentSituation.SALARIED,
        StructureType.INDIVIDUAL,
        {NeedKind.PREMISES: "", NeedKind.ADMIN_STEPS: "Conventionnement CPAM."},
        CaseStatus.SETTLED,
        130,
        contact_after_days=4,
        settle_after_days=60,
        message="Le local de la mairie est disponible à partir du 1er du mois.",
        refer=NeedKind.ADMIN_STEPS,
    ),
    DemoCase(
        "Paul",
        "Renard",
        Profession.DENTIST,
        "",
        CurrentSituation.LIBERAL,
        StructureType.GROUP,
        {NeedKind.PREMISES: ""},
        CaseStatus.WITHDRAWN,
        80,
        contact_after_days=6,
        message="Avez-vous pu visiter le cabinet ?",
    ),
    DemoCase(
        "Sarah",
        "Nguyen",
        Profession.SPEECH_THERAPIST,
        "",
        CurrentSituation.STUDENT,
        StructureType.UNDECIDED,
        {NeedKind.DISCOVERY: ""},
        CaseStatus.CLOSED,
        200,
        contact_after_days=9,
        message="Nous restons à votre disposition pour la suite de votre projet.",
    ),
    DemoCase(
        "Hugo",
        "Marchand",
        Profession.DOCTOR_SPECIALIST,
        "Pédiatrie",
        CurrentSituation.SALARIED,
        StructureType.HOSPITAL,
        {NeedKind.SPOUSE_JOB: "", NeedKind.HOUSING_LONG: ""},
        CaseStatus.UNCONFIRMED,
        1,
    ),
)


def _aids(territory, communes):
    doctors_zip = set(
        CommuneZoning.objects.filter(
            commune__in=communes, profession=ZoningProfession.DOCTORS, zone=ArsZone.ZIP
        ).values_list("commune_id", flat=True)
    )
    zip_communes = [c for c in communes if c.pk in doctors_zip]
    catalogue = [
        dict(
            name="Contrat d'aide à l'installation des médecins (CAIM)",
            funder=Funder.CPAM,
            amount=50000,
            amount_note="versés en deux fois, contre un engagement d'exercice de 5 ans",
            conditions="Installation en libéral dans une commune en zone d'intervention prioritaire, activité "
            "en groupe ou en CPTS.",
            professions=[Profession.DOCTOR_GP, Profession.DOCTOR_SPECIALIST],
            zones=[ArsZone.ZIP],
            link="https://www.ameli.fr/",
        ),
        dict(
            name="Prime d'installation du territoire",
            funder=Funder.EPCI if territory.kind != "departement" else Funder.DEPARTEMENT,
            amount=10000,
            amount_note="versée à l'ouverture du cabinet",
            conditions="Première installation sur le territoire, exercice d'au moins 3 ans.",
            professions=[],
            # Each profession's own under-served zones: ZIP/ZAC for doctors, "(très) sous-dotée" for others.
            zones=[ArsZone.ZIP, ArsZone.ZAC, ArsZone.VERY_UNDERSERVED, ArsZone.UNDERSERVED],
            link="",
        ),
        dict(
            name="Aide au logement des internes",
            funder=Funder.DEPARTEMENT,
            amount=300,
            amount_note="par mois pendant le semestre",
            conditions="Stage d'internat chez un maître de stage du territoire.",
            professions=[Profession.INTERN, Profession.EXTERN],
            zones=[],
            link="",
        ),
        dict(
            name="Contrat d'aide à l'installation des infirmiers (CAII)",
            funder=Funder.CPAM,
            amount=27500,
            amount_note="sur 5 ans",
            conditions="Installation en libéral en zone très sous-dotée.",
            professions=[Profession.NURSE, Profession.IPA],
            zones=[ArsZone.VERY_UNDERSERVED],
            link="https://www.ameli.fr/",
        ),
    ]
    for values in catalogue:
        # Updated in place: a demo seeded before the per-profession zoning gets its aids' zones right.
        aid, _created = Aid.objects.update_or_create(territory=territory, name=values.pop("name"), defaults=values)
    if zip_communes:
        loyer, _created = Aid.objects.get_or_create(
            territory=territory,
            name="Loyer du cabinet offert la première année",
            defaults={
                "funder": Funder.COMMUNE,
                "amount": 6000,
                "conditions": f"Proposée par la commune de {zip_communes[0].name}.",
                "zones": [],
            },
        )
        loyer.communes.add(zip_communes[0])


def _opportunities(territory, communes):
    commune = communes[0] if communes else None
    rows = [
        (OpportunityKind.PREMISES, "Cabinet médical de 22 m² dans une MSP", "Cabinet équipé, secrétariat partagé."),
        (OpportunityKind.PRACTICE_TAKEOVER, "Patientèle de médecin généraliste à reprendre", "Départ en retraite."),
        (OpportunityKind.HOUSING, "Logement meublé pour internes et remplaçants", "Studio meublé, 6 mois."),
    ]
    if territory.slug == "cotentin":
        rows.append(
            (
                OpportunityKind.HOSPITAL_POST,
                "Cardiologue — poste partagé CHPC et Polyclinique du Cotentin",
                "Recrutement commun du GCS Partenaires Santé du Cotentin : activité partagée entre le centre "
                "hospitalier public et la polyclinique, plateau technique commun.",
            )
        )
    for kind, title, description in rows:
        Opportunity.objects.get_or_create(
            territory=territory,
            title=title,
            defaults={
                "kind": kind,
                "commune": commune,
                "description": description,
                "contact_name": "Guichet unique santé",
                "contact_email": territory.contact_email,
                "published": True,
                "published_at": timezone.now() - datetime.timedelta(days=20),
            },
        )


def _demo_email(spec: DemoCase) -> str:
    ascii_name = unicodedata.normalize("NFKD", f"{spec.first_name}.{spec.last_name}").encode("ascii", "ignore")
    return f"{ascii_name.decode().lower()}@exemple.fr"


def _user_with_role(territory, role):
    membership = (
        Membership.objects.for_territory(territory).filter(role=role).select_related("user", "organisation").first()
    )
    return membership


def _build_case(territory, spec: DemoCase, number: int, communes, coordinator, partner_membership, professional):
    key = f"demo-{territory.slug}-{number}"
    if Case.objects.for_territory(territory).filter(idempotency_key=key).exists():
        return
    actor = professional if spec.account else None
    case = case_submit(
        territory=territory,
        actor=actor,
        email="" if actor else _demo_email(spec),
        idempotency_key=key,
        first_name=spec.first_name,
        last_name=spec.last_name,
        profession=spec.profession,
        specialty=spec.specialty,
        current_situation=spec.situation,
        target_communes=communes[number % len(communes) : number % len(communes) + 2] if communes else (),
        planned_date=timezone.localdate() + datetime.timedelta(days=120),
        practice_mode=PracticeMode.LIBERAL if spec.structure != StructureType.HOSPITAL else PracticeMode.SALARIED,
        structure_type=spec.structure,
        project_description="Projet d'installation décrit lors du premier échange.",
        needs=spec.needs,
        **spec.household,
    )
    if spec.status == CaseStatus.UNCONFIRMED:
        _date_back(case, spec)
        return
    if case.status == CaseStatus.UNCONFIRMED:
        case = case_confirm_email(token=case_confirmation_token(case))
    if spec.status != CaseStatus.SUBMITTED:
        case_take_charge(actor=coordinator, case=case)
        if spec.message:
            message_post(actor=coordinator, case=case, body=spec.message)
        if spec.note:
            note_add(actor=coordinator, case=case, body=spec.note)
        if spec.refer and partner_membership is not None and partner_membership.organisation_id:
            need = case.needs.get(kind=spec.refer)
            need_refer(
                actor=coordinator,
                need=need,
                organisation=partner_membership.organisation,
                referent=partner_membership.user,
                message="Pouvez-vous accompagner ce professionnel dans ses démarches ?",
                # The demo applicant agreed: the partner's page shows how to reach them.
                contact_consent=True,
            )
        if spec.answer and case.applicant is not None:
            message_post(actor=case.applicant, case=case, body=spec.answer)
    if spec.status == CaseStatus.WAITING_APPLICANT:
        case_wait_for_applicant(actor=coordinator, case=case)
    elif spec.status == CaseStatus.SETTLED:
        assert spec.settle_after_days is not None, "a settled case says after how many days"
        settled_on = (timezone.now() - datetime.timedelta(days=spec.age_days - spec.settle_after_days)).date()
        case.needs.exclude(state=NeedState.REFERRED).update(state=NeedState.DONE)
        case_settle(actor=coordinator, case=case, settlement_date=settled_on, commune=communes[0])
    elif spec.status == CaseStatus.WITHDRAWN:
        # Without an account, the applicant said it on the phone and the coordinator records it.
        case_withdraw(actor=case.applicant or coordinator, case=case, reason="Projet reporté.")
    elif spec.status == CaseStatus.CLOSED:
        case_close(actor=coordinator, case=case, reason="Pas de réponse après trois relances.")
    _date_back(case, spec)


def _date_back(case: Case, spec: DemoCase) -> None:
    """Moves the case back in time so that the dashboard and the lists look lived in."""
    now = timezone.now()
    submitted = now - datetime.timedelta(days=spec.age_days)
    delta = submitted - case.submitted_at
    values = {"submitted_at": submitted, "created_at": submitted}
    for name in ("confirmed_at", "status_changed_at", "last_contact_at", "awaiting_reply_since", "closed_at"):
        if getattr(case, name) is not None:
            values[name] = getattr(case, name) + delta
    if spec.contact_after_days is not None and case.first_contact_at:
        values["first_contact_at"] = submitted + datetime.timedelta(days=spec.contact_after_days)
        values["last_contact_at"] = values["first_contact_at"]
    if spec.settle_after_days is not None and case.settled_at:
        values["settled_at"] = submitted + datetime.timedelta(days=spec.settle_after_days)
        values["closed_at"] = values["settled_at"]
        values["status_changed_at"] = values["settled_at"]
    elif case.closed_at:
        values["closed_at"] = values["status_changed_at"] = submitted + datetime.timedelta(
            days=max(spec.age_days // 2, 1)
        )
    if spec.status == CaseStatus.SUBMITTED:
        values["awaiting_reply_since"] = submitted
    Case.objects.filter(pk=case.pk).update(**values)
    for model in (CaseEvent, Message, Note):
        model.objects.filter(case=case).update(created_at=F("created_at") + delta)
    # An update() sends no signal: the territory's cached counts and figures are made stale here.
    list_cache.changed(case.territory_id)


def build(*, territories) -> None:
    professional = User.objects.filter(email="medecin@guichet.demo").first()
    for territory in territories.values():
        communes = list(territory.communes.order_by("-population")[:6])
        if not communes:
            continue
        _aids(territory, communes)
        _opportunities(territory, communes)
        coordinator_membership = _user_with_role(territory, Role.COORDINATOR)
        if coordinator_membership is None:
            continue
        partner_membership = _user_with_role(territory, Role.PARTNER)
        for number, spec in enumerate(CASES, start=1):
            if spec.account and (professional is None or territory.slug != "cotentin"):
                spec = DemoCase(**{**spec.__dict__, "account": False})
            _build_case(
                territory, spec, number, communes, coordinator_membership.user, partner_membership, professional
            )
