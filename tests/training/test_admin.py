"""The coordinator's side: every training change list and export answers in a bounded number of
queries; arrivals are exported with where and what they need; bulk actions go through the services."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone

from tests.tenancy.registry import factories_by_model
from tests.training.factories import BookingFactory, OfferFactory, OfferSiteFactory, PlacementFactory
from training.enums import BookingStatus
from training.models import Offer, Placement, WelcomeKit

pytestmark = pytest.mark.django_db

MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "training"), key=lambda m: m.__name__
)


def _changelist(model):
    return f"/admin/training/{model._meta.model_name}/"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_change_lists_and_exports_do_not_grow_with_rows(
    model, territory_a, coordinator_a, login, django_assert_max_num_queries
):
    factory = factories_by_model()[model]
    rows = [factory(territory=territory_a) for _ in range(25)]
    client = login(coordinator_a)
    with django_assert_max_num_queries(22):
        response = client.get(_changelist(model))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 25
    with django_assert_max_num_queries(14):
        export = client.post(
            _changelist(model), {"action": "export_csv", ACTION_CHECKBOX_NAME: [r.pk for r in rows], "index": 0}
        )
        lines = b"".join(export.streaming_content).decode().splitlines()
    assert len(lines) == 26


def test_arrivals_export_says_who_comes_when_where_and_needing_what(territory_a, coordinator_a, login):
    offer = OfferFactory(territory=territory_a, title="Parcours ville-hôpital", with_site=False)
    OfferSiteFactory(territory=territory_a, offer=offer, host_site__name="Urgences du CHPC")
    OfferSiteFactory(territory=territory_a, offer=offer, host_site__name="Cabinet de la Hague")
    placement = PlacementFactory(
        territory=territory_a, offer=offer, student_name="Manon Lefèvre", needs_transport=True, needs_welcome=False
    )
    response = login(coordinator_a).post(
        _changelist(Placement), {"action": "export_csv", ACTION_CHECKBOX_NAME: [placement.pk], "index": 0}
    )
    header, row = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert header.startswith("Étudiant;E-mail;Stage;Niveau;Semestre;Où;Arrivée")
    assert "Manon Lefèvre" in row and "Urgences du CHPC" in row and "Cabinet de la Hague" in row
    assert "01/11/2026;30/04/2027;logement, transport;" in row


def test_the_arrivals_list_filters_by_need_and_semester(territory_a, coordinator_a, login):
    PlacementFactory(territory=territory_a, student_name="Besoin Logement", needs_housing=True)
    PlacementFactory(territory=territory_a, student_name="Sans Besoin", needs_housing=False)
    client = login(coordinator_a)
    listed = client.get(_changelist(Placement), {"needs_housing__exact": "1", "semester": "2026-hiver"})
    assert [p.student_name for p in listed.context["cl"].result_list] == ["Besoin Logement"]


def test_welcome_kits_are_recorded_from_the_arrivals_once(territory_a, coordinator_a, login):
    placements = PlacementFactory.create_batch(2, territory=territory_a)
    client = login(coordinator_a)
    for _ in range(2):
        client.post(
            _changelist(Placement),
            {"action": "hand_welcome_kit", ACTION_CHECKBOX_NAME: [p.pk for p in placements], "index": 0},
        )
    kits = WelcomeKit.objects.order_by("pk")
    assert [k.placement for k in kits] == placements
    assert {k.handed_on for k in kits} == {timezone.localdate()}
    assert {k.handed_by for k in kits} == {coordinator_a}


def test_arrival_and_keys_are_recorded_from_the_bookings_list(territory_a, coordinator_a, login):
    booking = BookingFactory(territory=territory_a)
    waiting = BookingFactory(territory=territory_a, waiting=True)
    client = login(coordinator_a)
    for action in ("record_arrival", "record_keys_handed"):
        response = client.post(
            "/admin/training/booking/",
            {"action": action, ACTION_CHECKBOX_NAME: [booking.pk, waiting.pk], "index": 0},
            follow=True,
        )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ARRIVED
    assert booking.arrived_on == booking.keys_handed_on == timezone.localdate()
    # The waiting request has no room: refused with the service's reason, nothing changed.
    assert "pas de logement attribué" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.arrived_on is None


def test_the_booking_form_refuses_an_overlap_next_to_the_room(territory_a, coordinator_a, login):
    existing = BookingFactory(territory=territory_a)
    response = login(coordinator_a).post(
        "/admin/training/booking/add/",
        {
            "territory": territory_a.pk,
            "status": BookingStatus.CONFIRMED,
            "unit": existing.unit.pk,
            "start_date": existing.start_date + datetime.timedelta(days=3),
            "end_date": existing.end_date + datetime.timedelta(days=3),
            "source": "locum",
            "occupant_name": "Dr Lucie Marty",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["unit"] == ["Ce logement est déjà réservé sur une partie de ces dates."]


def test_the_coordinator_records_a_placement_in_the_offer_semester_only(territory_a, coordinator_a, login):
    offer = OfferFactory(territory=territory_a)
    data = {
        "territory": territory_a.pk,
        "offer": offer.pk,
        "student_name": "Sarah Le Goff",
        "student_email": "sarah@exemple.fr",
        "start_date": "2027-05-03",
        "end_date": "2027-06-30",
        "status": "confirmed",
    }
    client = login(coordinator_a)
    refused = client.post("/admin/training/placement/add/", data)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert errors["start_date"] == ["Cette date doit tomber dans le semestre choisi, du 01/11/2026 au 30/04/2027."]
    assert not Placement.objects.exists()

    client.post("/admin/training/placement/add/", {**data, "start_date": "2026-11-03", "end_date": "2027-04-30"})
    assert Placement.objects.get().semester == offer.semester


def test_a_joint_programme_site_outside_the_semester_is_refused_in_the_offer_page(territory_a, coordinator_a, login):
    from tests.training.factories import HostSiteFactory

    site = HostSiteFactory(territory=territory_a)
    data = {
        "territory": territory_a.pk,
        "title": "Parcours ville-hôpital",
        "level": "intern",
        "specialty": "Médecine générale",
        "semester": "2027-ete",
        "places": 2,
        "published": "on",
        "sites-TOTAL_FORMS": 1,
        "sites-INITIAL_FORMS": 0,
        "sites-0-host_site": site.pk,
        "sites-0-start_date": "2027-04-01",
        "sites-0-end_date": "2027-07-31",
    }
    response = login(coordinator_a).post("/admin/training/offer/add/", data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.errors[0]["start_date"] == [
        "Cette date doit tomber dans le semestre choisi, du 01/05/2027 au 31/10/2027."
    ]
    assert not Offer.objects.exists()


def test_the_team_cancels_a_booking_and_the_waiting_list_gets_the_room(territory_a, coordinator_a, login):
    held = BookingFactory(territory=territory_a)
    waiting = BookingFactory(territory=territory_a, waiting=True, start_date=held.start_date, end_date=held.end_date)
    login(coordinator_a).post(
        "/admin/training/booking/", {"action": "cancel", ACTION_CHECKBOX_NAME: [held.pk], "index": 0}
    )
    held.refresh_from_db()
    waiting.refresh_from_db()
    assert held.status == BookingStatus.CANCELLED
    assert (waiting.unit, waiting.status) == (held.unit, BookingStatus.CONFIRMED)
