"""Factories of training's programmes (sessions, scholarships, tutoring, outreach): one per model,
`territory=` accepted; the isolation suite finds them here."""

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.enums import Profession
from tests.events.factories import EventFactory
from tests.portal.factories import TerritoryFactory, UserFactory
from training.enums_programmes import (
    SESSION_EVENT_KIND,
    WELCOME_EVENT_KIND,
    ApplicationStatus,
    CommitmentStatus,
    DocumentKind,
    OutreachKind,
    ProgrammeKind,
    SchoolLevel,
    SessionTheme,
)
from training.models import (
    ApplicationDocument,
    Commitment,
    OutreachAction,
    OutreachSpeaker,
    ScholarshipApplication,
    ScholarshipProgramme,
    Session,
    TutorPair,
)

PDF = b"%PDF-1.4\n%%EOF\n"


class SessionFactory(factory.django.DjangoModelFactory):
    """A continuing-education session on a published event a week ahead (20 places)."""

    class Meta:
        model = Session

    territory = factory.SubFactory(TerritoryFactory)
    theme = SessionTheme.CONTINUING_EDUCATION
    event = factory.SubFactory(
        EventFactory,
        territory=factory.SelfAttribute("..territory"),
        kind=SESSION_EVENT_KIND,
        audience="professionals",
        title=factory.Sequence(lambda n: f"Formation continue n°{n}"),
    )
    trainer = "Dr Claire Formatrice"

    class Params:
        welcome = factory.Trait(
            theme=SessionTheme.WELCOME_EVENING,
            event=factory.SubFactory(
                EventFactory,
                territory=factory.SelfAttribute("..territory"),
                kind=WELCOME_EVENT_KIND,
                audience="students",
                title=factory.Sequence(lambda n: f"Soirée d'accueil des internes n°{n}"),
            ),
        )


class ScholarshipProgrammeFactory(factory.django.DjangoModelFactory):
    """A Corrèze-style study grant: €800 a month against five years of practice, two documents."""

    class Meta:
        model = ScholarshipProgramme

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Bourse d'études santé n°{n}")
    kind = ProgrammeKind.STUDY_GRANT
    conditions = "Étudiants en santé à partir du 2e cycle, sur conditions de ressources."
    monthly_amount = Decimal("800")
    max_months = 36
    years_committed = 5
    required_documents = factory.LazyFunction(lambda: [DocumentKind.IDENTITY, DocumentKind.ENROLMENT])
    is_open = True

    class Params:
        internship = factory.Trait(
            kind=ProgrammeKind.INTERNSHIP_GRANT, monthly_amount=Decimal("300"), max_months=6, years_committed=0
        )


class ScholarshipApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScholarshipApplication

    territory = factory.SubFactory(TerritoryFactory)
    programme = factory.SubFactory(ScholarshipProgrammeFactory, territory=factory.SelfAttribute("..territory"))
    applicant = factory.SubFactory(UserFactory)
    studies = Profession.EXTERN
    study_year = "4e année (DFASM1)"
    institution = "UFR Santé de Caen"
    graduation_year = factory.LazyFunction(lambda: timezone.localdate().year + 3)
    motivation = "Je souhaite exercer sur le territoire."

    class Params:
        granted = factory.Trait(
            status=ApplicationStatus.GRANTED,
            granted_monthly_amount=Decimal("800"),
            granted_months=12,
            decided_at=factory.LazyFunction(timezone.now),
        )
        refused = factory.Trait(
            status=ApplicationStatus.REFUSED,
            refusal_reason="Ressources au-dessus du plafond.",
            decided_at=factory.LazyFunction(timezone.now),
        )


class ApplicationDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationDocument

    territory = factory.SubFactory(TerritoryFactory)
    application = factory.SubFactory(ScholarshipApplicationFactory, territory=factory.SelfAttribute("..territory"))
    kind = DocumentKind.IDENTITY
    file = factory.LazyFunction(lambda: ContentFile(PDF, name="piece.pdf"))
    original_name = "piece-identite.pdf"
    content_type = "application/pdf"
    size = len(PDF)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    territory = factory.SubFactory(TerritoryFactory)
    application = factory.SubFactory(
        ScholarshipApplicationFactory, territory=factory.SelfAttribute("..territory"), granted=True
    )
    years_committed = 5
    status = CommitmentStatus.STUDYING

    class Params:
        practising = factory.Trait(
            status=CommitmentStatus.PRACTISING,
            practice_place="Maison de santé de Valognes",
            practice_started_on=factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=200)),
        )


class TutorPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TutorPair

    territory = factory.SubFactory(TerritoryFactory)
    tutor = factory.SubFactory(UserFactory)
    student = factory.SubFactory(UserFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))


class OutreachActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutreachAction

    territory = factory.SubFactory(TerritoryFactory)
    kind = OutreachKind.SCHOOL_INTERVENTION
    school = factory.Sequence(lambda n: f"Lycée Victor-Grignard n°{n}")
    level = SchoolLevel.HIGH
    held_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    pupils_reached = 30


class OutreachSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutreachSpeaker

    territory = factory.SubFactory(TerritoryFactory)
    action = factory.SubFactory(OutreachActionFactory, territory=factory.SelfAttribute("..territory"))
    name = factory.Sequence(lambda n: f"Dr Intervenante n°{n}")
    profession = Profession.NURSE
