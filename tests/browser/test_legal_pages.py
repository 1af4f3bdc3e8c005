"""The legal pages a local authority owes: reachable from every footer (public, signed-in, admin), readable
on a 360px phone, no serious axe-core violation."""

import pytest
from playwright.sync_api import expect

from portal.enums import Role
from tests.browser.conftest import PHONE
from tests.portal.factories import MembershipFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINKS = ("Mentions légales", "Données personnelles", "Accessibilité : non conforme")


@pytest.fixture
def cotentin():
    return TerritoryFactory(name="Communauté d'agglomération du Cotentin", slug="cotentin", siren="200067205")


def footer_link(page, name):
    return page.get_by_role("navigation", name="Informations légales").get_by_role("link", name=name)


def test_each_legal_page_is_reached_from_the_footer_on_a_phone(
    phone_page, live_server, cotentin, assert_accessible, screenshot
):
    for name, slug, title in zip(
        LINKS,
        ("mentions-legales", "donnees-personnelles", "accessibilite"),
        ("Mentions légales", "Données personnelles", "Déclaration d'accessibilité"),
        strict=True,
    ):
        phone_page.goto(f"{live_server.url}/cotentin/")
        footer_link(phone_page, name).click()
        phone_page.wait_for_url(f"{live_server.url}/cotentin/{slug}/")
        expect(phone_page.get_by_role("heading", level=1)).to_have_text(title)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], slug
        assert_accessible(phone_page, slug)
        screenshot(phone_page, f"legal-{slug}-360")


def test_the_data_page_at_1280_and_the_national_pages(page, live_server, cotentin, assert_accessible, screenshot):
    page.goto(f"{live_server.url}/cotentin/donnees-personnelles/")
    expect(page.get_by_role("heading", name="Combien de temps")).to_be_visible()
    screenshot(page, "legal-donnees-personnelles-1280")
    page.goto(f"{live_server.url}/")
    footer_link(page, "Données personnelles").click()
    page.wait_for_url(f"{live_server.url}/donnees-personnelles/")
    expect(page.get_by_role("link", name="Communauté d'agglomération du Cotentin", exact=True)).to_be_visible()
    assert_accessible(page, "national data page")
    screenshot(page, "legal-national-donnees-personnelles-1280")


def test_signed_in_and_admin_pages_link_the_legal_pages(
    page, live_server, cotentin, make_person, sign_in, assert_accessible
):
    person = make_person("medecin@exemple.fr")
    sign_in(page, person)
    for name in LINKS:
        expect(footer_link(page, name)).to_be_visible()
    footer_link(page, "Mentions légales").click()
    page.wait_for_url(f"{live_server.url}/mentions-legales/")
    assert_accessible(page, "national legal notice")
    page.context.clear_cookies()

    coordinator = make_person("coordination@cotentin.fr", totp=True, is_staff=True)
    MembershipFactory(user=coordinator, territory=cotentin, role=Role.COORDINATOR)
    sign_in(page, coordinator, expect_path=None)
    page.goto(f"{live_server.url}/admin/")
    for name in LINKS:
        expect(footer_link(page, name)).to_be_visible()
    page.goto(f"{live_server.url}/admin/installations/case/")
    expect(footer_link(page, "Accessibilité : non conforme")).to_be_visible()


def test_the_manager_reads_who_opened_a_case(
    page, live_server, cotentin, make_person, sign_in, screenshot, assert_accessible
):
    from tests.installations.factories import CaseFactory

    case = CaseFactory(territory=cotentin, applicant_last_name="Durand")
    coordinator = make_person("coordination@cotentin.fr", totp=True, is_staff=True, first_name="Claire")
    MembershipFactory(user=coordinator, territory=cotentin, role=Role.COORDINATOR)
    sign_in(page, coordinator, expect_path=None)
    page.goto(f"{live_server.url}/admin/installations/case/{case.pk}/change/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.context.clear_cookies()

    manager = make_person("direction@cotentin.fr", totp=True, is_staff=True)
    MembershipFactory(user=manager, territory=cotentin, role=Role.MANAGER)
    sign_in(page, manager, expect_path=None)
    page.goto(f"{live_server.url}/admin/privacy/accesslog/")
    expect(page.get_by_role("cell", name=case.reference)).to_be_visible()
    expect(page.get_by_text("coordination@cotentin.fr")).to_be_visible()
    assert page.title().startswith("Journal des consultations de données personnelles")
    assert_accessible(page, "access log")
    screenshot(page, "admin-access-log-1280")
    page.locator("#result_list tbody th a").first.click()
    expect(page.get_by_text("Fiche d'une demande", exact=True)).to_be_visible()
    assert_accessible(page, "an access log row")
    # The legal pages' form, as the manager fills it (the admin's other pages: test_admin_accessibility).
    page.goto(f"{live_server.url}/admin/privacy/legalnotice/add/")
    expect(page.get_by_label("État de conformité au RGAA")).to_be_visible()
    assert_accessible(page, "legal notice form")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(page, "admin-legal-notice-1280")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/admin/privacy/accesslog/")
    screenshot(page, "admin-access-log-360")


def test_the_applicant_withdraws_household_consent_from_their_space_on_a_phone(
    phone_page, live_server, cotentin, make_person, sign_in, assert_accessible, screenshot
):
    import datetime

    from django.utils import timezone

    from installations.enums import NeedKind
    from tests.installations.factories import CaseFactory, NeedFactory

    page = phone_page
    person = make_person("medecin@exemple.fr", first_name="Lucie")
    now = timezone.now()
    case = CaseFactory(
        territory=cotentin,
        applicant=person,
        household_consent=True,
        household_consent_at=now - datetime.timedelta(days=3),
        household_retention_until=(now + datetime.timedelta(days=727)).date(),
        children_ages=[2],
    )
    NeedFactory(territory=cotentin, case=case, kind=NeedKind.CHILDCARE, details="Crèche pour un enfant de 2 ans.")
    sign_in(page, person)
    page.goto(f"{live_server.url}/espace/")
    button = page.get_by_role("button", name="Retirer mon consentement et effacer les informations de mon foyer")
    expect(button).to_be_visible()
    assert_accessible(page, "personal space with a consent")
    screenshot(page, "space-consent-360")
    button.click()
    expect(page.get_by_text("Votre consentement est retiré")).to_be_visible()
    expect(button).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "space-consent-withdrawn-360")
    case.refresh_from_db()
    assert not case.household_consent and not case.needs.get().details
