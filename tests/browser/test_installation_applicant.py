"""The applicant's journey on a 360px phone: a request without an account (one step with the keyboard
alone), the confirmation e-mail, sign-in, following the case and answering the coordinator."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from installations.models import Case, Message
from installations.services.exchanges import message_post
from installations.services.lifecycle import case_take_charge
from portal.enums import ArsZone, Role
from tests.browser.conftest import PHONE
from tests.portal.factories import CommuneFactory, MembershipFactory, TerritoryFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

EMAIL = "lucie.durand@exemple.fr"


@pytest.fixture
def cotentin():
    territory = TerritoryFactory(name="Communauté d'agglomération du Cotentin", slug="cotentin", main_colour="#0b5e3b")
    territory.communes.add(
        CommuneFactory(insee_code="50129", name="Cherbourg-en-Cotentin", ars_zone=ArsZone.ZIP),
        CommuneFactory(insee_code="50602", name="Valognes", ars_zone=ArsZone.ZAC),
    )
    return territory


@pytest.fixture
def coordinator(cotentin):
    user = UserFactory(email="coordination@cotentin.fr", first_name="Claire", last_name="Lebrun", staff=True)
    MembershipFactory(user=user, territory=cotentin, role=Role.COORDINATOR)
    return user


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def continue_(page):
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_load_state()


def test_applicant_submits_confirms_follows_and_answers_on_a_phone(
    phone_page, live_server, cotentin, coordinator, make_person, sign_in, screenshot
):
    page = phone_page
    page.goto(f"{live_server.url}/cotentin/installation/")
    assert fits_the_screen(page)
    page.get_by_role("link", name="Commencer ma demande").click()

    # Step 1 with the keyboard alone: choose in the lists with the arrows, Tab between fields,
    # Enter sends the form. A wrong RPPS first: the French message is next to the field.
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous")
    page.get_by_label("Profession").focus()
    page.keyboard.press("ArrowDown")  # Médecin généraliste
    page.keyboard.press("Tab")
    page.keyboard.type("Médecine générale")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Interne
    page.keyboard.press("Tab")
    page.keyboard.type("10003456787")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("#id_vous-rpps_error")).to_contain_text("Ce numéro RPPS n'est pas valide")
    expect(page.get_by_label("Spécialité")).to_have_value("Médecine générale")
    screenshot(page, "installation-step-error-360")
    assert fits_the_screen(page)
    page.get_by_label("Numéro RPPS").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("10003456786")
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    # Step 2: the project.
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre projet")
    page.get_by_label("Cherbourg-en-Cotentin").check()
    page.get_by_label("Mode d'exercice").select_option("liberal")
    page.get_by_label("Type de structure").select_option("msp")
    continue_(page)

    # Step 3: the needs, each its own box; childcare adds the household step.
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos besoins")
    page.get_by_label("Locaux ou cabinet à reprendre", exact=True).check()
    page.get_by_label("Locaux ou cabinet à reprendre — Précisions (facultatif)").fill("Un cabinet en MSP")
    page.get_by_label("Garde d'enfants et écoles", exact=True).check()
    screenshot(page, "installation-needs-360")
    assert fits_the_screen(page)
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre foyer")
    page.get_by_label("Âge des enfants").fill("2, 6")
    page.get_by_label(re.compile("J'accepte que ces informations")).check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Vos coordonnées")
    page.get_by_label("Prénom").fill("Lucie")
    page.get_by_label(re.compile(r"^Nom\b")).fill("Durand")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier et envoyer")
    screenshot(page, "installation-review-360")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirmez-la")

    # The e-mail, sent by the live server in this process, carries the confirmation link.
    case = Case.objects.get()
    confirmation = next(m for m in mail.outbox if m.to == [EMAIL])
    link = re.search(r"https?://\S+/confirmer/\S+/", confirmation.body).group(0)
    page.goto(link)
    # Opening the link shows a button; pressing it confirms (a link scanner's GET confirms nothing).
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer votre demande")
    page.get_by_role("button", name="Confirmer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est confirmée")

    # The account with that (verified) address: the case joins the personal space on sign-in.
    person = make_person(EMAIL, first_name="Lucie", last_name="Durand")
    sign_in(page, person)
    page.goto(f"{live_server.url}/cotentin/installation/mes-demandes/")
    page.get_by_role("link", name=f"Demande {case.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Demande {case.reference}")
    expect(page.locator("body")).to_contain_text("Nouvelle demande")

    # The coordinator takes charge and writes; the applicant follows and answers.
    case.refresh_from_db()
    case_take_charge(actor=coordinator, case=case)
    message_post(actor=coordinator, case=case, body="Bonjour, pouvez-vous passer mardi à 10 h ?")
    page.reload()
    expect(page.locator("#messages")).to_contain_text("pouvez-vous passer mardi à 10 h ?")
    expect(page.locator("body")).to_contain_text("Accompagnement en cours")
    page.get_by_label("Votre message").fill("Oui, mardi 10 h me convient.")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.locator("#messages")).to_contain_text("Oui, mardi 10 h me convient.")
    assert Message.objects.filter(case=case, from_applicant=True, author=person).count() == 1
    screenshot(page, "installation-case-360")
    assert fits_the_screen(page)


def test_aids_eligibility_and_opportunities_fit_a_phone_and_work_with_the_keyboard(
    phone_page, live_server, cotentin, screenshot
):
    from installations.enums import OpportunityKind
    from tests.installations.factories import AidFactory, OpportunityFactory

    AidFactory(territory=cotentin, name="Contrat de début d'exercice", zones=["zip"], professions=["doctor_gp"])
    OpportunityFactory(
        territory=cotentin,
        title="Cabinet en MSP à Valognes",
        kind=OpportunityKind.PREMISES,
        commune=cotentin.communes.get(name="Valognes"),
    )
    OpportunityFactory(
        territory=cotentin,
        title="Poste aux urgences",
        kind=OpportunityKind.HOSPITAL_POST,
        commune=cotentin.communes.get(name="Cherbourg-en-Cotentin"),
    )
    page = phone_page
    page.goto(f"{live_server.url}/cotentin/installation/aides/")
    page.get_by_label("Votre profession").focus()
    page.keyboard.press("ArrowDown")  # Médecin généraliste
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # the first commune, Cherbourg-en-Cotentin (ZIP)
    page.keyboard.press("Tab")  # a list does not send the form on Enter: on to the button
    assert page.evaluate("document.activeElement.textContent.trim()") == "Voir mes aides"
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("Vous pourriez y prétendre")
    expect(page.locator("body")).to_contain_text("Cherbourg-en-Cotentin est classée")
    screenshot(page, "installation-aids-360")
    assert fits_the_screen(page)

    page.goto(f"{live_server.url}/cotentin/installation/opportunites/")
    page.get_by_label("Type").select_option("premises")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator(".card-list")).to_contain_text("Cabinet en MSP à Valognes")
    expect(page.locator(".card-list")).not_to_contain_text("Poste aux urgences")
    screenshot(page, "installation-opportunities-360")
    assert fits_the_screen(page)
