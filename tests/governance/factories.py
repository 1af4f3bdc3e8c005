"""Factories of the governance app: each builds a valid row of the territory it is given, with its
related rows in the same territory (the isolation suite calls `XFactory(territory=t)`)."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from governance.enums import (
    ActionStatus,
    BodyKind,
    DeliberationKind,
    MeetingKind,
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
    GovernanceEvent,
    Indicator,
    IndicatorValue,
    Mandate,
    Meeting,
    MeetingDocument,
    Participation,
    ProgressNote,
    WorkingGroup,
)
from tests.portal.factories import OrganisationFactory, TerritoryFactory, UserFactory

# The smallest file the upload check accepts as a PDF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Conseil de santé {n}")
    kind = BodyKind.HEALTH_COUNCIL
    description = "Instance de dialogue entre la collectivité et les professionnels de santé."


class CollegeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = College

    territory = factory.SubFactory(TerritoryFactory)
    body = factory.SubFactory(BodyFactory, territory=factory.SelfAttribute("..territory"))
    name = factory.Sequence(lambda n: f"Collège des professionnels {n}")


class MandateFactory(factory.django.DjangoModelFactory):
    """A person's voting seat since 1 January 2024 (traits: `organisation_seat`, `ended`, `substitute`)."""

    class Meta:
        model = Mandate

    territory = factory.SubFactory(TerritoryFactory)
    body = factory.SubFactory(BodyFactory, territory=factory.SelfAttribute("..territory"))
    user = factory.SubFactory(UserFactory)
    category = MemberCategory.LIBERAL
    position = Position.MEMBER
    start_date = dt.date(2024, 1, 1)

    class Params:
        organisation_seat = factory.Trait(
            user=None,
            organisation=factory.SubFactory(OrganisationFactory, territory=factory.SelfAttribute("..territory")),
            person_name=factory.Faker("name", locale="fr_FR"),
            category=MemberCategory.HOSPITAL,
        )
        ended = factory.Trait(end_date=dt.date(2024, 12, 31))
        substitute = factory.Trait(position=Position.SUBSTITUTE, is_voting=False)


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    territory = factory.SubFactory(TerritoryFactory)
    body = factory.SubFactory(BodyFactory, territory=factory.SelfAttribute("..territory"))
    name = factory.Sequence(lambda n: f"Groupe de travail {n}")
    theme = "Attractivité et installation"
    objectives = "Accueillir les internes et faciliter les installations."


class ProgressNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressNote

    territory = factory.SubFactory(TerritoryFactory)
    working_group = factory.SubFactory(WorkingGroupFactory, territory=factory.SelfAttribute("..territory"))
    written_on = dt.date(2026, 3, 1)
    text = "Recensement des locaux disponibles achevé."


def _next_month_at(hour):
    start = timezone.localtime() + dt.timedelta(days=30)
    return start.replace(hour=hour, minute=0, second=0, microsecond=0)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A plenary session in a month (traits: `held` for one held last March)."""

    class Meta:
        model = Meeting

    territory = factory.SubFactory(TerritoryFactory)
    body = factory.SubFactory(BodyFactory, territory=factory.SelfAttribute("..territory"))
    kind = MeetingKind.PLENARY
    title = factory.Sequence(lambda n: f"Séance plénière {n}")
    starts_at = factory.LazyFunction(lambda: _next_month_at(18))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    place = "Salle du conseil, 8 rue des Vindits, Cherbourg-en-Cotentin"

    class Params:
        held = factory.Trait(
            status="held",
            starts_at=factory.LazyFunction(
                lambda: timezone.make_aware(dt.datetime(timezone.localdate().year, 3, 12, 18, 0))
            ),
        )


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    territory = factory.SubFactory(TerritoryFactory)
    meeting = factory.SubFactory(MeetingFactory, territory=factory.SelfAttribute("..territory"))
    order = 1
    title = "Adoption du programme de travail"


class MeetingDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingDocument

    territory = factory.SubFactory(TerritoryFactory)
    meeting = factory.SubFactory(MeetingFactory, territory=factory.SelfAttribute("..territory"))
    title = "Programme de travail"
    file = factory.django.FileField(filename="programme.pdf", data=PDF_BYTES)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    territory = factory.SubFactory(TerritoryFactory)
    meeting = factory.SubFactory(MeetingFactory, territory=factory.SelfAttribute("..territory"))
    mandate = factory.SubFactory(
        MandateFactory, territory=factory.SelfAttribute("..territory"), body=factory.SelfAttribute("..meeting.body")
    )
    convened_at = factory.LazyFunction(timezone.now)


class DeliberationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliberation

    territory = factory.SubFactory(TerritoryFactory)
    body = factory.SubFactory(BodyFactory, territory=factory.SelfAttribute("..territory"))
    year = 2026
    number = factory.Sequence(lambda n: n + 1)
    kind = DeliberationKind.OPINION
    title = "Avis sur le projet de maison de santé pluriprofessionnelle"
    decided_on = dt.date(2026, 3, 12)
    outcome = Outcome.FAVOURABLE


class ActionAxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionAxis

    territory = factory.SubFactory(TerritoryFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Devenir un territoire d'accueil privilégié"


class ActionSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionSheet

    territory = factory.SubFactory(TerritoryFactory)
    axis = factory.SubFactory(ActionAxisFactory, territory=factory.SelfAttribute("..territory"))
    code = factory.Sequence(lambda n: f"1.{n + 1}")
    title = "Guichet unique pour les professionnels de santé"
    pilot = "Service santé de l'agglomération"
    partners = "ARS, CPAM, Ordre des médecins"
    target_public = "Professionnels de santé"
    budget = Decimal("15000")
    funders = "Agglomération, ARS"
    start_date = dt.date(2025, 1, 1)
    end_date = dt.date(2027, 12, 31)
    status = ActionStatus.IN_PROGRESS


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    territory = factory.SubFactory(TerritoryFactory)
    action = factory.SubFactory(ActionSheetFactory, territory=factory.SelfAttribute("..territory"))
    name = "Professionnels accompagnés"
    unit = "pers."


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    territory = factory.SubFactory(TerritoryFactory)
    indicator = factory.SubFactory(IndicatorFactory, territory=factory.SelfAttribute("..territory"))
    year = 2026
    target = Decimal("40")
    measured = Decimal("31")


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReport

    territory = factory.SubFactory(TerritoryFactory)
    body = factory.SubFactory(BodyFactory, territory=factory.SelfAttribute("..territory"))
    year = 2025


class GovernanceEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GovernanceEvent

    territory = factory.SubFactory(TerritoryFactory)
    verb = "meeting_schedule"
    target = "Séance plénière"
