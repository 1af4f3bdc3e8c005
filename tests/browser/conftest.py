"""Headless Chromium (Debian's, never a downloaded one) driven by pytest-playwright against `live_server`.

Reusable by every journey: the `page` fixture of pytest-playwright is configured here for our
Chromium, in French, on a desktop-sized window; `phone_page` gives a 360px-wide one; `sign_in`
fills the real sign-in form; `screenshot` saves under var/screenshots/ (git-ignored).
"""

from pathlib import Path

import axe_playwright_python
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings

from tests.portal.factories import UserFactory
from tests.totp import TOTP_SECRET, current_totp

CHROMIUM = "/usr/bin/chromium"
# Without the last two, Chromium keeps trying to reach the network (updates, field trials).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "une phrase de passe solide"
PHONE = {"width": 360, "height": 780}


@pytest.fixture(scope="session")
def base_url():
    # pytest-playwright 0.10 declares its fallback `base_url` as an instance method, which pytest 9
    # deprecates (an error under filterwarnings=error); pages here use live_server.url anyway.
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def phone_page(browser, live_server):
    """A page in a 360px-wide phone screen."""
    context = browser.new_context(locale="fr-FR", viewport=PHONE, device_scale_factor=1, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """`screenshot(page, "name")` writes var/screenshots/name.png (full page) and returns its path."""

    def _shoot(page, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shoot


@pytest.fixture
def make_person():
    """`make_person(email, totp=False, **fields)` gives an account whose e-mail is confirmed, able to sign in
    with PASSWORD; `totp=True` enrols an authenticator app (staff need one for the admin)."""

    def _make(email="medecin@exemple.fr", totp=False, **kwargs):
        user = UserFactory(email=email, password=PASSWORD, **kwargs)
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if totp:
            Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
        return user

    return _make


@pytest.fixture
def sign_in(live_server):
    """`sign_in(page, user_or_email, password=PASSWORD, expect_path="/espace/")` signs in through the real
    form, answers the second-factor step when the account has TOTP (secret TOTP_SECRET), and waits for
    `expect_path` (None: don't wait, e.g. to look at a refusal)."""

    def _sign_in(page, who, password=PASSWORD, expect_path="/espace/"):
        email = getattr(who, "email", who)
        page.goto(f"{live_server.url}/comptes/login/")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter", exact=True).click()
        page.wait_for_load_state()
        if "/comptes/2fa/authenticate/" in page.url:
            page.get_by_label("Code").fill(current_totp())
            page.get_by_role("button", name="Se connecter", exact=True).click()
        if expect_path:
            page.wait_for_url(f"{live_server.url}{expect_path}*")
        return page

    return _sign_in


AXE_SCRIPT = Path(axe_playwright_python.__file__).with_name("axe.min.js")
AXE_BLOCKING = {"serious", "critical"}


def axe_violations(page):
    """The accessibility violations of impact serious or critical on the page as it is now, each as
    "rule-id: help (selector, …)" — axe-core from the axe-playwright-python wheel, no network needed."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # add_script_tag would be refused by the CSP (no inline script); evaluating the source is not.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']}: {violation['help']} ({', '.join(str(node['target']) for node in violation['nodes'][:5])})"
        for violation in results["violations"]
        if violation.get("impact") in AXE_BLOCKING
    ]


@pytest.fixture
def assert_accessible():
    """`assert_accessible(page)` fails with the list of serious or critical axe-core violations."""

    def _check(page, label=""):
        violations = axe_violations(page)
        assert not violations, f"axe-core on {label or page.url}:\n" + "\n".join(violations)

    return _check
