"""Issue 14's journeys on a 360 px phone, axe-core on every page: a nurse checks the aids and is told
the right thing for her own profession's zoning; a doctor completes the request choosing communes by
typing, reviews every answer and sees the reference on the last page."""

import re

import pytest
from playwright.sync_api import expect

from installations.models import Case
from portal.enums import ArsZone, Profession, ZoningProfession
from tests.browser.conftest import PHONE
from tests.installations.factories import AidFactory
from tests.portal.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cotentin():
    territory = TerritoryFactory(
        name="Communauté d'agglomération du Cotentin",
        article="la",
        slug="cotentin",
        main_colour="#005a8c",
        contact_email="guichet-sante@cotentin.example",
        contact_phone="02 61 91 50 10",
    )
    # Bricquebec: a ZIP in the doctors' zoning; the nurses' zoning is not imported yet.
    territory.communes.add(
        CommuneFactory(insee_code="50082", name="Bricquebec-en-Cotentin", ars_zone=ArsZone.ZIP),
        CommuneFactory(insee_code="50129", name="Cherbourg-en-Cotentin", ars_zone=ArsZone.ZAC),
        CommuneFactory(insee_code="50162", name="Écausseville", ars_zone=ArsZone.NONE),
        CommuneFactory(insee_code="50218", name="Eroudeville", ars_zone=ArsZone.NONE),
        CommuneFactory(insee_code="50602", name="Valognes", ars_zone=ArsZone.ZAC),
    )
    AidFactory(
        territory=territory,
        name="Contrat d'aide à l'installation des infirmiers (CAII)",
        amount=27500,
        professions=[Profession.NURSE, Profession.IPA],
        zones=[ArsZone.VERY_UNDERSERVED],
    )
    AidFactory(
        territory=territory,
        name="Contrat d'aide à l'installation des médecins (CAIM)",
        professions=[Profession.DOCTOR_GP],
        zones=[ArsZone.ZIP],
    )
    return territory


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def at_1280(page, screenshot, name):
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, f"{name}-1280")
    page.set_viewport_size(PHONE)


def test_a_nurse_is_told_what_her_own_zoning_says(phone_page, live_server, cotentin, screenshot, assert_accessible):
    page = phone_page
    page.goto(f"{live_server.url}/cotentin/installation/aides/")
    expect(page.get_by_role("heading", level=2, name="À quelles aides pourrais-je prétendre ?")).to_be_visible()
    assert_accessible(page, "aides")
    page.get_by_label("Votre profession").select_option(Profession.NURSE)
    page.get_by_label("Commune d'installation").select_option(label="Bricquebec-en-Cotentin")
    page.get_by_role("button", name="Voir mes aides").click()
    page.wait_for_load_state()
    caii = page.locator("li.card", has_text="(CAII)").first
    expect(caii).to_contain_text("Nous ne savons pas encore")
    expect(caii).to_contain_text("Le zonage ARS des infirmiers et infirmières n'est pas encore connu")
    expect(caii).to_contain_text("guichet-sante@cotentin.example")
    expect(page.locator("body")).not_to_contain_text("Vous pourriez y prétendre")
    expect(page.locator("body")).not_to_contain_text("avez droit")
    assert_accessible(page, "aides, infirmière, zonage inconnu")
    screenshot(page, "aids-nurse-unknown-360")
    assert fits_the_screen(page)
    at_1280(page, screenshot, "aids-nurse-unknown")

    # The territory imports the nurses' zoning: Bricquebec is "intermédiaire" for nurses.
    CommuneFactory(insee_code="50082", zonings={ZoningProfession.NURSES: ArsZone.INTERMEDIATE})
    page.reload()
    expect(caii).to_contain_text("Ne s'applique pas")
    expect(caii).to_contain_text("classée « Zone intermédiaire » dans le zonage des infirmiers et infirmières")
    assert_accessible(page, "aides, infirmière, zone intermédiaire")
    screenshot(page, "aids-nurse-known-360")

    # A doctor, same commune: the doctors' ZIP counts for the doctors' contract.
    page.get_by_label("Votre profession").select_option(Profession.DOCTOR_GP)
    page.get_by_role("button", name="Voir mes aides").click()
    page.wait_for_load_state()
    expect(page.locator("li.card", has_text="(CAIM)").first).to_contain_text("Vous pourriez y prétendre")


def test_a_doctor_chooses_communes_by_typing_reviews_every_answer_and_gets_the_reference(
    phone_page, live_server, cotentin, screenshot, assert_accessible
):
    page = phone_page
    page.goto(f"{live_server.url}/cotentin/installation/")
    expect(page.locator("p.lead")).to_contain_text("le guichet unique de la Communauté d'agglomération du Cotentin")
    assert_accessible(page, "start")
    page.get_by_role("link", name="Commencer ma demande").click()

    page.get_by_label("Profession").select_option(Profession.DOCTOR_GP)
    page.get_by_label("Situation actuelle").select_option(index=1)
    page.get_by_label("Numéro RPPS").fill("10003456786")
    assert_accessible(page, "vous")
    page.get_by_role("button", name="Continuer").click()

    # The communes: typed, not hunted among the boxes; accents and case do not matter.
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre projet")
    chosen = page.locator(".commune-chosen")
    expect(chosen).to_have_text("Communes choisies : pas encore choisi")
    search = page.get_by_label(re.compile("Rechercher une commune"))
    search.fill("ecaus")
    expect(page.get_by_label("Écausseville")).to_be_visible()
    expect(page.get_by_label("Valognes")).to_be_hidden()
    search.press("Enter")  # the only match left is ticked; Enter never sends the form
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre projet")
    search.fill("valo")
    search.press("Enter")
    expect(chosen).to_have_text("Communes choisies : Écausseville, Valognes")
    labels = page.locator("div.commune-picker label").all_inner_texts()
    assert [label.strip() for label in labels] == [
        "Bricquebec-en-Cotentin",
        "Cherbourg-en-Cotentin",
        "Écausseville",
        "Eroudeville",
        "Valognes",
    ]
    page.get_by_label("Mode d'exercice").select_option("liberal")
    page.get_by_label("Type de structure").select_option("msp")
    page.get_by_label("Votre projet en quelques mots").fill("Rejoindre la MSP de Valognes avec un associé.")
    assert_accessible(page, "projet")
    screenshot(page, "request-communes-360")
    assert fits_the_screen(page)
    at_1280(page, screenshot, "request-communes")
    page.get_by_role("button", name="Continuer").click()

    # The needs: one group; the error is linked; a "Précisions" box appears with its tick.
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos besoins")
    details = page.get_by_label("Locaux ou cabinet à reprendre — Précisions (facultatif)")
    expect(details).to_be_hidden()
    page.get_by_role("button", name="Continuer").click()
    expect(page).to_have_title(re.compile("^Erreur : "))
    page.get_by_role("link", name=re.compile("Cochez au moins un besoin")).click()
    assert page.evaluate("document.activeElement.id") == "id_besoins-need_premises"
    assert_accessible(page, "besoins, erreur")
    page.keyboard.press("Space")
    expect(details).to_be_visible()
    details.fill("Un cabinet en MSP")
    screenshot(page, "request-needs-360")
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vos coordonnées")
    page.get_by_label("Prénom").fill("Julien")
    page.get_by_label(re.compile(r"^Nom\b")).fill("Morvan")
    page.get_by_label("Adresse e-mail").fill("julien.morvan@exemple.fr")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    assert_accessible(page, "coordonnées")
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier et envoyer")
    body = page.locator("main")
    for answer in (
        "Médecin généraliste",
        "Libéral",
        "Maison de santé",
        "Rejoindre la MSP de Valognes avec un associé.",
        "Écausseville, Valognes",
        "Un cabinet en MSP",
        "julien.morvan@exemple.fr",
    ):
        expect(body).to_contain_text(answer)
    expect(
        page.get_by_role("link", name="Modifier votre profession, votre situation ou votre numéro RPPS")
    ).to_be_visible()
    assert_accessible(page, "vérification")
    screenshot(page, "request-review-360")
    assert fits_the_screen(page)
    at_1280(page, screenshot, "request-review")
    page.get_by_role("button", name="Envoyer ma demande").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("confirmez-la")
    case = Case.objects.get()
    expect(page.locator("main")).to_contain_text(case.reference)
    expect(page.locator("main")).to_contain_text("julien.morvan@exemple.fr")
    expect(page.get_by_role("link", name=re.compile("récapitulatif.*PDF"))).to_be_visible()
    assert_accessible(page, "envoyée")
    screenshot(page, "request-sent-360")
    assert fits_the_screen(page)
    at_1280(page, screenshot, "request-sent")


def test_an_applicant_without_account_answers_from_the_e_mail_link(
    phone_page, live_server, cotentin, screenshot, assert_accessible
):
    from django.core import mail

    from installations.services.applicant_mail import case_confirmation_token
    from installations.services.exchanges import message_post
    from installations.services.lifecycle import case_take_charge
    from installations.services.submission import case_confirm_email, case_submit
    from portal.enums import Role
    from portal.notifications.tasks import outbox_relay
    from tests.portal.factories import MembershipFactory, UserFactory

    coordinator = UserFactory(email="coordination@cotentin.example", first_name="Claire", staff=True)
    MembershipFactory(user=coordinator, territory=cotentin, role=Role.COORDINATOR)
    case = case_submit(
        territory=cotentin,
        actor=None,
        email="sans.compte@exemple.fr",
        profession=Profession.NURSE,
        needs={"premises": ""},
        idempotency_key="",
    )
    case_confirm_email(token=case_confirmation_token(case))
    case.refresh_from_db()
    case_take_charge(actor=coordinator, case=case)
    message_post(actor=coordinator, case=case, body="Bonjour, pouvez-vous passer mardi à 10 h ?")
    outbox_relay.apply()
    sent = next(m for m in mail.outbox if m.to == ["sans.compte@exemple.fr"] and "/messages/" in m.body)
    link = re.search(r"https?://\S+/messages/\S+/", sent.body).group(0)
    page = phone_page
    page.goto(f"{live_server.url}/{link.split('://', 1)[1].split('/', 1)[1]}")
    expect(page.locator("#messages")).to_contain_text("pouvez-vous passer mardi à 10 h ?")
    assert_accessible(page, "conversation")
    page.get_by_label("Votre message").fill("Oui, mardi 10 h me convient.")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.locator("#messages")).to_contain_text("Oui, mardi 10 h me convient.")
    assert_accessible(page, "conversation, réponse envoyée")
    screenshot(page, "conversation-link-360")
    assert fits_the_screen(page)
