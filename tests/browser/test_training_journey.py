"""The training axis on a 360px phone, in headless Chromium: a student finds an offer, signs in,
registers their placement and gets a room in the Maison des internes; every page passes axe-core
and fits the screen. Screenshots at 360 and 1280 px go to var/screenshots/."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, PHONE
from tests.portal.factories import CommuneFactory, TerritoryFactory
from tests.training.factories import (
    HostingCapacityFactory,
    HostSiteFactory,
    HousingUnitFactory,
    OfferFactory,
    OfferSiteFactory,
)
from training.enums import BookingStatus, HostSiteKind, TraineeLevel
from training.models import Booking, Placement
from training.semesters import Semester

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def agen_offers():
    agen = TerritoryFactory(name="Agglomération d'Agen", slug="agen")
    semester = Semester.containing(dt.date.today()).next()
    city, village = CommuneFactory(name="Agen"), CommuneFactory(name="Astaffort")
    urgences = HostSiteFactory(
        territory=agen, name="Urgences du CH Agen-Nérac", commune=city, kind=HostSiteKind.HOSPITAL_DEPARTMENT
    )
    msp = HostSiteFactory(territory=agen, name="MSP d'Astaffort", commune=village, kind=HostSiteKind.MSP)
    HostingCapacityFactory(territory=agen, host_site=msp, specialty="Médecine générale", places_per_semester=2)
    joint = OfferFactory(
        territory=agen,
        title="Parcours ville-hôpital en médecine générale",
        semester=semester.code,
        with_site=False,
        description="Trois mois aux urgences puis trois mois en maison de santé.",
    )
    middle = semester.start + dt.timedelta(days=91)
    OfferSiteFactory(territory=agen, offer=joint, host_site=urgences, start_date=semester.start, end_date=middle)
    OfferSiteFactory(
        territory=agen, offer=joint, host_site=msp, start_date=middle + dt.timedelta(days=1), end_date=semester.end
    )
    OfferFactory(territory=agen, title="Soins infirmiers en EHPAD", level=TraineeLevel.NURSING, specialty="")
    HousingUnitFactory(territory=agen, residence="Maison des internes d'Agen", name="Chambre 1", commune=city)
    return agen, semester


def test_a_student_finds_an_offer_registers_the_placement_and_a_room(
    phone_page, live_server, agen_offers, make_person, assert_accessible, screenshot
):
    agen, semester = agen_offers
    page = phone_page
    make_person("emma.delmas@exemple.fr", first_name="Emma", last_name="Delmas")

    def check(name):
        assert fits_the_screen(page), f"{name} is wider than the phone"
        assert_accessible(page, name)
        screenshot(page, f"training-360-{name}")

    page.goto(f"{live_server.url}/agen/formation/")
    check("home")
    page.get_by_role("link", name="Trouver une offre de stage").click()
    page.get_by_label("Niveau").select_option("intern")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("1 offre", exact=True)).to_be_visible()
    check("offers")
    page.get_by_role("link", name="Parcours ville-hôpital en médecine générale").click()
    expect(page.get_by_role("heading", name="Parcours ville-hôpital : les lieux")).to_be_visible()
    check("offer")
    page.get_by_role("link", name="Déclarer mon stage ici").click()
    check("sign-in-first")
    page.get_by_role("main").get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse e-mail").fill("emma.delmas@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page.get_by_role("heading", name="Déclarer mon stage")).to_be_visible()

    # A start date outside the semester is refused next to its field, and nothing is saved.
    page.get_by_label("Date d'arrivée").fill((semester.start - dt.timedelta(days=3)).isoformat())
    page.get_by_label("J'ai besoin d'un logement").check()
    page.get_by_role("button", name="Enregistrer mon stage").click()
    expect(page.get_by_text("Cette date doit tomber dans le semestre choisi").first).to_be_visible()
    check("placement-refused")
    assert not Placement.objects.exists()
    expect(page.get_by_label("J'ai besoin d'un logement")).to_be_checked()

    page.get_by_label("Date d'arrivée").fill(semester.start.isoformat())
    page.get_by_role("button", name="Enregistrer mon stage").click()
    expect(page.get_by_role("heading", name="Demander un logement")).to_be_visible()
    check("housing")

    # A departure before the arrival is refused on its field.
    page.get_by_label("Départ du logement").fill((semester.start - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Demander ce logement").click()
    expect(page.get_by_text("Le départ doit être au moins le lendemain de l'arrivée.").first).to_be_visible()
    check("housing-refused")
    assert not Booking.objects.exists()

    page.get_by_label("Départ du logement").fill(semester.end.isoformat())
    page.get_by_label("Type de logement souhaité").select_option("residence_room")
    page.get_by_role("button", name="Demander ce logement").click()
    expect(page.get_by_text("Logement réservé : Maison des internes d'Agen — Chambre 1")).to_be_visible()
    check("my-placements")

    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.placement.student.email == "emma.delmas@exemple.fr"

    page.get_by_role("link", name="Lieux de stage").click()
    check("sites")


def test_the_training_pages_at_1280(page, live_server, agen_offers, assert_accessible, screenshot):
    agen, _semester = agen_offers
    for name, path in (("offers", "stages/"), ("sites", "lieux-de-stage/"), ("home", "")):
        page.goto(f"{live_server.url}/agen/formation/{path}")
        assert_accessible(page, name)
        screenshot(page, f"training-1280-{name}")
