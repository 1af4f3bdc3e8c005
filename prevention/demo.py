"""Demo data of the prevention axis, from the seed plans (shared/seeds/): Agen's programme
(Mercredis de la santé next to blood donation, the monthly Université de la santé, first-aid
training, stands at big local events, health ambassadors, service sanitaire workshops) and the
Cotentin's inventory of its communes' initiatives, with a good practice replicated from Cherbourg
and shared with the other territories. Idempotent: rows are looked up by their natural keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from portal.enums import OrganisationKind
from portal.events.enums import EventAudience, EventStatus, RegistrationStatus
from portal.events.models import Event, Registration
from portal.models import Commune, Organisation, Territory
from prevention.enums import (
    AGENDA_EVENT_KIND,
    Audience,
    FundingSource,
    InitiativeStatus,
    InterventionStatus,
    SiteKind,
    StudentProgramme,
    Theme,
)
from prevention.models import (
    AgendaDetails,
    Ambassador,
    Funding,
    HealthStudent,
    Initiative,
    Intervention,
    InterventionSite,
    PreventionSettings,
    ReplicationSheet,
    StudentTeam,
)


def _communes(*codes: str) -> list[Commune]:
    return list(Commune.objects.filter(insee_code__in=codes))


def _organisation(territory: Territory, name: str, kind: str, insee: str = "") -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        territory=territory,
        name=name,
        defaults={"kind": kind, "commune": Commune.objects.filter(insee_code=insee).first() if insee else None},
    )
    return organisation


@dataclass(frozen=True)
class DemoInitiative:
    title: str
    theme: str
    communes: tuple[str, ...]
    carrier: str
    summary: str
    status: str = InitiativeStatus.ONGOING
    audiences: tuple[str, ...] = (Audience.GENERAL,)
    start: date | None = None
    budget: int | None = None
    cls: tuple[str, int] | None = None  # (action sheet code, amount of the CLS envelope)
    people_reached: int | None = None
    results: str = ""


def _initiative(territory: Territory, spec: DemoInitiative, carriers: dict[str, Organisation]) -> Initiative:
    initiative, _created = Initiative.objects.update_or_create(
        territory=territory,
        title=spec.title,
        defaults={
            "theme": spec.theme,
            "summary": spec.summary,
            "status": spec.status,
            "audiences": list(spec.audiences),
            "carrier": carriers.get(spec.carrier),
            "start_date": spec.start,
            "budget": Decimal(spec.budget) if spec.budget is not None else None,
            "people_reached": spec.people_reached,
            "results": spec.results,
        },
    )
    initiative.communes.set(_communes(*spec.communes))
    if spec.cls:
        code, amount = spec.cls
        Funding.objects.update_or_create(
            territory=territory,
            initiative=initiative,
            source=FundingSource.CLS_ENVELOPE,
            year=timezone.localdate().year,
            defaults={"amount": Decimal(amount), "cls_action_code": code},
        )
    return initiative


def _agenda_event(
    territory: Territory,
    *,
    title: str,
    theme: str,
    starts_at: datetime,
    hours: float,
    place: str,
    insee: str,
    description: str,
    capacity: int | None,
    organiser: Organisation | None,
    initiative: Initiative | None,
    attended: int = 0,
) -> Event:
    event, _created = Event.objects.get_or_create(
        territory=territory,
        kind=AGENDA_EVENT_KIND,
        title=title,
        defaults={
            "description": description,
            "audience": EventAudience.PUBLIC,
            "place": place,
            "commune": Commune.objects.filter(insee_code=insee).first(),
            "organiser": organiser,
            "capacity": capacity,
            "allow_anonymous": True,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=hours),
            "status": EventStatus.PUBLISHED,
        },
    )
    AgendaDetails.objects.update_or_create(
        territory=territory, event=event, defaults={"theme": theme, "initiative": initiative}
    )
    # A past event keeps its attendance figures (seeded: registration closed long ago).
    for n in range(attended - event.registrations.count()):
        Registration.objects.create(
            territory=territory,
            event=event,
            name=f"Participant {n + 1}",
            email=f"participant{n + 1}.{event.pk}@habitants.example",
            status=RegistrationStatus.REGISTERED,
            attended=True,
            attendance_recorded_at=event.ends_at,
            created_at=event.starts_at - timedelta(days=3),
        )
    return event


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _next_weekday(start: date, weekday: int, weeks: int = 0) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 + 7 * weeks)


AGEN_INITIATIVES = (
    DemoInitiative(
        title="Mercredis de la santé",
        theme=Theme.CHRONIC_DISEASES,
        communes=("47001",),
        carrier="Centre hospitalier Agen-Nérac",
        summary="Un atelier de santé publique le jour de la collecte de sang : dépistage, conseils, orientation "
        "vers un médecin traitant, sur un thème qui change chaque mois.",
        cls=("2.1", 6000),
        budget=9000,
        people_reached=420,
    ),
    DemoInitiative(
        title="Université de la santé",
        theme=Theme.OTHER,
        communes=("47001",),
        carrier="Centre hospitalier Agen-Nérac",
        summary="Une conférence ouverte à tous chaque mois sur un sujet de santé publique, dans l'esprit de "
        "l'éducation populaire.",
        cls=("2.3", 4500),
        budget=6000,
    ),
    DemoInitiative(
        title="Former les habitants aux premiers secours et aux accidents domestiques",
        theme=Theme.FIRST_AID,
        communes=("47001", "47031", "47201"),
        carrier="",
        summary="Des sessions PSC1 et des ateliers « bons gestes » avec les associations et les conseils de quartier.",
        cls=("2.2", 5000),
        audiences=(Audience.ADULTS, Audience.PARENTS),
        people_reached=96,
    ),
    DemoInitiative(
        title="Ateliers de prévention par les étudiants du service sanitaire",
        theme=Theme.NUTRITION,
        communes=("47001", "47015"),
        carrier="",
        summary="« L'apprentissage heureux » : des ateliers ludiques de bien-être menés par les étudiants "
        "infirmiers dans les écoles.",
        audiences=(Audience.CHILDREN,),
    ),
)

COTENTIN_INITIATIVES = (
    DemoInitiative(
        title="Parcours santé seniors",
        theme=Theme.AGEING,
        communes=("50129",),
        carrier="Centre hospitalier public du Cotentin (CHPC)",
        summary="Des ateliers équilibre, mémoire et nutrition pour les plus de 65 ans, dans les maisons de quartier "
        "de Cherbourg-en-Cotentin.",
        audiences=(Audience.SENIORS,),
        start=date(2024, 9, 1),
        budget=18000,
        cls=("4.1", 8000),
        people_reached=310,
        results="310 participants en deux ans ; 8 sur 10 disent avoir changé une habitude (enquête de fin de cycle).",
    ),
    DemoInitiative(
        title="Parcours santé seniors — Valognes",
        theme=Theme.AGEING,
        communes=("50615",),
        carrier="",
        summary="La reprise à Valognes du parcours santé seniors de Cherbourg-en-Cotentin.",
        status=InitiativeStatus.PLANNED,
        audiences=(Audience.SENIORS,),
    ),
    DemoInitiative(
        title="Mois sans tabac dans les entreprises",
        theme=Theme.ADDICTIONS,
        communes=("50129", "50402"),
        carrier="CPAM de la Manche",
        summary="Stands et consultations d'aide à l'arrêt dans les grandes entreprises du Nord-Cotentin en novembre.",
        audiences=(Audience.EMPLOYEES,),
    ),
    DemoInitiative(
        title="Sport sur ordonnance",
        theme=Theme.PHYSICAL_ACTIVITY,
        communes=("50129",),
        carrier="",
        summary="Activité physique adaptée prescrite par le médecin traitant, encadrée par des éducateurs sportifs.",
        audiences=(Audience.ADULTS,),
    ),
    DemoInitiative(
        title="Octobre rose au marché de Valognes",
        theme=Theme.CANCER_SCREENING,
        communes=("50615",),
        carrier="CPAM de la Manche",
        summary="Information sur le dépistage organisé du cancer du sein, prise de rendez-vous sur place.",
        status=InitiativeStatus.COMPLETED,
    ),
    DemoInitiative(
        title="Air intérieur dans les crèches",
        theme=Theme.ENVIRONMENTAL_HEALTH,
        communes=("50041",),
        carrier="",
        summary="Mesures de la qualité de l'air et conseils d'aération et d'entretien aux équipes des crèches.",
        audiences=(Audience.CHILDREN, Audience.PROFESSIONALS),
    ),
    DemoInitiative(
        title="Prévention des chutes à domicile",
        theme=Theme.HOME_ACCIDENTS,
        communes=("50082", "50562"),
        carrier="",
        summary="Visites de repérage des risques de chute au domicile des personnes âgées, avec les aides à domicile.",
        audiences=(Audience.SENIORS,),
    ),
)


def build(*, territories: Any) -> None:
    _build_agen(territories["agen"], territories)
    _build_cotentin(territories["cotentin"], territories)


def _build_agen(territory: Territory, territories: Any) -> None:
    hospital = territories.organisation(territory, "Centre hospitalier Agen-Nérac")
    ifsi = _organisation(territory, "IFSI d'Agen", OrganisationKind.NURSING_SCHOOL, "47001")
    carriers = {"Centre hospitalier Agen-Nérac": hospital}
    initiatives = {spec.title: _initiative(territory, spec, carriers) for spec in AGEN_INITIATIVES}
    today = timezone.localdate()

    mercredis = initiatives["Mercredis de la santé"]
    for weeks, subject, theme, attended in (
        (-5, "vaccination", Theme.VACCINATION, 38),
        (3, "bien manger pour pas cher", Theme.NUTRITION, 0),
        (7, "santé mentale des jeunes", Theme.MENTAL_HEALTH, 0),
    ):
        day = _next_weekday(today, 2, weeks) if weeks >= 0 else _next_weekday(today, 2) + timedelta(weeks=weeks)
        _agenda_event(
            territory,
            title=f"Mercredi de la santé : {subject}",
            theme=theme,
            starts_at=_at(day, 10),
            hours=6,
            place="Salle des fêtes, à côté de la collecte de sang",
            insee="47001",
            description="Atelier de santé publique pendant la collecte de sang de l'Établissement français du sang : "
            "venez avec vos questions, sans rendez-vous ni compte.",
            capacity=40,
            organiser=hospital,
            initiative=mercredis,
            attended=attended,
        )
    for months, subject, theme, attended in (
        (-1, "Le sommeil, un pilier de la santé", Theme.OTHER, 64),
        (1, "Perturbateurs endocriniens : ce qu'on sait", Theme.ENVIRONMENTAL_HEALTH, 0),
        (2, "Bien vieillir chez soi", Theme.AGEING, 0),
    ):
        day = _next_weekday(today.replace(day=1) + timedelta(days=31 * months), 3)
        _agenda_event(
            territory,
            title=f"Université de la santé : {subject}",
            theme=theme,
            starts_at=_at(day, 18, 30),
            hours=2,
            place="Théâtre Ducourneau, petite salle",
            insee="47001",
            description="Conférence ouverte à tous, suivie d'un échange avec la salle.",
            capacity=120,
            organiser=hospital,
            initiative=initiatives["Université de la santé"],
            attended=attended,
        )
    _agenda_event(
        territory,
        title="Formation aux premiers secours (PSC1)",
        theme=Theme.FIRST_AID,
        starts_at=_at(_next_weekday(today, 5, 2), 9),
        hours=7,
        place="Maison des associations",
        insee="47031",
        description="Une journée pour apprendre les gestes qui sauvent, avec un formateur agréé. Dix places.",
        capacity=10,
        organiser=None,
        initiative=initiatives["Former les habitants aux premiers secours et aux accidents domestiques"],
    )
    _agenda_event(
        territory,
        title="Stand santé à la Foire d'Agen",
        theme=Theme.ADDICTIONS,
        starts_at=_at(_next_weekday(today, 6, 4), 10),
        hours=8,
        place="Parc des expositions, allée centrale",
        insee="47001",
        description="Tests de monoxyde de carbone, conseils d'arrêt du tabac et informations sur les dépistages.",
        capacity=None,
        organiser=None,
        initiative=None,
    )

    for first, last, insee, themes, relays in (
        ("Fatima", "Benhaddou", "47001", [Theme.NUTRITION, Theme.PHYSICAL_ACTIVITY], "Centre social de Montanou"),
        ("Jean-Luc", "Castaing", "47031", [Theme.AGEING, Theme.HOME_ACCIDENTS], "Club des aînés"),
        ("Léa", "Dupuy", "47201", [Theme.SEXUAL_HEALTH, Theme.ADDICTIONS], "Mission locale"),
        ("Marc", "Sabathé", "47015", [Theme.FIRST_AID], "Comité des fêtes"),
    ):
        Ambassador.objects.update_or_create(
            territory=territory,
            first_name=first,
            last_name=last,
            defaults={"commune": Commune.objects.get(insee_code=insee), "themes": themes, "relays": relays},
        )
    _sanitary_service(
        territory,
        school=ifsi,
        programme=StudentProgramme.NURSING,
        sites=(
            ("École élémentaire Jasmin", SiteKind.SCHOOL, "47001", Theme.NUTRITION),
            ("École de Laplume", SiteKind.SCHOOL, "47137", Theme.PHYSICAL_ACTIVITY),
            ("EHPAD de Boé", SiteKind.EHPAD, "47031", Theme.AGEING),
        ),
    )


def _build_cotentin(territory: Territory, territories: Any) -> None:
    carriers = {
        name: territories.organisation(territory, name)
        for name in ("Centre hospitalier public du Cotentin (CHPC)", "CPAM de la Manche")
    }
    initiatives = {spec.title: _initiative(territory, spec, carriers) for spec in COTENTIN_INITIATIVES}
    original = initiatives["Parcours santé seniors"]
    ReplicationSheet.objects.update_or_create(
        territory=territory,
        initiative=original,
        defaults={
            "why_it_works": "Des ateliers courts, près de chez soi, animés par des professionnels connus des "
            "participants ; le bouche-à-oreille fait le reste.",
            "key_steps": "1. Trouver une salle de quartier accessible.\n2. Conventionner avec le CHPC pour les "
            "animateurs.\n3. Faire connaître par les CCAS et les médecins traitants.\n4. Cycle de 8 séances.",
            "resources_needed": "Une salle, deux animateurs par séance, environ 2 000 € par cycle.",
            "pitfalls": "Ne pas programmer en période de vacances scolaires (les grands-parents gardent).",
            "contact": "Direction de la santé, Communauté d'agglomération du Cotentin",
        },
    )
    copy = initiatives["Parcours santé seniors — Valognes"]
    if copy.replicated_from_id != original.pk:
        copy.replicated_from = original
        copy.save(update_fields=["replicated_from"])
    PreventionSettings.objects.update_or_create(
        territory=territory, defaults={"share_good_practices": True, "shared_since": timezone.now()}
    )
    _sanitary_service(
        territory,
        school=territories.organisation(territory, "UFR Santé de l'Université de Caen Normandie"),
        programme=StudentProgramme.MEDICINE,
        sites=(
            ("Collège Félix-Buhot", SiteKind.MIDDLE_SCHOOL, "50615", Theme.ADDICTIONS),
            ("EHPAD Le Gros Hêtre", SiteKind.EHPAD, "50129", Theme.AGEING),
            ("Association Itinérance", SiteKind.ASSOCIATION, "50129", Theme.SEXUAL_HEALTH),
        ),
    )


def _sanitary_service(
    territory: Territory, *, school: Organisation, programme: str, sites: tuple[tuple[str, str, str, str], ...]
) -> None:
    today = timezone.localdate()
    year = today.year if today.month >= 9 else today.year - 1
    start = date(year + 1, 2, 2)
    for number, (name, kind, insee, theme) in enumerate(sites, start=1):
        site, _created = InterventionSite.objects.update_or_create(
            territory=territory,
            name=name,
            defaults={"kind": kind, "commune": Commune.objects.get(insee_code=insee), "themes": [theme]},
        )
        team, _created = StudentTeam.objects.get_or_create(
            territory=territory, academic_year=year, name=f"Équipe {number}"
        )
        for first, last in (("Inès", f"Martin-{number}"), ("Hugo", f"Leroy-{number}"), ("Chloé", f"Petit-{number}")):
            HealthStudent.objects.update_or_create(
                territory=territory,
                academic_year=year,
                first_name=first,
                last_name=last,
                defaults={"programme": programme, "school": school, "team": team},
            )
        Intervention.objects.update_or_create(
            territory=territory,
            team=team,
            site=site,
            defaults={
                "theme": theme,
                "starts_on": start + timedelta(weeks=2 * (number - 1)),
                "ends_on": start + timedelta(weeks=2 * (number - 1), days=4),
                "status": InterventionStatus.PLANNED,
            },
        )
