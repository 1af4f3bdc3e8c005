"""Training's programmes in headless Chromium: a professional reaches a full training session from
the training pages on a phone, is waitlisted, promoted when someone cancels, and downloads a
certificate naming them and the session (another attendee gets 404 on it); a student applies for a
scholarship, is refused without a required document and succeeds with it. Screenshots at 360 and
1280 px of every training page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.events import services
from tests.browser.conftest import PASSWORD, PHONE
from tests.browser.event_steps import (
    download_the_certificate,
    event_took_place_and_attendance_recorded,
    fits_the_screen,
    holder_cancels_and_person_is_promoted,
    join_the_waiting_list,
)
from tests.events.factories import RegistrationFactory
from tests.portal.factories import TerritoryFactory, UserFactory
from tests.training_programmes.factories import ScholarshipProgrammeFactory, SessionFactory
from training.enums_programmes import DocumentKind
from training.models import ScholarshipApplication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def agen():
    return TerritoryFactory(name="Agglomération d'Agen", slug="agen")


@pytest.fixture
def cotentin():
    return TerritoryFactory(name="Communauté d'agglomération du Cotentin", slug="cotentin")


def _signed_in_context(browser, live_server, user, viewport=PHONE):
    context = browser.new_context(locale="fr-FR", viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/comptes/login/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    page.wait_for_url(f"{live_server.url}/espace/*")
    return context, page


def test_professional_waitlisted_for_a_training_session_is_promoted_and_downloads_the_certificate(
    phone_page, browser, live_server, agen, make_person, sign_in, tmp_path, settings, assert_accessible, screenshot
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = phone_page
    session = SessionFactory(
        territory=agen,
        theme="supervisor_training",
        trainer="Université de Bordeaux",
        event__title="Formation des maîtres de stage",
        event__capacity=1,
        event__audience="supervisors",
    )
    SessionFactory(territory=agen, welcome=True, event__title="Soirée d'accueil des internes de novembre")
    holder = UserFactory(email="titulaire@exemple.fr")
    holding = services.registration_create(actor=holder, event=session.event, user=holder)
    person = make_person("medecin@exemple.fr", first_name="Bastien", last_name="Roux")
    other = make_person("autre@exemple.fr", first_name="Claire", last_name="Vidal")
    services.registration_create(actor=other, event=session.event, user=other)  # waitlisted, first in line

    sign_in(page, person)
    page.goto(f"{live_server.url}/agen/formation/sessions/")
    expect(page.get_by_role("heading", name="Formations et soirées d'accueil", level=1)).to_be_visible()
    assert fits_the_screen(page)
    assert_accessible(page)
    screenshot(page, "training-sessions-360")
    # The audience filter keeps the supervisors' training, not the interns' evening.
    page.get_by_label("Public").select_option("supervisors")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("1 formation ou soirée à venir")).to_be_visible()
    assert_accessible(page, "the filtered list")
    page.get_by_role("link", name="Formation des maîtres de stage").click()
    expect(page).to_have_url(f"{live_server.url}/agen/evenements/{session.event_id}/")
    assert_accessible(page)

    # Claire waits first: Bastien is second in line.
    expect(page.get_by_text("Complet : inscription sur liste d'attente")).to_be_visible()
    page.get_by_role("button", name="M'inscrire sur la liste d'attente").click()
    expect(page.get_by_text("vous êtes sur la liste d'attente, en position 2").first).to_be_visible()
    services.registration_cancel(
        actor=other, registration=session.event.registrations.get(user=other)
    )  # Claire gives up her waiting place
    page.reload()
    expect(page.get_by_text("vous êtes sur la liste d'attente, en position 1").first).to_be_visible()

    registration = holder_cancels_and_person_is_promoted(holder, holding, person)
    page.goto(f"{live_server.url}/espace/inscriptions/")
    expect(page.get_by_text("Inscrit", exact=True)).to_be_visible()
    assert_accessible(page)

    event_took_place_and_attendance_recorded(registration, hours=7)
    href, text = download_the_certificate(page, tmp_path)
    assert "Bastien Roux" in text and "Formation des maîtres de stage" in text and "7 h" in text

    # Another attendee of the same session gets 404 on Bastien's certificate.
    other_attendee = make_person("presente@exemple.fr", first_name="Nora", last_name="Petit")
    RegistrationFactory(territory=agen, event=session.event, user=other_attendee, attended=True)
    context, other_page = _signed_in_context(browser, live_server, other_attendee)
    response = other_page.goto(f"{live_server.url}{href}")
    assert response.status == 404
    response = other_page.goto(f"{live_server.url}{href.removesuffix('telecharger/')}")  # its page too
    assert response.status == 404
    context.close()


def test_join_the_waiting_list_step_is_shared(phone_page, live_server, agen, make_person, sign_in):
    """The shared step holds for a training session reached from the event page."""
    session = SessionFactory(territory=agen, event__capacity=1, event__title="Protocoles de coopération")
    holder = UserFactory()
    services.registration_create(actor=holder, event=session.event, user=holder)
    sign_in(phone_page, make_person("ide@exemple.fr"))
    phone_page.goto(f"{live_server.url}/agen/evenements/{session.event_id}/")
    join_the_waiting_list(phone_page)


def _fill_application(page):
    page.get_by_label("Études suivies").select_option("extern")
    page.get_by_label("Année d'études").fill("4e année (DFASM1)")
    page.get_by_label("Université ou institut").fill("UFR Santé de Caen")
    page.get_by_label("Année de fin d'études prévue").fill(str(timezone.localdate().year + 3))
    page.get_by_role("textbox", name="Motivation").fill("Originaire de Valognes, je veux exercer dans le Cotentin.")


def test_student_applies_for_a_scholarship_on_a_phone(
    phone_page, browser, live_server, cotentin, make_person, sign_in, assert_accessible, screenshot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = phone_page
    programme = ScholarshipProgrammeFactory(
        territory=cotentin,
        name="Bourse d'études santé du Cotentin",
        required_documents=[DocumentKind.IDENTITY, DocumentKind.ENROLMENT],
    )
    identity = tmp_path / "identite.pdf"
    identity.write_bytes(PDF)
    enrolment = tmp_path / "certificat-scolarite.pdf"
    enrolment.write_bytes(PDF)
    fake = tmp_path / "certificat.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf")
    student = make_person("lea@exemple.fr", first_name="Léa", last_name="Hébert")

    page.goto(f"{live_server.url}/cotentin/formation/bourses/")
    assert_accessible(page)
    screenshot(page, "training-programmes-360")
    page.get_by_role("link", name="Bourse d'études santé du Cotentin").click()
    expect(page.get_by_text("800 € par mois")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Me connecter pour candidater").click()
    page.get_by_label("Adresse e-mail").fill(student.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/cotentin/formation/bourses/{programme.pk}/")

    # A file that is not a PDF, and no certificate of enrolment: refused, in French, beside the fields.
    _fill_application(page)
    page.get_by_label("Pièce d'identité").set_input_files(str(fake))
    page.get_by_role("button", name="Déposer ma candidature").click()
    expect(page.get_by_text("Seuls les fichiers PDF, PNG et JPEG sont acceptés", exact=False).first).to_be_visible()
    expect(
        page.get_by_text("Ce justificatif est obligatoire : joignez « Certificat de scolarité ».").first
    ).to_be_visible()
    expect(page.get_by_label("Université ou institut")).to_have_value("UFR Santé de Caen")
    expect(page.get_by_label("Pièce d'identité")).to_have_attribute("aria-invalid", "true")
    assert not ScholarshipApplication.objects.exists()
    assert fits_the_screen(page)
    assert_accessible(page, "the refused application")
    screenshot(page, "training-application-refused-360")

    page.get_by_label("Pièce d'identité").set_input_files(str(identity))
    page.get_by_label("Certificat de scolarité").set_input_files(str(enrolment))
    page.get_by_role("button", name="Déposer ma candidature").click()
    expect(page.get_by_text("Votre candidature est déposée.")).to_be_visible()
    application = ScholarshipApplication.objects.get()
    expect(page).to_have_url(f"{live_server.url}/espace/bourses/{application.pk}/")
    expect(page.get_by_text("certificat-scolarite.pdf", exact=False)).to_be_visible()
    assert fits_the_screen(page)
    assert_accessible(page)
    screenshot(page, "training-application-360")
    page.goto(f"{live_server.url}/espace/bourses/")
    assert_accessible(page)
    screenshot(page, "training-my-applications-360")

    # Another student gets 404 on Léa's application.
    someone = make_person("autre-etudiant@exemple.fr")
    context, other_page = _signed_in_context(browser, live_server, someone)
    assert other_page.goto(f"{live_server.url}/espace/bourses/{application.pk}/").status == 404
    context.close()


def test_training_pages_at_desktop_width(
    page, live_server, cotentin, make_person, sign_in, screenshot, assert_accessible
):
    SessionFactory(territory=cotentin, theme="telehealth", event__title="Télésanté : téléexpertise ville–hôpital")
    SessionFactory(territory=cotentin, welcome=True, event__title="Soirée d'accueil des internes")
    programme = ScholarshipProgrammeFactory(territory=cotentin, name="Bourse d'études santé du Cotentin")
    sign_in(page, make_person("etudiant@exemple.fr"))
    for path, name in (
        ("/cotentin/formation/sessions/", "training-sessions-1280"),
        ("/cotentin/formation/bourses/", "training-programmes-1280"),
        (f"/cotentin/formation/bourses/{programme.pk}/", "training-programme-form-1280"),
        ("/espace/bourses/", "training-my-applications-1280"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
        screenshot(page, name)


def test_coordinator_refuses_then_grants_in_the_admin_and_the_students_are_told(
    page, live_server, cotentin, make_person, sign_in, screenshot
):
    from portal.enums import Role
    from portal.notifications.models import Notification
    from tests.portal.factories import MembershipFactory
    from tests.training_programmes.factories import ApplicationDocumentFactory, ScholarshipApplicationFactory

    claire = make_person("claire@cotentin.fr", totp=True, is_staff=True, first_name="Claire", last_name="Lebrun")
    MembershipFactory(user=claire, territory=cotentin, role=Role.COORDINATOR)
    first = ScholarshipApplicationFactory(
        territory=cotentin, applicant__first_name="Léa", applicant__last_name="Hébert"
    )
    second = ScholarshipApplicationFactory(territory=cotentin, programme=first.programme)
    ApplicationDocumentFactory(territory=cotentin, application=first)

    sign_in(page, claire, expect_path=None)
    page.goto(f"{live_server.url}/admin/training/scholarshipapplication/")
    screenshot(page, "training-admin-applications-1280")
    page.get_by_role("link", name="Léa Hébert").click()
    page.get_by_role("link", name="Accorder ou refuser").click()
    page.get_by_label("Refuser la candidature").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Indiquez le motif du refus : il est envoyé à la personne.")).to_be_visible()
    screenshot(page, "training-admin-decision-refused-1280")
    page.get_by_label("Motif du refus").fill("Ressources au-dessus du plafond du programme.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".messagelist")).to_contain_text("Décision enregistrée")
    assert Notification.objects.get(recipient=first.applicant, kind="training.application_refused").body == (
        "Motif : Ressources au-dessus du plafond du programme."
    )

    page.goto(f"{live_server.url}/admin/training/scholarshipapplication/{second.pk}/decision/")
    page.get_by_label("Accorder la bourse").check()
    page.get_by_label("Nombre de mois").fill("24")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".messagelist")).to_contain_text("Décision enregistrée")
    second.refresh_from_db()
    assert second.status == "granted" and second.granted_months == 24 and second.commitment.years_committed == 5
    screenshot(page, "training-admin-application-1280")
