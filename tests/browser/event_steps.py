"""Steps of the shared events' journeys, reused by every axis whose events go through portal.events
(the bare event in test_events_journeys, training's sessions in test_training_journeys): a person
joins the waiting list of a full event, is promoted when the holder cancels, attends, and downloads
their attendance certificate."""

import datetime as dt
import io
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from portal.enums import Role
from portal.events import services
from portal.events.enums import RegistrationStatus
from portal.events.models import Registration
from tests.portal.factories import MembershipFactory, UserFactory

PHONE_WIDTH = 360


def fits_the_screen(page, width=PHONE_WIDTH):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def join_the_waiting_list(page):
    """On a full event's page: the person asks for a place and is told their position."""
    expect(page.get_by_text("Complet : inscription sur liste d'attente")).to_be_visible()
    page.get_by_role("button", name="M'inscrire sur la liste d'attente").click()
    expect(page.get_by_text("vous êtes sur la liste d'attente, en position 1").first).to_be_visible()


def holder_cancels_and_person_is_promoted(holder, holding, person):
    """The holder frees the place: the first person waiting gets it and is told by e-mail."""
    mail.outbox.clear()
    services.registration_cancel(actor=holder, registration=holding)
    promoted = [m for m in mail.outbox if m.to == [person.email]]
    assert promoted and "Une place s'est libérée" in promoted[0].subject
    registration = Registration.objects.get(event=holding.event, user=person)
    assert registration.status == RegistrationStatus.REGISTERED
    return registration


def event_took_place_and_attendance_recorded(registration, *, hours=3):
    event = registration.event
    event.starts_at = timezone.now() - dt.timedelta(hours=hours + 2)
    event.ends_at = event.starts_at + dt.timedelta(hours=hours)
    event.save()
    coordinator = UserFactory(email=f"coordination@{event.territory.slug}.fr", staff=True)
    MembershipFactory(user=coordinator, territory=event.territory, role=Role.COORDINATOR)
    services.attendance_record(actor=coordinator, registration=registration, attended=True)


def download_the_certificate(page, tmp_path):
    """From "Mes inscriptions": request the certificate, land on its page (which says when it is
    ready, as the annual report's does), download it; returns (its download URL, its text)."""
    page.reload()
    page.get_by_role("button", name="Obtenir mon attestation de présence").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Attestation de présence")
    # Tests build documents eagerly as the request commits: the page may say "Attestation prête" at once.
    expect(page.locator("#document-state-message")).to_contain_text("Attestation prête", timeout=30_000)
    link = page.get_by_role("link", name="Télécharger le PDF")
    href = link.get_attribute("href")
    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages).split())
    return href, text
