"""One factory per training model (the isolation suite finds them); `territory=` is accepted
everywhere and related rows follow it."""

import datetime

import factory

from tests.portal.factories import CommuneFactory, TerritoryFactory, UserFactory
from training.enums import BookingSource, BookingStatus, HostSiteKind, HousingKind, TraineeLevel
from training.models import (
    Booking,
    HostingCapacity,
    HostSite,
    HousingUnit,
    Offer,
    OfferSite,
    Placement,
    Supervisor,
    WelcomeKit,
)
from training.semesters import Semester

# A fixed semester, so that tests do not depend on the day they run: winter 2026-2027.
SEMESTER = Semester(2026, "hiver")


class HostSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostSite

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Lieu de stage {n}")
    kind = HostSiteKind.MSP
    commune = factory.SubFactory(CommuneFactory)


class SupervisorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervisor

    territory = factory.SubFactory(TerritoryFactory)
    host_site = factory.SubFactory(HostSiteFactory, territory=factory.SelfAttribute("..territory"))
    first_name = "Hélène"
    last_name = factory.Sequence(lambda n: f"Maîtredestage{n}")
    accredited_on = datetime.date(2022, 9, 1)
    accredited_until = datetime.date(2027, 8, 31)


class HostingCapacityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostingCapacity

    territory = factory.SubFactory(TerritoryFactory)
    host_site = factory.SubFactory(HostSiteFactory, territory=factory.SelfAttribute("..territory"))
    level = TraineeLevel.INTERN
    specialty = factory.Sequence(lambda n: f"Spécialité {n}")
    places_per_semester = 2


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer
        skip_postgeneration_save = True

    territory = factory.SubFactory(TerritoryFactory)
    title = factory.Sequence(lambda n: f"Médecine générale en MSP {n}")
    level = TraineeLevel.INTERN
    specialty = "Médecine générale"
    semester = SEMESTER.code
    places = 2
    published = True

    @factory.post_generation
    def with_site(self, create, extracted, **kwargs):
        # Every offer is somewhere: one site unless told otherwise (with_site=False).
        if create and extracted is not False:
            OfferSiteFactory(territory=self.territory, offer=self)


class OfferSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferSite

    territory = factory.SubFactory(TerritoryFactory)
    offer = factory.SubFactory(OfferFactory, territory=factory.SelfAttribute("..territory"), with_site=False)
    host_site = factory.SubFactory(HostSiteFactory, territory=factory.SelfAttribute("..territory"))


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    territory = factory.SubFactory(TerritoryFactory)
    offer = factory.SubFactory(OfferFactory, territory=factory.SelfAttribute("..territory"))
    semester = factory.SelfAttribute("offer.semester")
    student = factory.SubFactory(UserFactory)
    student_name = factory.Sequence(lambda n: f"Étudiant Numéro{n}")
    student_email = factory.Sequence(lambda n: f"etudiant{n}@exemple.fr")
    start_date = SEMESTER.start
    end_date = SEMESTER.end
    needs_housing = True


class HousingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HousingUnit

    territory = factory.SubFactory(TerritoryFactory)
    residence = "Maison des internes"
    name = factory.Sequence(lambda n: f"Chambre {n}")
    kind = HousingKind.RESIDENCE_ROOM
    commune = factory.SubFactory(CommuneFactory)
    open_to_locums = True


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    territory = factory.SubFactory(TerritoryFactory)
    unit = factory.SubFactory(HousingUnitFactory, territory=factory.SelfAttribute("..territory"))
    status = BookingStatus.CONFIRMED
    source = BookingSource.LOCUM
    occupant_name = factory.Sequence(lambda n: f"Occupant Numéro{n}")
    start_date = SEMESTER.start
    end_date = SEMESTER.start + datetime.timedelta(days=30)

    class Params:
        waiting = factory.Trait(unit=None, status=BookingStatus.WAITING)


class WelcomeKitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WelcomeKit

    territory = factory.SubFactory(TerritoryFactory)
    recipient_name = factory.Sequence(lambda n: f"Interne Accueilli{n}")
    handed_on = SEMESTER.start
