import datetime as dt

import factory
from django.utils import timezone

from portal.events.enums import EventAudience, EventStatus, RegistrationStatus
from portal.events.models import Event, Registration
from tests.portal.factories import TerritoryFactory, UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    """A published event a week ahead, two hours long, 20 places."""

    class Meta:
        model = Event

    territory = factory.SubFactory(TerritoryFactory)
    title = factory.Sequence(lambda n: f"Mercredi de la santé n°{n}")
    description = "Dépistage, conseils et échanges avec des professionnels de santé."
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    place = "Salle des fêtes, 1 place de la Mairie"
    capacity = 20
    audience = EventAudience.PUBLIC
    status = EventStatus.PUBLISHED

    class Params:
        draft = factory.Trait(status=EventStatus.DRAFT)
        past = factory.Trait(starts_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2)))
        open_to_all = factory.Trait(allow_anonymous=True)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A signed-in person's registration, in the event's territory."""

    class Meta:
        model = Registration

    territory = factory.SubFactory(TerritoryFactory)
    event = factory.SubFactory(EventFactory, territory=factory.SelfAttribute("..territory"))
    user = factory.SubFactory(UserFactory)
    status = RegistrationStatus.REGISTERED

    class Params:
        waitlisted = factory.Trait(
            status=RegistrationStatus.WAITLISTED, waitlisted_at=factory.LazyFunction(timezone.now)
        )
        anonymous = factory.Trait(
            user=None, name="Camille Habitante", email=factory.Sequence(lambda n: f"habitant{n}@exemple.fr")
        )
