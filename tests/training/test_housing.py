"""Interns' housing: a room is never booked twice for overlapping dates; a request waits on the
list when nothing is free; arrival, keys and departure are recorded."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.portal.factories import UserFactory
from tests.training.factories import SEMESTER, BookingFactory, HousingUnitFactory, PlacementFactory
from training.enums import BookingSource, BookingStatus, HousingKind
from training.models import Booking
from training.services.housing import booking_assign, booking_create, booking_record, booking_request

pytestmark = pytest.mark.django_db

D = datetime.date


def _housing_url(placement):
    return reverse("training:housing_request", kwargs={"territory_slug": placement.territory.slug, "pk": placement.pk})


def test_a_student_gets_a_free_room_for_their_dates(territory_a, login):
    room = HousingUnitFactory(territory=territory_a)
    placement = PlacementFactory(territory=territory_a)

    response = login(placement.student).post(
        _housing_url(placement), {"start_date": "2026-11-01", "end_date": "2027-05-01", "wanted_kind": ""}
    )

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert (booking.unit, booking.status, booking.source, booking.placement) == (
        room,
        BookingStatus.CONFIRMED,
        BookingSource.PLACEMENT,
        placement,
    )
    assert booking.occupant == placement.student


def test_when_every_room_is_taken_the_request_joins_the_waiting_list(territory_a, login):
    room = HousingUnitFactory(territory=territory_a)
    BookingFactory(territory=territory_a, unit=room, start_date=SEMESTER.start, end_date=SEMESTER.end)
    placement = PlacementFactory(territory=territory_a)

    login(placement.student).post(
        _housing_url(placement), {"start_date": "2026-12-01", "end_date": "2027-01-31", "wanted_kind": ""}
    )

    waiting = Booking.objects.get(placement=placement)
    assert (waiting.unit, waiting.status) == (None, BookingStatus.WAITING)


def test_the_kind_wanted_is_respected(territory_a):
    HousingUnitFactory(territory=territory_a, kind=HousingKind.RESIDENCE_ROOM)
    flat = HousingUnitFactory(territory=territory_a, kind=HousingKind.COMMUNE_FLAT)
    placement = PlacementFactory(territory=territory_a)
    booking = booking_request(
        actor=placement.student,
        placement=placement,
        start_date=D(2026, 11, 1),
        end_date=D(2026, 12, 1),
        wanted_kind=HousingKind.COMMUNE_FLAT,
    )
    assert booking.unit == flat


def test_a_booking_ending_before_it_starts_is_refused_on_its_field_and_nothing_is_saved(territory_a, login):
    HousingUnitFactory(territory=territory_a)
    placement = PlacementFactory(territory=territory_a)

    response = login(placement.student).post(
        _housing_url(placement), {"start_date": "2027-02-01", "end_date": "2027-01-01", "wanted_kind": ""}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Le départ doit être au moins le lendemain de l&#x27;arrivée." in body
    assert "id_end_date_error" in body
    assert 'value="2027-02-01"' in body  # what was typed is kept
    assert not Booking.objects.exists()


def test_the_model_refuses_a_booking_ending_before_it_starts(territory_a):
    booking = BookingFactory.build(territory=territory_a, unit=HousingUnitFactory(territory=territory_a))
    booking.end_date = booking.start_date
    with pytest.raises(ValidationError) as error:
        booking.full_clean()
    assert error.value.message_dict["end_date"] == ["Le départ doit être au moins le lendemain de l'arrivée."]


def test_the_team_cannot_book_a_taken_room_and_the_next_arrival_may_come_on_the_departure_day(
    territory_a, coordinator_a
):
    room = HousingUnitFactory(territory=territory_a)
    booking_create(
        actor=coordinator_a,
        unit=room,
        source=BookingSource.LOCUM,
        occupant_name="Dr Paul Sempé",
        start_date=D(2027, 1, 1),
        end_date=D(2027, 1, 22),
    )
    with pytest.raises(ValidationError) as error:
        booking_create(
            actor=coordinator_a,
            unit=room,
            source=BookingSource.LOCUM,
            occupant_name="Dr Lucie Marty",
            start_date=D(2027, 1, 21),
            end_date=D(2027, 2, 1),
        )
    assert error.value.message_dict["unit"] == ["Ce logement est déjà réservé sur une partie de ces dates."]
    after = booking_create(
        actor=coordinator_a,
        unit=room,
        source=BookingSource.LOCUM,
        occupant_name="Dr Lucie Marty",
        start_date=D(2027, 1, 22),
        end_date=D(2027, 2, 1),
    )
    assert after.pk and Booking.objects.count() == 2


def test_the_database_refuses_an_overlap_that_skips_the_service(territory_a):
    room = HousingUnitFactory(territory=territory_a)
    BookingFactory(territory=territory_a, unit=room, start_date=D(2027, 1, 1), end_date=D(2027, 2, 1))
    # Cancelled and waiting bookings do not hold the room.
    BookingFactory(
        territory=territory_a,
        unit=room,
        status=BookingStatus.CANCELLED,
        start_date=D(2027, 1, 5),
        end_date=D(2027, 1, 9),
    )
    with pytest.raises(IntegrityError, match="training_booking_no_overlap"), transaction.atomic():
        BookingFactory(territory=territory_a, unit=room, start_date=D(2027, 1, 31), end_date=D(2027, 2, 10))


def test_a_locum_only_gets_a_room_open_to_locums_and_an_installation_case_is_named_by_reference(
    territory_a, coordinator_a
):
    internat = HousingUnitFactory(territory=territory_a, kind=HousingKind.INTERNAT, open_to_locums=False)
    with pytest.raises(ValidationError) as error:
        booking_create(
            actor=coordinator_a,
            unit=internat,
            source=BookingSource.LOCUM,
            occupant_name="Dr Paul Sempé",
            start_date=D(2027, 1, 1),
            end_date=D(2027, 1, 8),
        )
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        booking_create(
            actor=coordinator_a,
            unit=internat,
            source=BookingSource.INSTALLATION_CASE,
            occupant_name="Dr Claire Lebrun",
            start_date=D(2027, 1, 1),
            end_date=D(2027, 1, 8),
        )
    assert "installation_case_reference" in error.value.message_dict
    booking = booking_create(
        actor=coordinator_a,
        unit=internat,
        source=BookingSource.INSTALLATION_CASE,
        installation_case_reference="COT-2026-00012",
        occupant_name="Dr Claire Lebrun",
        start_date=D(2027, 1, 1),
        end_date=D(2027, 1, 8),
    )
    assert booking.installation_case_reference == "COT-2026-00012"


def test_only_the_team_books_and_only_the_student_asks_for_their_placement(territory_a, coordinator_a):
    room = HousingUnitFactory(territory=territory_a)
    placement = PlacementFactory(territory=territory_a)
    with pytest.raises(PermissionDenied):
        booking_create(
            actor=placement.student,
            unit=room,
            source=BookingSource.LOCUM,
            occupant_name="x",
            start_date=D(2027, 1, 1),
            end_date=D(2027, 1, 8),
        )
    with pytest.raises(PermissionDenied):
        booking_request(actor=UserFactory(), placement=placement, start_date=D(2027, 1, 1), end_date=D(2027, 1, 8))


def test_a_waiting_request_gets_a_room_freed_later_and_its_stay_is_recorded(territory_a, coordinator_a):
    room = HousingUnitFactory(territory=territory_a)
    holder = BookingFactory(territory=territory_a, unit=room, start_date=D(2026, 11, 1), end_date=D(2027, 4, 30))
    waiting = BookingFactory(territory=territory_a, waiting=True, start_date=D(2027, 1, 1), end_date=D(2027, 3, 1))
    with pytest.raises(ValidationError):
        booking_assign(actor=coordinator_a, booking=waiting, unit=room)

    holder.status = BookingStatus.CANCELLED
    holder.save()
    booking_assign(actor=coordinator_a, booking=waiting, unit=room)
    for step in ("arrival", "keys_handed", "keys_returned", "departure"):
        booking_record(actor=coordinator_a, booking=waiting, step=step, day=D(2027, 1, 1))

    waiting.refresh_from_db()
    assert (waiting.unit, waiting.status) == (room, BookingStatus.DEPARTED)
    assert waiting.arrived_on == waiting.keys_handed_on == waiting.keys_returned_on == waiting.departed_on


def test_keys_cannot_be_returned_before_being_handed(territory_a, coordinator_a):
    booking = BookingFactory(territory=territory_a)
    with pytest.raises(ValidationError) as error:
        booking_record(actor=coordinator_a, booking=booking, step="keys_returned", day=D(2027, 1, 1))
    assert "keys_returned_on" in error.value.message_dict
    booking.refresh_from_db()
    assert booking.keys_returned_on is None


def test_the_waiting_list_gets_the_first_free_room_from_the_admin_and_the_student_hears_it(
    territory_a, coordinator_a, login
):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    from portal.notifications.models import Notification

    placement = PlacementFactory(territory=territory_a)
    waiting = BookingFactory(
        territory=territory_a,
        waiting=True,
        source=BookingSource.PLACEMENT,
        placement=placement,
        occupant=placement.student,
        wanted_kind=HousingKind.INTERNAT,
    )
    client = login(coordinator_a)
    action = {"action": "assign_first_free", ACTION_CHECKBOX_NAME: [waiting.pk], "index": 0}

    refused = client.post("/admin/training/booking/", action, follow=True)
    assert "Aucun logement de ce type n&#x27;est libre à ces dates." in refused.content.decode()

    HousingUnitFactory(territory=territory_a, kind=HousingKind.RESIDENCE_ROOM)
    place = HousingUnitFactory(territory=territory_a, kind=HousingKind.INTERNAT, name="Place 2")
    client.post("/admin/training/booking/", action)

    waiting.refresh_from_db()
    assert (waiting.unit, waiting.status) == (place, BookingStatus.CONFIRMED)
    told = Notification.objects.get(kind="training.booking_assigned")
    assert told.recipient == placement.student
    assert "Place 2" in told.subject


def test_a_cancelled_room_goes_to_the_oldest_waiting_request_that_fits(territory_a, login):
    from portal.notifications.models import Notification

    room = HousingUnitFactory(territory=territory_a)
    BookingFactory(territory=territory_a, unit=room, start_date=D(2027, 4, 1), end_date=D(2027, 6, 1))
    placement = PlacementFactory(territory=territory_a)
    held = BookingFactory(
        territory=territory_a,
        unit=room,
        source=BookingSource.PLACEMENT,
        placement=placement,
        occupant=placement.student,
        start_date=D(2026, 11, 1),
        end_date=D(2027, 2, 1),
    )
    # Oldest first: this one would still clash with April's booking.
    clashes = BookingFactory(territory=territory_a, waiting=True, start_date=D(2027, 1, 1), end_date=D(2027, 4, 15))
    fits = BookingFactory(
        territory=territory_a,
        waiting=True,
        start_date=D(2026, 12, 1),
        end_date=D(2027, 1, 15),
        occupant_email="remplacant@exemple.fr",
    )
    too_late = BookingFactory(territory=territory_a, waiting=True, start_date=D(2027, 1, 10), end_date=D(2027, 2, 1))

    response = login(placement.student).post(
        reverse("training:booking_cancel", kwargs={"territory_slug": territory_a.slug, "pk": held.pk})
    )

    assert response.status_code == 302
    for booking in (held, clashes, fits, too_late):
        booking.refresh_from_db()
    assert held.status == BookingStatus.CANCELLED
    assert (fits.unit, fits.status) == (room, BookingStatus.CONFIRMED)
    assert clashes.status == too_late.status == BookingStatus.WAITING
    told = Notification.objects.get(kind="training.booking_assigned")
    assert (told.recipient, told.email_address) == (None, "remplacant@exemple.fr")


def test_nobody_cancels_another_persons_booking_and_a_withdrawn_placement_frees_its_room(territory_a, login):
    HousingUnitFactory(territory=territory_a)
    placement = PlacementFactory(territory=territory_a)
    booking = booking_request(
        actor=placement.student, placement=placement, start_date=D(2026, 11, 1), end_date=D(2027, 5, 1)
    )
    intruder = login(UserFactory())
    url = reverse("training:booking_cancel", kwargs={"territory_slug": territory_a.slug, "pk": booking.pk})
    assert intruder.post(url).status_code == 404
    withdraw = reverse("training:placement_cancel", kwargs={"territory_slug": territory_a.slug, "pk": placement.pk})
    assert intruder.post(withdraw).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED

    login(placement.student).post(withdraw)

    booking.refresh_from_db()
    placement.refresh_from_db()
    assert (placement.status, booking.status) == ("cancelled", BookingStatus.CANCELLED)
