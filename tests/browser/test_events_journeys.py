"""The shared events on a 360px phone, in headless Chromium: a professional waitlisted for a full
session is promoted when someone cancels and downloads their attendance certificate; a resident
registers without an account and confirms by e-mail."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from portal.events import services
from portal.events.enums import RegistrationStatus
from portal.events.models import Registration
from tests.browser.event_steps import (
    download_the_certificate,
    event_took_place_and_attendance_recorded,
    fits_the_screen,
    holder_cancels_and_person_is_promoted,
    join_the_waiting_list,
)
from tests.events.factories import EventFactory
from tests.portal.factories import TerritoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agen():
    return TerritoryFactory(name="Agglomération d'Agen", slug="agen")


def test_professional_waitlisted_is_promoted_and_downloads_the_certificate(
    phone_page, live_server, agen, make_person, sign_in, tmp_path, settings, assert_accessible, screenshot
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = phone_page
    session = EventFactory(territory=agen, title="Formation aux gestes d'urgence", capacity=1, kind="training.session")
    holder = UserFactory(email="titulaire@exemple.fr")
    holding = services.registration_create(actor=holder, event=session, user=holder)
    person = make_person("infirmiere@exemple.fr", first_name="Inès", last_name="Garcia")

    sign_in(page, person)
    page.goto(f"{live_server.url}/agen/evenements/")
    assert fits_the_screen(page)
    page.get_by_role("link", name="Formation aux gestes d'urgence").click()
    join_the_waiting_list(page)
    assert fits_the_screen(page)

    registration = holder_cancels_and_person_is_promoted(holder, holding, person)
    page.goto(f"{live_server.url}/espace/inscriptions/")
    expect(page.get_by_text("Inscrit", exact=True)).to_be_visible()

    event_took_place_and_attendance_recorded(registration)
    _href, text = download_the_certificate(page, tmp_path)
    assert "Inès Garcia" in text and "Formation aux gestes d'urgence" in text and "3 h" in text
    # The certificate's own page, on a phone: readable, accessible, and a way back to their space.
    assert fits_the_screen(page)
    assert_accessible(page, "the certificate's page")
    screenshot(page, "events-360-certificate")
    with page.expect_navigation():
        page.get_by_role("link", name="Retour à mon espace").click()
    assert page.url == f"{live_server.url}/espace/"


def test_resident_registers_without_an_account_and_confirms_by_email(phone_page, live_server, agen, assert_accessible):
    page = phone_page
    EventFactory(territory=agen, title="Mercredi de la santé : le sommeil", open_to_all=True, capacity=30)
    page.goto(f"{live_server.url}/agen/evenements/")
    assert_accessible(page)
    page.get_by_role("link", name="Mercredi de la santé : le sommeil").click()
    assert fits_the_screen(page)
    assert_accessible(page)

    # A mistyped address first: the French message is next to the field, the name stays.
    page.get_by_label("Nom et prénom").fill("Camille Martin")
    page.get_by_label("Adresse e-mail").fill("camille-exemple.fr")
    page.get_by_role("button", name="Je m'inscris").click()
    expect(page.get_by_text("Saisissez une adresse e-mail valide", exact=False).first).to_be_visible()
    expect(page.get_by_label("Nom et prénom")).to_have_value("Camille Martin")
    assert_accessible(page, "the refused form")
    page.get_by_label("Adresse e-mail").fill("camille@exemple.fr")
    page.get_by_role("button", name="Je m'inscris").click()
    expect(page.get_by_text("Un e-mail vient d'être envoyé à camille@exemple.fr", exact=False)).to_be_visible()
    assert not Registration.objects.exists()

    [message] = [m for m in mail.outbox if m.to == ["camille@exemple.fr"]]
    link = re.search(r"https?://\S+/confirmer/\S+/", message.body).group(0)
    page.goto(live_server.url + "/" + link.split("://", 1)[1].split("/", 1)[1])
    assert not Registration.objects.exists()  # opening the link registers nobody
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_text("Votre inscription est enregistrée.", exact=False)).to_be_visible()
    assert fits_the_screen(page)
    assert_accessible(page)
    registration = Registration.objects.get(email="camille@exemple.fr")
    assert registration.status == RegistrationStatus.REGISTERED and registration.name == "Camille Martin"
