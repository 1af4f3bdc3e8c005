"""A person on a phone: the territory's home page, sign-up with e-mail confirmation, sign-in, keyboard only."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, PHONE
from tests.portal.factories import TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cotentin():
    return TerritoryFactory(
        name="Communauté d'agglomération du Cotentin",
        slug="cotentin",
        main_colour="#0b5e3b",
        presentation="Le guichet unique accompagne les professionnels de santé qui s'installent dans le Cotentin.",
    )


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_territory_home_on_a_phone_is_in_the_territory_colour_and_fits_360px(
    phone_page, live_server, cotentin, screenshot
):
    phone_page.goto(f"{live_server.url}/cotentin/")

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Communauté d'agglomération du Cotentin")
    header_colour = phone_page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_colour == "rgb(11, 94, 59)"
    assert fits_the_screen(phone_page), "no horizontal scrolling at 360px"
    assert phone_page.evaluate("document.fonts.check('1em \"Source Sans 3\"')")
    screenshot(phone_page, "territory-home-360")


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(page, live_server, cotentin, screenshot):
    page.goto(f"{live_server.url}/cotentin/")

    page.keyboard.press("Tab")
    screenshot(page, "skip-link-focus")

    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_in_viewport()
    outline = skip_link.evaluate("e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth]")
    assert outline == ["solid", "3px"]

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), "next stop is inside the content"
    style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    card_style = page.evaluate(
        "getComputedStyle(document.activeElement.closest('.card') || document.body).outlineStyle"
    )
    assert "solid" in (style, card_style), "the focused element shows a ring"


def test_signup_on_a_phone_confirms_the_email_then_signs_in(phone_page, live_server, cotentin, screenshot):
    page = phone_page
    page.goto(f"{live_server.url}/cotentin/")
    page.get_by_role("link", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
    assert fits_the_screen(page)
    screenshot(page, "signup-360")

    page.get_by_label("Adresse e-mail").fill("interne@exemple.fr")
    page.get_by_label("Mot de passe", exact=False).first.fill("Court-11car")
    page.get_by_label("Confirmation du mot de passe").fill("Court-11car")
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.locator(".error-summary")).to_contain_text("au minimum 12 caractères")
    expect(page.get_by_label("Adresse e-mail")).to_have_value("interne@exemple.fr")
    expect(page.locator("#id_password1")).to_have_attribute("aria-invalid", "true")
    assert fits_the_screen(page)
    screenshot(page, "signup-refused-360")

    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre adresse e-mail")
    assert len(mail.outbox) == 1

    link = re.search(r"https?://[^/\s]+(/comptes/confirm-email/\S+)", mail.outbox[0].body).group(1)
    page.goto(f"{live_server.url}{link}")
    page.get_by_role("button", name="Confirmer").click()

    # Confirmed in the browser that signed up: signed in, back on the territory's page (issue 10, defect 10).
    expect(page).to_have_url(f"{live_server.url}/cotentin/")
    page.goto(f"{live_server.url}/espace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    assert fits_the_screen(page)
    screenshot(page, "personal-space-360")


def test_sign_in_with_a_wrong_password_keeps_the_email_then_succeeds(
    phone_page, live_server, make_person, sign_in, screenshot
):
    page = phone_page
    make_person("medecin@exemple.fr")

    sign_in(page, "medecin@exemple.fr", password="pas le bon", expect_path=None)

    expect(page.locator(".error-summary")).to_contain_text("L'adresse e-mail ou le mot de passe est incorrect")
    expect(page.get_by_label("Adresse e-mail")).to_have_value("medecin@exemple.fr")
    assert fits_the_screen(page)
    screenshot(page, "login-refused-360")
    sign_in(page, "medecin@exemple.fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def test_account_management_pages_show_the_page_then_the_account_menu(
    page, live_server, make_person, sign_in, screenshot
):
    make_person("medecin@exemple.fr")
    sign_in(page, "medecin@exemple.fr")

    page.get_by_role("link", name="Mes adresses e-mail").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Adresses e-mail")
    menu = page.get_by_role("navigation", name="Mon compte")
    expect(menu.get_by_role("link", name="Adresses e-mail")).to_have_attribute("aria-current", "page")
    heading_box = page.get_by_role("heading", level=1).bounding_box()
    menu_box = menu.bounding_box()
    assert menu_box["x"] > heading_box["x"], "on a wide screen the account menu sits beside the page"
    screenshot(page, "account-email-desktop")


def test_staff_sign_in_answers_the_second_factor_and_reaches_the_admin(page, live_server, make_person, sign_in):
    make_person("coordination@exemple.fr", totp=True, staff=True)

    sign_in(page, "coordination@exemple.fr")
    page.goto(f"{live_server.url}/admin/")

    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_contain_text("Guichet unique santé")


def test_staff_without_second_factor_enrols_it_on_a_phone(phone_page, live_server, make_person, sign_in, screenshot):
    page = phone_page
    make_person("coordination@exemple.fr", staff=True)
    # Without a second factor, a staff account reaches nothing but its enrolment (issue 10, defect 4):
    # signing in lands there rather than in /espace/, and so does opening the admin.
    sign_in(page, "coordination@exemple.fr", expect_path="/comptes/reauthenticate/")

    page.goto(f"{live_server.url}/admin/")
    # allauth first asks for the password again, then shows the QR code.
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    qr_code = page.locator("img.qr-code")
    assert qr_code.evaluate("img => img.complete && img.naturalWidth > 0"), "the CSP lets the QR code show"
    assert fits_the_screen(page)
    screenshot(page, "totp-activate-360")
