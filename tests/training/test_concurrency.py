"""Two requests for one room over overlapping dates at the same instant, each through its own
PostgreSQL connection: exactly one gets the room."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.concurrency import race
from tests.portal.factories import MembershipFactory, TerritoryFactory, UserFactory
from tests.training.factories import HousingUnitFactory, PlacementFactory
from training.enums import BookingSource, BookingStatus
from training.models import Booking
from training.services.housing import booking_create, booking_request


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_team_members_booking_one_room_for_overlapping_dates_at_once_make_one_booking(attempt):
    territory = TerritoryFactory(slug=f"logement-{attempt}")
    team = [UserFactory(staff=True) for _ in range(2)]
    for user in team:
        MembershipFactory(user=user, territory=territory)
    room = HousingUnitFactory(territory=territory)

    def book(actor, start):
        return lambda: booking_create(
            actor=actor,
            unit=room,
            source=BookingSource.LOCUM,
            occupant_name=f"Remplaçant {actor.pk}",
            start_date=start,
            end_date=start + datetime.timedelta(days=14),
        )

    results = race([book(team[0], datetime.date(2027, 1, 1)), book(team[1], datetime.date(2027, 1, 8))])

    assert Booking.objects.filter(unit=room).count() == 1
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(refusals) == 1
    assert refusals[0].message_dict["unit"] == ["Ce logement est déjà réservé sur une partie de ces dates."]


@pytest.mark.django_db(transaction=True)
def test_two_students_asking_for_the_last_room_at_once_one_gets_it_one_waits():
    territory = TerritoryFactory(slug="maison-des-internes")
    room = HousingUnitFactory(territory=territory)
    placements = [PlacementFactory(territory=territory) for _ in range(2)]

    def ask(placement):
        return lambda: booking_request(
            actor=placement.student,
            placement=placement,
            start_date=datetime.date(2026, 11, 2),
            end_date=datetime.date(2027, 4, 30),
        )

    race([ask(p) for p in placements])

    assert Booking.objects.filter(unit=room, status=BookingStatus.CONFIRMED).count() == 1
    assert Booking.objects.filter(unit=None, status=BookingStatus.WAITING).count() == 1
