"""Two people take the last place at the same instant, each through their own PostgreSQL connection:
the database serialises them (the event's row is locked), one is registered, one waitlisted."""

import pytest

from portal.events import services
from portal.events.enums import RegistrationStatus
from portal.events.models import Registration
from tests.concurrency import race
from tests.events.factories import EventFactory, RegistrationFactory
from tests.portal.factories import TerritoryFactory, UserFactory


def _register_at_once(event, people):
    """Everyone of `people` registers at the same instant: {person's pk: their registration's status}."""

    def register(person):
        return lambda: (person.pk, services.registration_create(actor=person, event=event, user=person).status)

    return dict(race([register(person) for person in people]))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_people_taking_the_last_place_at_once_one_registered_one_waitlisted(attempt):
    territory = TerritoryFactory(slug=f"course-{attempt}")
    event = EventFactory(territory=territory, capacity=2)
    RegistrationFactory(territory=territory, event=event)
    people = UserFactory.create_batch(2)

    results = _register_at_once(event, people)

    assert sorted(results.values()) == [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
    assert Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_many_people_at_once_never_exceed_the_capacity():
    territory = TerritoryFactory(slug="affluence")
    event = EventFactory(territory=territory, capacity=3)
    people = UserFactory.create_batch(6)

    results = _register_at_once(event, people)

    assert list(results.values()).count(RegistrationStatus.REGISTERED) == 3
    assert list(results.values()).count(RegistrationStatus.WAITLISTED) == 3
    assert Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count() == 3
