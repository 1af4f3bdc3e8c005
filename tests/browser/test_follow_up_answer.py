"""A settled doctor answers the follow-up question from the e-mail link, on a phone, without an account."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from installations.services.follow_ups import follow_up_token
from tests.browser.conftest import PHONE
from tests.installations.factories import CaseFactory, FollowUpFactory
from tests.portal.factories import TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_doctor_answers_the_follow_up_from_the_link_on_a_phone(phone_page, live_server, assert_accessible, screenshot):
    page = phone_page
    territory = TerritoryFactory(name="Communauté d'agglomération du Cotentin", slug="cotentin")
    case = CaseFactory(territory=territory, settled=True, applicant=None)
    follow_up = FollowUpFactory(territory=territory, case=case, years=3, due_date=timezone.localdate())
    page.goto(f"{live_server.url}/cotentin/installation/suivi/{follow_up_token(follow_up)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Exercez-vous toujours sur le territoire ?")
    expect(page.get_by_text("Il y a 3 ans", exact=False)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Un mot pour le guichet (facultatif)").fill("Toujours à la MSP de Valognes.")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_text("Choisissez oui ou non.").first).to_be_visible()
    assert page.title().startswith("Erreur")
    expect(page.get_by_label("Un mot pour le guichet (facultatif)")).to_have_value("Toujours à la MSP de Valognes.")
    assert_accessible(page, "the refused answer")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "follow-up-answer-error-360")

    page.get_by_label("Oui, j'exerce toujours sur le territoire").check()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci pour votre réponse")
    assert_accessible(page)
    follow_up.refresh_from_db()
    assert follow_up.still_practising is True
