"""Factories of the installations app: `XFactory(territory=t)` gives a valid row of territory t
(its related rows in the same territory). Shared by the domain tests and the applicant pages' tests."""

import datetime

import factory
from django.utils import timezone

from installations.enums import (
    CaseStatus,
    CurrentSituation,
    EventKind,
    Funder,
    NeedKind,
    NeedState,
    OpportunityKind,
    StructureType,
)
from installations.models import (
    Aid,
    Case,
    CaseDocument,
    CaseEvent,
    FollowUp,
    Message,
    Need,
    Note,
    Opportunity,
)
from portal.enums import ArsZone, PracticeMode, Profession
from tests.portal.factories import CommuneFactory, TerritoryFactory, UserFactory

# Smallest valid PDF header: enough for the content sniffing of uploads.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class CaseFactory(factory.django.DjangoModelFactory):
    """A submitted, confirmed case of a signed-in applicant. Traits give the other states:
    `CaseFactory(unconfirmed=True)`, `supported=True`, `waiting=True`, `settled=True`,
    `withdrawn=True`, `closed=True`."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    territory = factory.SubFactory(TerritoryFactory)
    reference = factory.Sequence(lambda n: f"TST-2026-{n:05d}")
    status = CaseStatus.SUBMITTED
    applicant = factory.SubFactory(UserFactory)
    applicant_email = factory.LazyAttribute(lambda o: o.applicant.email if o.applicant else "demandeur@exemple.fr")
    applicant_first_name = factory.LazyAttribute(lambda o: o.applicant.first_name if o.applicant else "Camille")
    applicant_last_name = factory.LazyAttribute(lambda o: o.applicant.last_name if o.applicant else "Martin")
    confirmed_at = factory.LazyFunction(timezone.now)
    profession = Profession.DOCTOR_GP
    specialty = "Médecine générale"
    current_situation = CurrentSituation.REPLACEMENT
    practice_mode = PracticeMode.LIBERAL
    structure_type = StructureType.MSP
    planned_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))
    project_description = "Installation en MSP dans le territoire."
    submitted_at = factory.LazyFunction(timezone.now)
    awaiting_reply_since = factory.LazyAttribute(lambda o: o.submitted_at)

    class Params:
        unconfirmed = factory.Trait(
            status=CaseStatus.UNCONFIRMED, applicant=None, confirmed_at=None, awaiting_reply_since=None
        )
        supported = factory.Trait(
            status=CaseStatus.SUPPORTED,
            first_contact_at=factory.LazyAttribute(lambda o: o.submitted_at + datetime.timedelta(days=2)),
            last_contact_at=factory.LazyAttribute(lambda o: o.submitted_at + datetime.timedelta(days=2)),
            awaiting_reply_since=None,
        )
        waiting = factory.Trait(
            status=CaseStatus.WAITING_APPLICANT,
            first_contact_at=factory.LazyAttribute(lambda o: o.submitted_at + datetime.timedelta(days=2)),
            last_contact_at=factory.LazyAttribute(lambda o: o.submitted_at + datetime.timedelta(days=2)),
            awaiting_reply_since=None,
        )
        settled = factory.Trait(
            status=CaseStatus.SETTLED,
            first_contact_at=factory.LazyAttribute(lambda o: o.submitted_at + datetime.timedelta(days=2)),
            last_contact_at=factory.LazyAttribute(lambda o: o.submitted_at + datetime.timedelta(days=2)),
            awaiting_reply_since=None,
            settled_at=factory.LazyAttribute(lambda o: o.submitted_at + datetime.timedelta(days=60)),
            settlement_date=factory.LazyAttribute(lambda o: (o.submitted_at + datetime.timedelta(days=60)).date()),
            settlement_commune=factory.SubFactory(CommuneFactory),
            closed_at=factory.LazyAttribute(lambda o: o.submitted_at + datetime.timedelta(days=60)),
        )
        withdrawn = factory.Trait(
            status=CaseStatus.WITHDRAWN,
            awaiting_reply_since=None,
            closed_at=factory.LazyFunction(timezone.now),
        )
        closed = factory.Trait(
            status=CaseStatus.CLOSED,
            awaiting_reply_since=None,
            closed_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def target_communes(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_communes.set(extracted)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    territory = factory.SubFactory(TerritoryFactory)
    case = factory.SubFactory(CaseFactory, territory=factory.SelfAttribute("..territory"))
    kind = factory.Iterator(NeedKind.values)
    state = NeedState.OPEN
    details = "Précisions sur le besoin."


class CaseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseEvent

    territory = factory.SubFactory(TerritoryFactory)
    case = factory.SubFactory(CaseFactory, territory=factory.SelfAttribute("..territory"))
    kind = EventKind.STATUS_CHANGED
    summary = "Statut modifié"
    public = True


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    territory = factory.SubFactory(TerritoryFactory)
    case = factory.SubFactory(CaseFactory, territory=factory.SelfAttribute("..territory"))
    author = factory.SelfAttribute("case.applicant")
    from_applicant = True
    body = "Bonjour, je souhaite des précisions sur les locaux disponibles."


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    territory = factory.SubFactory(TerritoryFactory)
    case = factory.SubFactory(CaseFactory, territory=factory.SelfAttribute("..territory"))
    body = "Note interne : rappeler la mairie."


class CaseDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseDocument

    territory = factory.SubFactory(TerritoryFactory)
    case = factory.SubFactory(CaseFactory, territory=factory.SelfAttribute("..territory"))
    file = factory.django.FileField(filename="diplome.pdf", data=PDF_BYTES)
    original_name = "diplome.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    from_applicant = True


class AidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Aid

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Aide à l'installation {n}")
    funder = Funder.ARS
    amount = 50000
    amount_note = "versée en deux fois"
    conditions = "S'installer en zone d'intervention prioritaire et y exercer 5 ans."
    professions = factory.LazyFunction(lambda: [Profession.DOCTOR_GP])
    zones = factory.LazyFunction(lambda: [ArsZone.ZIP])
    link = "https://www.ars.sante.fr/"
    active = True


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    territory = factory.SubFactory(TerritoryFactory)
    kind = OpportunityKind.PREMISES
    title = factory.Sequence(lambda n: f"Cabinet disponible n°{n}")
    commune = factory.SubFactory(CommuneFactory)
    description = "Cabinet de 25 m² dans une MSP, loyer modéré."
    contact_name = "Secrétariat de la MSP"
    contact_email = "msp@exemple.fr"
    published = True
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(published=False, published_at=None)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    territory = factory.SubFactory(TerritoryFactory)
    case = factory.SubFactory(CaseFactory, territory=factory.SelfAttribute("..territory"), settled=True)
    years = 1
    due_date = factory.LazyAttribute(lambda o: o.case.settlement_date + datetime.timedelta(days=365))
