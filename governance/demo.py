"""Demo data of the governance app (hook `demo_data` on GovernanceConfig, see portal/demo.py).

- Cotentin: the Conseil de santé du Cotentin and its Collège des professionnels (axe I of the
  Cotentin plan), two plenary sessions a year with their minutes and deliberations, three working
  groups co-piloted by an agent and a professional, next spring's session, and last year's annual
  report, sent to the community council which took note of it.
- Agen: the CLS action plan of the Agglomération d'Agen (its three operational objectives and the
  actions of its white paper) with indicators, and its Conseil local de santé mentale.

Idempotent: rows are found by natural keys, and documents are only requested when missing.
People's names are fictitious; institutions and actions come from the seed plans.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from governance.enums import (
    ActionStatus,
    Attendance,
    BodyKind,
    DeliberationKind,
    MeetingKind,
    MeetingStatus,
    MemberCategory,
    Outcome,
    Position,
)
from governance.models import (
    ActionAxis,
    ActionSheet,
    AgendaItem,
    AnnualReport,
    Body,
    College,
    Deliberation,
    Indicator,
    IndicatorValue,
    Mandate,
    Meeting,
    Participation,
    ProgressNote,
    WorkingGroup,
)
from governance.services.annual_report import report_request
from governance.services.convocations import reply_record
from governance.services.meetings import attendance_record, minutes_publish
from governance.services.register import deliberation_record
from portal.models import User

MANDATE_START = dt.date(2024, 1, 1)

# (organisation as named by the portal seed, representative, category, voting)
COTENTIN_SEATS = (
    ("Centre hospitalier public du Cotentin (CHPC)", "Dr Hélène Marie", MemberCategory.HOSPITAL, True),
    ("Polyclinique du Cotentin", "Dr François Lebrun", MemberCategory.HOSPITAL, True),
    ("GCS Partenaires Santé du Cotentin", "Claire Hamel", MemberCategory.COORDINATION, True),
    ("URML Normandie", "Dr Antoine Leroux", MemberCategory.LIBERAL, True),
    (
        "Conseil départemental de l'Ordre des médecins de la Manche",
        "Dr Jeanne Osmont",
        MemberCategory.INSTITUTION,
        True,
    ),
    ("Conseil départemental de la Manche", "Marc Lemonnier", MemberCategory.INSTITUTION, True),
    ("ARS Normandie", "Isabelle Dupont", MemberCategory.INSTITUTION, False),
    ("CPAM de la Manche", "Yann Le Goff", MemberCategory.INSTITUTION, False),
)
# Professionals of the Collège without an account in the portal.
COTENTIN_CO_CHAIR = "Dr Pierre Lemaître, médecin généraliste, PSLA de la Hague"
COTENTIN_PROFESSIONALS = (
    ("Anne Férey, infirmière libérale", MemberCategory.LIBERAL),
    ("Dr Julie Vautier, MSP de Valognes", MemberCategory.PSLA_MSP),
    ("Thomas Lecanu, masseur-kinésithérapeute", MemberCategory.LIBERAL),
    ("Sylvie Roger, directrice d'EHPAD", MemberCategory.MEDICO_SOCIAL),
    ("Centre de santé de Cherbourg-en-Cotentin (représentant salarié)", MemberCategory.SALARIED),
)

COTENTIN_GROUPS = (
    (
        "Attractivité et accueil des internes",
        "Démographie médicale et attractivité",
        "Accueillir les internes (logement, soirées d'accueil), faire connaître le territoire aux jeunes "
        "professionnels et accompagner leur installation.",
    ),
    (
        "Exercice coordonné et regroupements",
        "MSP, PSLA et centres de santé",
        "Accompagner les projets de regroupement des professionnels et éclairer le Conseil de santé sur les "
        "projets sollicitant un soutien de l'agglomération.",
    ),
    (
        "Télésanté et coopérations",
        "Outils de coopération et de télésanté",
        "Recenser les usages de téléconsultation et de téléexpertise et déployer les protocoles de coopération.",
    ),
)

# Agen's action plan: (axis title, [(code, title, pilot, partners, public, budget, funders, status)])
AGEN_PLAN = (
    (
        "Devenir un territoire d'accueil privilégié",
        (
            (
                "1.1",
                "Co-construire avec l'ARS un guichet unique pour les professionnels de santé",
                "Service santé de l'Agglomération",
                "ARS, CPAM, Ordre des médecins",
                "Professionnels de santé",
                "25000",
                "Agglomération, ARS",
                ActionStatus.IN_PROGRESS,
            ),
            (
                "1.2",
                "Accueillir les internes et les professionnels de santé à 360°",
                "Service santé de l'Agglomération",
                "Faculté de Bordeaux, CH Agen-Nérac",
                "Internes",
                "12000",
                "Agglomération",
                ActionStatus.IN_PROGRESS,
            ),
            (
                "1.3",
                "Créer une Maison des internes",
                "Agglomération d'Agen",
                "CH Agen-Nérac, ARS",
                "Internes",
                "180000",
                "Agglomération, Région, ARS",
                ActionStatus.PLANNED,
            ),
            (
                "1.4",
                "Accompagner le développement de la CPTS",
                "CPTS",
                "URPS, CPAM, ARS",
                "Professionnels libéraux",
                "8000",
                "ARS, CPAM",
                ActionStatus.IN_PROGRESS,
            ),
            (
                "1.5",
                "Créer un Club Santé et des afterworks",
                "Service santé de l'Agglomération",
                "Professionnels de santé du territoire",
                "Professionnels et internes",
                "5000",
                "Agglomération",
                ActionStatus.DONE,
            ),
        ),
    ),
    (
        "Agir en faveur de la prévention : rendre le citoyen acteur de sa santé",
        (
            (
                "2.1",
                "Créer les Mercredis de la santé",
                "Service santé de l'Agglomération",
                "Ligue contre le cancer, IREPS, CPIE",
                "Tout public",
                "6000",
                "Agglomération, ARS",
                ActionStatus.IN_PROGRESS,
            ),
            (
                "2.2",
                "Former aux premiers secours et aux accidents domestiques",
                "Ville d'Agen",
                "Associations de secourisme",
                "Habitants",
                "4000",
                "Ville d'Agen",
                ActionStatus.IN_PROGRESS,
            ),
            (
                "2.3",
                "Créer les prémices de l'Université de la santé",
                "Agglomération d'Agen",
                "Université de Bordeaux",
                "Tout public",
                "10000",
                "Agglomération",
                ActionStatus.PLANNED,
            ),
        ),
    ),
    (
        "Devenir un territoire d'expérimentation en santé",
        (
            (
                "3.1",
                "Développer une télémédecine organisée et locale avec le GHT",
                "GHT de Lot-et-Garonne",
                "CH Agen-Nérac, médecins libéraux",
                "Patients",
                "40000",
                "ARS, GHT",
                ActionStatus.PLANNED,
            ),
            (
                "3.2",
                "Donner une entité juridique au CLS en créant un GIP Santé",
                "Agglomération d'Agen",
                "Signataires du CLS",
                "Partenaires du CLS",
                "",
                "",
                ActionStatus.SUSPENDED,
            ),
        ),
    ),
)
# code -> (indicator, unit, [(year, target, measured)])
AGEN_INDICATORS = {
    "1.1": ("Professionnels accompagnés par le guichet unique", "pers.", [(2025, 30, 24), (2026, 40, 31)]),
    "1.2": ("Internes accueillis lors des soirées d'accueil", "internes", [(2025, 60, 58), (2026, 70, 64)]),
    "1.4": ("Professionnels adhérents de la CPTS", "pers.", [(2025, 120, 104), (2026, 150, 139)]),
    "1.5": ("Afterworks organisés", "rencontres", [(2025, 6, 6), (2026, 6, 5)]),
    "2.1": ("Participants aux Mercredis de la santé", "pers.", [(2025, 400, 352), (2026, 500, 468)]),
    "2.2": ("Habitants formés aux premiers secours", "pers.", [(2025, 150, 171), (2026, 200, 188)]),
}


def _local(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _mandate(territory, body, *, college=None, start=MANDATE_START, **seat) -> Mandate:
    key = {k: v for k, v in seat.items() if k in ("user", "organisation", "person_name")}
    mandate = Mandate.objects.for_territory(territory).filter(body=body, **key).first()
    if mandate is None:
        mandate = Mandate.objects.create(territory=territory, body=body, college=college, start_date=start, **seat)
    return mandate


def _cotentin(territories) -> None:
    territory = territories["cotentin"]
    coordinator = _user("coordination@cotentin.demo")
    elected = _user("elu@cotentin.demo")
    body, _ = Body.objects.get_or_create(
        territory=territory,
        name="Conseil de santé du Cotentin",
        defaults={
            "kind": BodyKind.HEALTH_COUNCIL,
            "description": (
                "Se substituant au Comité de pilotage Attractivité, le Conseil de santé du Cotentin dote les "
                "échanges entre professionnels et collectivité d'un cadre. Il est co-animé par le Vice-Président de "
                "l'agglomération et un professionnel de santé, se réunit deux fois par an en séance plénière et "
                "adopte un programme de travail déployé par des groupes de travail."
            ),
        },
    )
    college, _ = College.objects.get_or_create(
        territory=territory,
        body=body,
        name="Collège des professionnels",
        defaults={"description": "Représentants de l'ensemble des acteurs du soin du territoire."},
    )
    mandates = [
        _mandate(territory, body, user=elected, category=MemberCategory.ELECTED, position=Position.CO_CHAIR),
        _mandate(
            territory,
            body,
            user=coordinator,
            category=MemberCategory.INSTITUTION,
            position=Position.SECRETARY,
            is_voting=False,
        ),
    ]
    # The professional co-chair, designated by the Collège among its members.
    mandates.append(
        _mandate(
            territory,
            body,
            college=college,
            person_name=COTENTIN_CO_CHAIR,
            category=MemberCategory.PSLA_MSP,
            position=Position.CO_CHAIR,
        )
    )
    mandates.append(
        _mandate(territory, body, college=college, user=_user("conseil@cotentin.demo"), category=MemberCategory.LIBERAL)
    )
    for organisation_name, person, category, voting in COTENTIN_SEATS:
        organisation = territories.organisation(territory, organisation_name)
        in_college = category in (MemberCategory.HOSPITAL, MemberCategory.COORDINATION, MemberCategory.LIBERAL)
        mandates.append(
            _mandate(
                territory,
                body,
                college=college if in_college else None,
                organisation=organisation,
                person_name=person,
                category=category,
                is_voting=voting,
            )
        )
    for person, category in COTENTIN_PROFESSIONALS[:-1]:
        mandates.append(_mandate(territory, body, college=college, person_name=person, category=category))
    # A member who left at the end of 2024: the composition of past dates keeps them.
    former = _mandate(
        territory,
        body,
        college=college,
        person_name="Dr Michel Anquetil, médecin retraité",
        category=MemberCategory.LIBERAL,
        start=dt.date(2022, 1, 1),
    )
    if former.end_date is None:
        former.end_date = dt.date(2024, 12, 31)
        former.save(update_fields=["end_date"])
    person, category = COTENTIN_PROFESSIONALS[-1]
    mandates.append(
        _mandate(territory, body, college=college, person_name=person, category=category, start=dt.date(2025, 6, 1))
    )

    groups = []
    for index, (name, theme, objectives) in enumerate(COTENTIN_GROUPS):
        group, _ = WorkingGroup.objects.get_or_create(
            territory=territory,
            body=body,
            name=name,
            defaults={
                "theme": theme,
                "objectives": objectives,
                "agent_pilot": coordinator,
                "professional_pilot": mandates[2 + index],
            },
        )
        group.members.add(*mandates[2 + index : 6 + index])
        groups.append(group)

    this_year = timezone.localdate().year
    sessions = []
    for year in (this_year - 1, this_year):
        for month, day, title, items in (
            (
                3,
                12,
                "Séance plénière de printemps",
                [
                    "Bilan de l'année écoulée",
                    "Adoption du programme de travail",
                    "Avis sur les projets de regroupement",
                ],
            ),
            (10, 8, "Séance plénière d'automne", ["Avancement des groupes de travail", "Préparation du bilan annuel"]),
        ):
            sessions.append(
                (
                    year,
                    _session(
                        territory, body, coordinator, dt.date(year, month, day), f"{title} {year}", items, mandates
                    ),
                )
            )
    for year, meeting in sessions:
        _session_deliberations(territory, body, coordinator, meeting, year)
    for group_index, group in enumerate(groups):
        for year in (this_year - 1, this_year):
            ProgressNote.objects.get_or_create(
                territory=territory,
                working_group=group,
                written_on=dt.date(year, 6, 15),
                defaults={
                    "author": coordinator,
                    "text": (
                        "Trois réunions du groupe ; diagnostic partagé et premières propositions remises au Conseil."
                        if group_index != 1
                        else "Deux projets de maison de santé suivis ; avis préparé pour la séance plénière."
                    ),
                },
            )
            start = _local(dt.date(year, 5, 20 + group_index), 14)
            Meeting.objects.get_or_create(
                territory=territory,
                body=body,
                working_group=group,
                starts_at=start,
                defaults={
                    "kind": MeetingKind.WORKING_GROUP,
                    "title": f"Réunion du groupe « {group.name} »",
                    "ends_at": start + dt.timedelta(hours=2),
                    "status": MeetingStatus.HELD,
                    "place": "Hôtel de l'agglomération, Cherbourg-en-Cotentin",
                },
            )
    next_spring = _local(dt.date(this_year + 1, 3, 11), 18)
    upcoming, created = Meeting.objects.get_or_create(
        territory=territory,
        body=body,
        title=f"Séance plénière de printemps {this_year + 1}",
        defaults={
            "kind": MeetingKind.PLENARY,
            "starts_at": next_spring,
            "ends_at": next_spring + dt.timedelta(hours=2),
            "place": "Hôtel de l'agglomération, 8 rue des Vindits, Cherbourg-en-Cotentin",
        },
    )
    if created:
        AgendaItem.objects.create(
            territory=territory, meeting=upcoming, order=1, title="Adoption du programme de travail"
        )

    report, _ = AnnualReport.objects.get_or_create(
        territory=territory,
        body=body,
        year=this_year - 1,
        defaults={"sent_to_council_at": dt.date(this_year, 2, 5), "noted_at": dt.date(this_year, 3, 26)},
    )
    if report.document_id is None:
        report_request(actor=coordinator, body=body, year=this_year - 1)


def _session(territory, body, coordinator, day, title, agenda, mandates) -> Meeting:
    start = _local(day, 18)
    meeting, created = Meeting.objects.get_or_create(
        territory=territory,
        body=body,
        title=title,
        defaults={
            "kind": MeetingKind.PLENARY,
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
            "place": "Hôtel de l'agglomération, 8 rue des Vindits, Cherbourg-en-Cotentin",
            "status": MeetingStatus.CONVENED,
            "convened_at": start - dt.timedelta(days=21),
        },
    )
    if not created:
        return meeting
    AgendaItem.objects.bulk_create(
        AgendaItem(territory=territory, meeting=meeting, order=i, title=item) for i, item in enumerate(agenda, 1)
    )
    invited = [m for m in mandates if m.start_date <= day]
    participations = Participation.objects.bulk_create(
        Participation(territory=territory, meeting=meeting, mandate=m, convened_at=meeting.convened_at) for m in invited
    )
    # Most attend; every fifth member is excused, one gives a proxy to the co-chair.
    attendance: dict[int, str] = {}
    for index, participation in enumerate(participations):
        attendance[participation.pk] = Attendance.ABSENT if index % 5 == 4 else Attendance.PRESENT
    proxy = participations[-2]
    reply_record(actor=coordinator, participation=proxy, reply="represented", represented_by=participations[0].mandate)
    attendance[proxy.pk] = Attendance.REPRESENTED
    attendance[participations[0].pk] = Attendance.PRESENT
    attendance_record(actor=coordinator, meeting=meeting, attendance=attendance)
    meeting.minutes = (
        f"La séance est ouverte à 18 h par les co-présidents. Le quorum est atteint.\n\n"
        f"{agenda[0]} : le secrétariat présente les travaux de l'année et les chiffres du guichet santé.\n\n"
        f"{agenda[1]} : les échanges portent sur l'accueil des internes, les projets de maisons de santé "
        f"et le déploiement de la télésanté.\n\nLa séance est levée à 20 h."
    )
    meeting.save(update_fields=["minutes"])
    minutes_publish(actor=coordinator, meeting=meeting)
    return meeting


def _session_deliberations(territory, body, coordinator, meeting, year) -> None:
    if Deliberation.objects.for_territory(territory).filter(meeting=meeting).exists():
        return
    present = meeting.participations.filter(
        attendance__in=[Attendance.PRESENT, Attendance.REPRESENTED], mandate__is_voting=True
    ).count()
    if meeting.starts_at.month == 3:
        deliberation_record(
            actor=coordinator,
            body=body,
            meeting=meeting,
            kind=DeliberationKind.DELIBERATION,
            title=f"Adoption du programme de travail {year}",
            decided_on=meeting.starts_at.date(),
            votes_for=present,
            outcome=Outcome.ADOPTED,
        )
        deliberation_record(
            actor=coordinator,
            body=body,
            meeting=meeting,
            kind=DeliberationKind.OPINION,
            title="Avis sur le projet de maison de santé pluriprofessionnelle de Valognes sollicitant un fonds "
            "de concours de l'agglomération",
            decided_on=meeting.starts_at.date(),
            votes_for=present - 2,
            votes_against=0,
            abstentions=2,
            outcome=Outcome.FAVOURABLE,
        )
    else:
        deliberation_record(
            actor=coordinator,
            body=body,
            meeting=meeting,
            kind=DeliberationKind.OPINION,
            title="Avis sur le projet de pôle de santé libéral et ambulatoire de la Hague",
            decided_on=meeting.starts_at.date(),
            votes_for=present - 3,
            votes_against=1,
            abstentions=2,
            outcome=Outcome.FAVOURABLE,
        )


def _agen(territories) -> None:
    territory = territories["agen"]
    for number, (axis_title, actions) in enumerate(AGEN_PLAN, start=1):
        axis, _ = ActionAxis.objects.get_or_create(territory=territory, number=number, defaults={"title": axis_title})
        for code, title, pilot, partners, public, budget, funders, status in actions:
            sheet, _ = ActionSheet.objects.get_or_create(
                territory=territory,
                code=code,
                defaults={
                    "axis": axis,
                    "title": title,
                    "pilot": pilot,
                    "partners": partners,
                    "target_public": public,
                    "budget": Decimal(budget) if budget else None,
                    "funders": funders,
                    "status": status,
                    "start_date": dt.date(2024, 1, 1),
                    "end_date": dt.date(2028, 12, 31),
                },
            )
            if code in AGEN_INDICATORS:
                name, unit, values = AGEN_INDICATORS[code]
                indicator, _ = Indicator.objects.get_or_create(
                    territory=territory, action=sheet, name=name, defaults={"unit": unit}
                )
                for year, target, measured in values:
                    IndicatorValue.objects.get_or_create(
                        territory=territory,
                        indicator=indicator,
                        year=year,
                        defaults={"target": Decimal(target), "measured": Decimal(measured)},
                    )
    clsm, _ = Body.objects.get_or_create(
        territory=territory,
        name="Conseil local de santé mentale de l'Agglomération d'Agen",
        defaults={
            "kind": BodyKind.CLSM,
            "description": (
                "Co-piloté par la Ville d'Agen et le Centre hospitalier départemental psychiatrique, le CLSM réunit "
                "chaque mois professionnels de la psychiatrie, de la sécurité, du social, des urgences et de la "
                "gérontologie autour de cas pratiques."
            ),
        },
    )
    _mandate(territory, clsm, user=_user("elu@agen.demo"), category=MemberCategory.ELECTED, position=Position.CO_CHAIR)
    _mandate(
        territory,
        clsm,
        organisation=territories.organisation(territory, "Centre hospitalier départemental La Candélie"),
        person_name="Dr Laure Castaing",
        category=MemberCategory.HOSPITAL,
        position=Position.CO_CHAIR,
    )
    _mandate(territory, clsm, user=_user("conseil@agen.demo"), category=MemberCategory.MEDICO_SOCIAL)


def build(*, territories) -> None:
    _cotentin(territories)
    _agen(territories)
