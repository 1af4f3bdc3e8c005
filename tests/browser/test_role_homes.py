"""Each role lands on its own page after signing in, at 1,280 and 360 px, in headless Chromium: the
coordinator on the dashboard, the elected official on the governance page, the applicant on their
space, a person with two roles on a chooser; a doctor who opens the governance page is told whom it
is for. axe-core runs on every page."""

import pytest
from playwright.sync_api import expect

from portal.enums import Role
from tests.browser.conftest import PHONE
from tests.installations.factories import CaseFactory
from tests.portal.factories import MembershipFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cotentin():
    return TerritoryFactory(name="Communauté d'agglomération du Cotentin", slug="cotentin")


@pytest.fixture
def agen():
    return TerritoryFactory(name="Agglomération d'Agen", slug="agen")


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_coordinator_lands_on_the_dashboard_and_its_counts_lead_to_the_list(
    page, live_server, cotentin, make_person, sign_in, assert_accessible, screenshot
):
    coordinator = make_person("coordination@cotentin.fr", totp=True, staff=True)
    MembershipFactory(user=coordinator, territory=cotentin, role=Role.COORDINATOR)
    CaseFactory.create_batch(3, territory=cotentin, unconfirmed=True)
    CaseFactory.create_batch(2, territory=cotentin)
    sign_in(page, coordinator, expect_path="/admin/installations/case/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de bord")
    assert_accessible(page)
    screenshot(page, "dashboard-1280")
    page.set_viewport_size(PHONE)
    assert fits(page, PHONE["width"])
    screenshot(page, "dashboard-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="2 Nouvelles demandes à prendre en charge").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)


def test_elected_official_lands_on_the_governance_page_on_a_phone(
    phone_page, live_server, cotentin, make_person, sign_in, assert_accessible, screenshot
):
    elected = make_person("elu@cotentin.fr")
    MembershipFactory(user=elected, territory=cotentin, role=Role.ELECTED_OFFICIAL)
    CaseFactory.create_batch(3, territory=cotentin)
    sign_in(phone_page, elected, expect_path="/cotentin/gouvernance/")
    # The key figures as numbers and as charts, the charts as wide as the phone.
    chart = phone_page.get_by_role("img", name="Demandes d'accompagnement par mois", exact=False).first
    expect(chart).to_be_visible()
    # Readable on a phone: scrolled sideways inside its own (focusable) frame, the page itself does not scroll.
    assert chart.bounding_box()["width"] >= 500
    assert fits(phone_page, PHONE["width"])
    assert_accessible(phone_page)
    screenshot(phone_page, "governance-figures-360")


def test_person_with_two_territories_chooses_then_reaches_the_chosen_page(
    phone_page, live_server, cotentin, agen, make_person, sign_in, assert_accessible, screenshot
):
    person = make_person("elue@exemple.fr")
    MembershipFactory(user=person, territory=cotentin, role=Role.ELECTED_OFFICIAL)
    MembershipFactory(user=person, territory=agen, role=Role.COUNCIL_MEMBER)
    sign_in(phone_page, person, expect_path="/accueil/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Choisissez votre espace")
    assert fits(phone_page, PHONE["width"])
    assert_accessible(phone_page)
    screenshot(phone_page, "home-choice-360")
    phone_page.locator("li", has_text="Agglomération d'Agen").get_by_role("link").click()
    phone_page.wait_for_url(f"{live_server.url}/agen/gouvernance/")


def test_doctor_on_the_governance_page_is_told_whom_it_is_for(
    page, live_server, cotentin, make_person, sign_in, assert_accessible, screenshot
):
    doctor = make_person("medecin@exemple.fr")
    sign_in(page, doctor)  # no role anywhere: their personal space
    page.goto(f"{live_server.url}/cotentin/gouvernance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cette page est réservée")
    expect(page.get_by_text("Élu ou élue")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name=cotentin.contact_email)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "reserved-1280")
