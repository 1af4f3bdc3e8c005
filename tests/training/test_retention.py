"""Placements (with their needs and welcome kits) are anonymised 5 years after they ended, housing
bookings 2 years after the departure, tutor pairs deleted 3 years after the tutoring: marker strings
are found nowhere after the purge, neither in the tables nor in the admin's exports; younger rows stay."""

import datetime

import pytest
from django.utils import timezone

from portal.privacy.services import territory_retention_purge
from tests.portal.factories import UserFactory
from tests.privacy.markers import admin_export, tables_containing
from tests.training.factories import BookingFactory, PlacementFactory, WelcomeKitFactory
from tests.training_programmes.factories import TutorPairFactory
from training.enums import BookingStatus
from training.models import Booking, Placement, TutorPair, WelcomeKit

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def test_placements_and_their_welcome_kits_are_anonymised_after_five_years(territory_a, coordinator_a, login):
    student = UserFactory(last_name="Stagiaire-MARQUE", email="stagiaire-marque@exemple.fr")
    old = PlacementFactory(
        territory=territory_a,
        student=student,
        student_name="Lou Stagiaire-MARQUE",
        student_email="lou-marque@exemple.fr",
        note="Allergie MARQUE-NOTE, arrive en train",
        start_date=days_ago(5 * 365 + 180),
        end_date=days_ago(5 * 365 + 1),
        needs_transport=True,
    )
    WelcomeKitFactory(
        territory=territory_a,
        placement=old,
        recipient=student,
        recipient_name="Lou Stagiaire-MARQUE",
        handed_on=days_ago(5 * 365 + 170),
    )
    young = PlacementFactory(
        territory=territory_a, student_name="Jeune-GARDE", start_date=days_ago(5 * 365), end_date=days_ago(5 * 365 - 1)
    )
    WelcomeKitFactory(territory=territory_a, placement=young, recipient_name="Jeune-GARDE", handed_on=days_ago(30))

    assert territory_retention_purge(territory=territory_a)["training.placements"] == 2

    assert tables_containing("MARQUE") == ["portal_user"]  # the account is the student's own
    client = login(coordinator_a)
    for model in (Placement, WelcomeKit):
        export = admin_export(client, model, model.objects.all())
        assert "MARQUE" not in export and "Jeune-GARDE" in export
    old.refresh_from_db()
    # What the annual report counts stays: the offer, the semester, the dates, the needs.
    assert (old.student, old.student_email, old.note, old.needs_housing, old.needs_transport) == (
        None,
        "",
        "",
        True,
        True,
    )
    assert old.welcome_kits.get().recipient is None
    assert Placement.objects.get(pk=young.pk).student_name == "Jeune-GARDE"
    assert territory_retention_purge(territory=territory_a)["training.placements"] == 0


def test_housing_bookings_are_anonymised_two_years_after_the_departure(territory_a, territory_b, coordinator_a, login):
    old = BookingFactory(
        territory=territory_a,
        status=BookingStatus.DEPARTED,
        occupant=UserFactory(email="occupant-marque@exemple.fr"),
        occupant_name="Occupante MARQUE",
        occupant_email="occupante-marque@exemple.fr",
        note="Clés perdues MARQUE-NOTE",
        installation_case_reference="MARQUE-REF",
        start_date=days_ago(2 * 365 + 60),
        end_date=days_ago(2 * 365 + 1),
        arrived_on=days_ago(2 * 365 + 60),
        departed_on=days_ago(2 * 365 + 1),
        keys_handed_on=days_ago(2 * 365 + 60),
        keys_returned_on=days_ago(2 * 365 + 1),
    )
    young = BookingFactory(
        territory=territory_a,
        occupant_name="Recente-GARDE",
        start_date=days_ago(2 * 365 + 10),
        end_date=days_ago(2 * 365 - 1),
    )
    other = BookingFactory(
        territory=territory_b,
        occupant_name="Ailleurs-GARDE",
        start_date=days_ago(4 * 365),
        end_date=days_ago(4 * 365 - 5),
    )

    assert territory_retention_purge(territory=territory_a)["training.housing_bookings"] == 1

    assert tables_containing("MARQUE") == [] and tables_containing("occupante-marque") == []
    assert tables_containing("occupant-marque") == ["portal_user"]  # the account is the occupant's own
    export = admin_export(login(coordinator_a), Booking, Booking.objects.for_territory(territory_a))
    assert "MARQUE" not in export and "Recente-GARDE" in export
    old.refresh_from_db()
    assert (old.occupant, old.arrived_on, old.keys_handed_on, old.keys_returned_on, old.departed_on) == (None,) * 5
    assert (old.unit_id, old.start_date, old.status) == (old.unit_id, days_ago(2 * 365 + 60), BookingStatus.DEPARTED)
    assert Booking.objects.get(pk=young.pk).occupant_name == "Recente-GARDE"
    assert Booking.objects.get(pk=other.pk).occupant_name == "Ailleurs-GARDE"


def test_tutor_pairs_are_deleted_three_years_after_the_tutoring(territory_a):
    old = TutorPairFactory(
        territory=territory_a, started_on=days_ago(5 * 365), ended_on=days_ago(3 * 365 + 1), notes="Binôme MARQUE"
    )
    ended_recently = TutorPairFactory(
        territory=territory_a, started_on=days_ago(5 * 365), ended_on=days_ago(3 * 365 - 1)
    )
    running = TutorPairFactory(territory=territory_a, started_on=days_ago(5 * 365))
    assert territory_retention_purge(territory=territory_a)["training.tutor_pairs"] == 1
    assert tables_containing("MARQUE") == []
    assert set(TutorPair.objects.values_list("pk", flat=True)) == {ended_recently.pk, running.pk}
    assert not TutorPair.objects.filter(pk=old.pk).exists()
