"""Demo data of training's programmes (hook `demo_data`, see portal/demo.py), from the seed plans:

- Agen: the interns' welcome evening at each semester's start (November and May, white paper:
  "un moment d'accueil personnalisé… pour les nouveaux internes"), a "Club Santé" evening, and
  the first-aid training of the mandate's commitment n°23.
- Cotentin (axis II.3 of its plan): supervisor training and a telehealth session for
  professionals; study grants with tutoring. The amount and the commitment are Corrèze's (€800 a
  month from the 2nd cycle against five years of practice, intercommunalités focus santé): the
  Cotentin plan leaves them to its health council. Pupils met in schools (axis II.3.1).
- Deux-Sèvres: internship grants ("bourse de stage", FINANCER LES ÉTUDES) — the plan gives no
  amount: Corrèze's €300 a month for internship expenses is used — supervisor training with the
  COGEM-PC, and career days for collégiens and lycéens.

Sessions and applications are written through the services (events of the right kind,
documents checked, decisions notified). Idempotent: rows are found by their natural keys.
People's names are fictitious.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone

from portal.enums import Profession
from portal.events.enums import EventAudience, EventStatus
from portal.models import Commune, Territory, User
from training.enums_programmes import (
    ApplicationStatus,
    CommitmentStatus,
    DocumentKind,
    OutreachKind,
    ProgrammeKind,
    SchoolLevel,
    SessionTheme,
    event_kind_of,
)
from training.models import (
    Commitment,
    OutreachAction,
    OutreachSpeaker,
    ScholarshipApplication,
    ScholarshipProgramme,
    Session,
    TutorPair,
)
from training.services.scholarships import application_grant, application_review_start, application_submit
from training.services.sessions import session_save

# A tiny valid PDF: the demo's supporting documents pass the same content check as real ones.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _coordinator(territory: Territory) -> User:
    return User.objects.get(email=f"coordination@{territory.slug}.demo")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _next_semester_starts(today: dt.date, count: int = 2) -> list[dt.date]:
    """The next `count` French semester starts (1 November, 1 May) after today."""
    starts: list[dt.date] = []
    year = today.year
    while len(starts) < count:
        for month in (5, 11):
            day = dt.date(year, month, 1)
            if day > today and len(starts) < count:
                starts.append(day)
        year += 1
    return starts


def _session(
    territory: Territory,
    *,
    title: str,
    theme: str,
    starts_at: dt.datetime,
    hours: float,
    place: str,
    capacity: int | None,
    audience: str,
    description: str,
    trainer: str = "",
    commune: str = "",
) -> Session:
    existing = Session.objects.for_territory(territory).filter(event__title=title, event__kind=event_kind_of(theme))
    if existing.exists():
        return existing.get()
    session = Session(territory=territory, theme=theme, trainer=trainer)
    return session_save(
        actor=_coordinator(territory),
        session=session,
        event_fields={
            "title": title,
            "description": description,
            "audience": audience,
            "status": EventStatus.PUBLISHED,
            "starts_at": starts_at,
            "ends_at": starts_at + dt.timedelta(hours=hours),
            "place": place,
            "commune": Commune.objects.filter(insee_code=commune).first() if commune else None,
            "capacity": capacity,
        },
    )


def _programme(territory: Territory, name: str, **values) -> ScholarshipProgramme:
    programme, _created = ScholarshipProgramme.objects.update_or_create(territory=territory, name=name, defaults=values)
    return programme


def _student(territories, territory: Territory, email: str, first_name: str, last_name: str) -> User:
    return territories.account(
        email=email, first_name=first_name, last_name=last_name, role_label="Étudiante en santé (bourse)"
    )


def _apply(student: User, programme: ScholarshipProgramme, **fields) -> ScholarshipApplication:
    existing = ScholarshipApplication.objects.for_territory(programme.territory).filter(
        programme=programme, applicant=student
    )
    if existing.exists():
        return existing.get()
    documents: dict[str, UploadedFile | None] = {
        kind: SimpleUploadedFile(f"{kind}.pdf", DEMO_PDF, content_type="application/pdf")
        for kind in programme.required_documents
    }
    return application_submit(actor=student, programme=programme, fields=fields, documents=documents)


def _agen(territory: Territory) -> None:
    for start in _next_semester_starts(timezone.localdate()):
        semester = "novembre" if start.month == 11 else "mai"
        _session(
            territory,
            title=f"Soirée d'accueil des internes — semestre de {semester} {start.year}",
            theme=SessionTheme.WELCOME_EVENING,
            starts_at=_at(start + dt.timedelta(days=(3 - start.weekday()) % 7 + 7), 19),
            hours=3,
            place="Hôtel de ville d'Agen, salle des Illustres",
            commune="47001",
            capacity=80,
            audience=EventAudience.STUDENTS,
            description=(
                "Moment convivial d'accueil des internes des hôpitaux et de la médecine de ville qui arrivent "
                "pour six mois : découvrir la ville et le territoire où ils vont vivre, et peut-être s'installer."
            ),
        )
    today = timezone.localdate()
    _session(
        territory,
        title="Club Santé : rencontre à la Maison de santé Agen Nord",
        theme=SessionTheme.NETWORKING,
        starts_at=_at(today + dt.timedelta(days=24), 18, 30),
        hours=2,
        place="Maison de santé pluriprofessionnelle Agen Nord",
        commune="47001",
        capacity=40,
        audience=EventAudience.PROFESSIONALS,
        description="Un moment informel autour d'un verre entre professionnels de santé, internes et docteurs juniors.",
    )
    _session(
        territory,
        title="Formation aux premiers secours (PSC1)",
        theme=SessionTheme.FIRST_AID,
        starts_at=_at(today + dt.timedelta(days=12), 9),
        hours=7,
        place="Centre hospitalier Agen-Nérac, salle de formation",
        commune="47001",
        capacity=12,
        audience=EventAudience.PROFESSIONALS,
        trainer="Urgences du Centre hospitalier Agen-Nérac",
        description="Gestes d'urgence et accidents domestiques, une journée avec une attestation de présence.",
    )


def _cotentin(territories, territory: Territory) -> None:
    today = timezone.localdate()
    _session(
        territory,
        title="Formation des maîtres de stage — module 1 : accueillir un interne",
        theme=SessionTheme.SUPERVISOR_TRAINING,
        starts_at=_at(today + dt.timedelta(days=18), 9),
        hours=7,
        place="Centre hospitalier public du Cotentin, Cherbourg-en-Cotentin",
        commune="50129",
        capacity=16,
        audience=EventAudience.SUPERVISORS,
        trainer="UFR Santé de l'Université de Caen Normandie",
        description="Devenir maître de stage universitaire : cadre, évaluation, accompagnement de l'interne.",
    )
    _session(
        territory,
        title="Télésanté : téléexpertise entre ville et hôpital",
        theme=SessionTheme.TELEHEALTH,
        starts_at=_at(today + dt.timedelta(days=33), 14),
        hours=3,
        place="GCS Partenaires Santé du Cotentin",
        commune="50129",
        capacity=25,
        audience=EventAudience.PROFESSIONALS,
        trainer="GCS Partenaires Santé du Cotentin",
        description="Mettre en place la téléexpertise avec les spécialistes du CHPC.",
    )
    programme = _programme(
        territory,
        "Bourse d'études santé du Cotentin",
        kind=ProgrammeKind.STUDY_GRANT,
        conditions=(
            "Étudiants en santé domiciliés dans le Cotentin, à partir du 2e cycle, sur conditions de ressources. "
            "En contrepartie, cinq années d'exercice sur le territoire après le diplôme."
        ),
        monthly_amount=Decimal("800"),
        max_months=36,
        years_committed=5,
        required_documents=[DocumentKind.IDENTITY, DocumentKind.ENROLMENT, DocumentKind.RESOURCES],
        funder=territories.organisation(territory, "Conseil départemental de la Manche"),
        is_open=True,
    )
    student = _student(territories, territory, "etudiante@cotentin.demo", "Léa", "Hébert")
    application = _apply(
        student,
        programme,
        studies=Profession.EXTERN,
        study_year="4e année (DFASM1)",
        institution="UFR Santé de l'Université de Caen Normandie",
        graduation_year=today.year + 5,
        motivation="Originaire de Valognes, je souhaite exercer la médecine générale dans le Cotentin.",
    )
    coordinator = _coordinator(territory)
    if application.status == ApplicationStatus.SUBMITTED:
        application_review_start(actor=coordinator, application=application)
        application_grant(actor=coordinator, application=application, months=24, starts_on=today.replace(day=1))
    tutor = territories.account(
        email="tuteur@cotentin.demo", first_name="Marc", last_name="Lecoq", role_label="Médecin généraliste, tuteur"
    )
    TutorPair.objects.get_or_create(
        territory=territory,
        tutor=tutor,
        student=student,
        defaults={"programme": programme, "started_on": today.replace(day=1)},
    )
    graduate = _student(territories, territory, "ancien-boursier@cotentin.demo", "Hugo", "Lefèvre")
    old = _apply(
        graduate,
        programme,
        studies=Profession.INTERN,
        study_year="Interne de médecine générale, 3e année",
        institution="UFR Santé de l'Université de Caen Normandie",
        graduation_year=today.year,
        motivation="Je fais mon stage à Valognes et veux m'y installer.",
    )
    if old.status == ApplicationStatus.SUBMITTED:
        application_grant(actor=coordinator, application=old, months=12)
        Commitment.objects.filter(application=old).update(
            status=CommitmentStatus.PRACTISING,
            graduated_on=today - dt.timedelta(days=400),
            practice_started_on=today - dt.timedelta(days=300),
            practice_place="Maison de santé de Valognes",
            years_done=Decimal("0.5"),
        )
    _outreach(
        territory,
        school="Lycée Victor-Grignard, Cherbourg-en-Cotentin",
        kind=OutreachKind.SCHOOL_INTERVENTION,
        level=SchoolLevel.HIGH,
        commune="50129",
        held_on=today - dt.timedelta(days=40),
        topic="Les métiers du soin, de l'aide-soignant au médecin",
        pupils=60,
        speakers=[("Dr Hélène Marie", Profession.DOCTOR_SPECIALIST), ("Julien Roussel", Profession.NURSE)],
    )


def _deux_sevres(territories, territory: Territory) -> None:
    today = timezone.localdate()
    _programme(
        territory,
        "Bourse de stage des Deux-Sèvres",
        kind=ProgrammeKind.INTERNSHIP_GRANT,
        conditions=(
            "Externes et internes qui font un stage chez un maître de stage ou dans un établissement des "
            "Deux-Sèvres : une aide pour les frais du stage, le temps du stage."
        ),
        monthly_amount=Decimal("300"),
        max_months=6,
        years_committed=0,
        required_documents=[DocumentKind.ENROLMENT, DocumentKind.INTERNSHIP_AGREEMENT, DocumentKind.BANK_DETAILS],
        is_open=True,
    )
    _session(
        territory,
        title="Formation des maîtres de stage avec le COGEM-PC",
        theme=SessionTheme.SUPERVISOR_TRAINING,
        starts_at=_at(today + dt.timedelta(days=21), 9),
        hours=7,
        place="Centre hospitalier de Niort",
        commune="79191",
        capacity=14,
        audience=EventAudience.SUPERVISORS,
        trainer="Collège des généralistes enseignants et maîtres de stage Poitou-Charentes (COGEM-PC)",
        description="Accueillir des externes et des internes en cabinet : la première journée de formation.",
    )
    _session(
        territory,
        title="Protocoles de coopération infirmier–médecin",
        theme=SessionTheme.COOPERATION_PROTOCOL,
        starts_at=_at(today + dt.timedelta(days=45), 14),
        hours=3,
        place="Centre hospitalier Nord Deux-Sèvres, Bressuire",
        commune="79049",
        capacity=30,
        audience=EventAudience.PROFESSIONALS,
        description="Déléguer des actes dans le cadre d'un protocole de coopération autorisé.",
    )
    _outreach(
        territory,
        school="Forum des métiers de la santé, Niort",
        kind=OutreachKind.CAREER_DAY,
        level=SchoolLevel.MIDDLE,
        commune="79191",
        held_on=today - dt.timedelta(days=70),
        topic="Promotion des métiers de la santé auprès des collégiens",
        pupils=220,
        speakers=[("Dr Anne Giraud", Profession.DOCTOR_GP), ("Paul Morin", Profession.PHYSIOTHERAPIST)],
    )


def _outreach(territory, *, school, kind, level, commune, held_on, topic, pupils, speakers) -> None:
    action, created = OutreachAction.objects.get_or_create(
        territory=territory,
        school=school,
        held_on=held_on,
        defaults={
            "kind": kind,
            "level": level,
            "commune": Commune.objects.filter(insee_code=commune).first(),
            "topic": topic,
            "pupils_reached": pupils,
        },
    )
    if created:
        for name, profession in speakers:
            OutreachSpeaker.objects.create(territory=territory, action=action, name=name, profession=profession)


def build(*, territories) -> None:
    _agen(territories["agen"])
    _cotentin(territories, territories["cotentin"])
    _deux_sevres(territories, territories["deux-sevres"])
