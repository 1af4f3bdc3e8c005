"""The applicant reads what the portal holds about them on a 360px phone, from their case page, and
can still take the JSON."""

import pytest
from playwright.sync_api import expect

from installations.enums import NeedKind
from tests.installations.factories import CaseFactory, MessageFactory, NeedFactory
from tests.portal.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_applicant_reads_their_data_on_a_phone(
    phone_page, live_server, make_person, sign_in, assert_accessible, screenshot
):
    territory = TerritoryFactory(name="Communauté d'agglomération du Cotentin", slug="cotentin", main_colour="#0b5e3b")
    commune = CommuneFactory(insee_code="50129", name="Cherbourg-en-Cotentin")
    territory.communes.add(commune)
    person = make_person("lucie.durand@exemple.fr", first_name="Lucie", last_name="Durand")
    case = CaseFactory(
        territory=territory, applicant=person, target_communes=[commune], applicant_phone="02 33 00 00 00"
    )
    NeedFactory(territory=territory, case=case, kind=NeedKind.PREMISES, details="Un cabinet en maison de santé")
    MessageFactory(territory=territory, case=case, body="Bonjour, où en est ma demande ?")
    other = CaseFactory(territory=territory, applicant=make_person("autre@exemple.fr", first_name="Autre"))

    page = sign_in(phone_page, person)
    page.goto(f"{live_server.url}/cotentin/installation/mes-demandes/{case.pk}/")
    page.get_by_role("link", name="Voir les données que le guichet détient sur moi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les données que le guichet détient sur vous")
    for text in ("lucie.durand@exemple.fr", "Cherbourg-en-Cotentin", "Un cabinet en maison de santé"):
        expect(page.get_by_text(text, exact=False).first).to_be_visible()
    assert other.reference not in page.content() and "autre@exemple.fr" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    assert_accessible(page, "la page de mes données à 360 px")
    screenshot(page, "mes-donnees-360")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger ces données dans un fichier (JSON, lisible par un logiciel)").click()
    assert download.value.suggested_filename == f"mes-donnees-{case.reference}.json"
