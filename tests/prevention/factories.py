import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from portal.enums import OrganisationKind
from prevention.enums import (
    AGENDA_EVENT_KIND,
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
    InitiativeDocument,
    Intervention,
    InterventionSite,
    PreventionEvent,
    PreventionSettings,
    ReplicationSheet,
    StudentTeam,
)
from tests.events.factories import EventFactory
from tests.portal.factories import CommuneFactory, OrganisationFactory, TerritoryFactory

SAME_TERRITORY = factory.SelfAttribute("..territory")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class PreventionSettingsFactory(factory.django.DjangoModelFactory):
    """A territory's prevention settings: not sharing its good practices unless `sharing=True`."""

    class Meta:
        model = PreventionSettings
        django_get_or_create = ["territory"]

    territory = factory.SubFactory(TerritoryFactory)
    share_good_practices = False

    class Params:
        sharing = factory.Trait(share_good_practices=True, shared_since=factory.LazyFunction(timezone.now))


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    territory = factory.SubFactory(TerritoryFactory)
    title = factory.Sequence(lambda n: f"Action de prévention n°{n}")
    summary = "Des ateliers ouverts à tous."
    theme = Theme.NUTRITION
    audiences = factory.LazyFunction(lambda: ["general"])
    status = InitiativeStatus.ONGOING
    carrier = factory.SubFactory(OrganisationFactory, territory=SAME_TERRITORY, kind=OrganisationKind.ASSOCIATION)
    start_date = dt.date(2026, 1, 1)
    budget = Decimal("5000")

    class Params:
        unpublished = factory.Trait(published=False)
        abandoned = factory.Trait(status=InitiativeStatus.ABANDONED)

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create and extracted:
            self.communes.set(extracted)


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    territory = factory.SubFactory(TerritoryFactory)
    initiative = factory.SubFactory(InitiativeFactory, territory=SAME_TERRITORY)
    source = FundingSource.CLS_ENVELOPE
    amount = Decimal("3000")
    year = 2026
    cls_action_code = "4.2"


class InitiativeDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InitiativeDocument

    territory = factory.SubFactory(TerritoryFactory)
    initiative = factory.SubFactory(InitiativeFactory, territory=SAME_TERRITORY)
    title = factory.Sequence(lambda n: f"Bilan de l'action n°{n}")
    file = factory.django.FileField(data=PDF_BYTES, filename="bilan.pdf")


class ReplicationSheetFactory(factory.django.DjangoModelFactory):
    """Makes its initiative a good practice."""

    class Meta:
        model = ReplicationSheet

    territory = factory.SubFactory(TerritoryFactory)
    initiative = factory.SubFactory(InitiativeFactory, territory=SAME_TERRITORY)
    why_it_works = "Des ateliers courts, près de chez soi."
    key_steps = "Trouver une salle ; former deux animateurs."
    resources_needed = "Une salle, deux animateurs."
    contact = "Service santé"


class PreventionEventFactory(EventFactory):
    class Meta:
        model = PreventionEvent

    kind = AGENDA_EVENT_KIND
    allow_anonymous = True


class AgendaDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaDetails

    territory = factory.SubFactory(TerritoryFactory)
    event = factory.SubFactory(PreventionEventFactory, territory=SAME_TERRITORY)
    theme = Theme.NUTRITION


class InterventionSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterventionSite

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"École Jules-Ferry n°{n}")
    kind = SiteKind.SCHOOL
    commune = factory.SubFactory(CommuneFactory)
    themes = factory.LazyFunction(lambda: ["nutrition"])


class StudentTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentTeam

    territory = factory.SubFactory(TerritoryFactory)
    academic_year = 2026
    name = factory.Sequence(lambda n: f"Équipe {n}")


class HealthStudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthStudent

    territory = factory.SubFactory(TerritoryFactory)
    academic_year = 2026
    first_name = "Inès"
    last_name = factory.Sequence(lambda n: f"Étudiante{n}")
    programme = StudentProgramme.NURSING
    school = factory.SubFactory(OrganisationFactory, territory=SAME_TERRITORY, kind=OrganisationKind.NURSING_SCHOOL)
    team = factory.SubFactory(StudentTeamFactory, territory=SAME_TERRITORY)


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    territory = factory.SubFactory(TerritoryFactory)
    team = factory.SubFactory(StudentTeamFactory, territory=SAME_TERRITORY)
    site = factory.SubFactory(InterventionSiteFactory, territory=SAME_TERRITORY)
    theme = Theme.NUTRITION
    starts_on = dt.date(2027, 2, 1)
    ends_on = dt.date(2027, 2, 5)
    status = InterventionStatus.PLANNED


class AmbassadorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ambassador

    territory = factory.SubFactory(TerritoryFactory)
    first_name = "Fatima"
    last_name = factory.Sequence(lambda n: f"Ambassadrice{n}")
    commune = factory.SubFactory(CommuneFactory)
    themes = factory.LazyFunction(lambda: ["nutrition"])
