"""The portal's look and feel: one themed base, recoloured per territory, accessible and CSP-strict."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.portal.factories import TerritoryFactory

STATIC = Path(settings.BASE_DIR) / "static"


class PageStructure(HTMLParser):
    """What an accessibility review looks at first, read from a page's HTML."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.headings = []
        self.labelled_for = set()
        self.inputs = []
        self.links = []
        self.styles = []
        self.scripts_inline = 0
        self.style_attributes = 0
        self.ids = []
        self._label_depth = 0
        self._inputs_inside_label = set()
        self._current_heading = None
        self._current_link = None
        self._in_style = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if "style" in attrs:
            self.style_attributes += 1
        if tag == "html":
            self.html_lang = attrs.get("lang")
        elif re.fullmatch(r"h[1-6]", tag):
            self._current_heading = [int(tag[1]), ""]
        elif tag == "label":
            self._label_depth += 1
            if attrs.get("for"):
                self.labelled_for.add(attrs["for"])
        elif tag in {"input", "select", "textarea"}:
            if attrs.get("type") in {"hidden", "submit", "button"}:
                return
            self.inputs.append(attrs)
            if self._label_depth:
                self._inputs_inside_label.add(attrs.get("id") or id(attrs))
        elif tag == "a":
            self._current_link = [attrs, ""]
        elif tag == "style":
            self._in_style = [attrs, ""]
        elif tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.scripts_inline += 1

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._current_heading:
            self.headings.append((self._current_heading[0], self._current_heading[1].strip()))
            self._current_heading = None
        elif tag == "label":
            self._label_depth -= 1
        elif tag == "a" and self._current_link:
            self.links.append((self._current_link[0], self._current_link[1].strip()))
            self._current_link = None
        elif tag == "style" and self._in_style:
            self.styles.append(tuple(self._in_style))
            self._in_style = None

    def handle_data(self, data):
        if self._current_heading:
            self._current_heading[1] += data
        if self._current_link:
            self._current_link[1] += data
        if self._in_style:
            self._in_style[1] += data

    @property
    def unlabelled_inputs(self):
        return [
            field
            for field in self.inputs
            if field.get("id") not in self.labelled_for
            and (field.get("id") or id(field)) not in self._inputs_inside_label
            and not field.get("aria-label")
            and not field.get("aria-labelledby")
        ]

    @property
    def heading_levels(self):
        return [level for level, _ in self.headings]


def assert_accessible_page(response):
    """The checks every page of the portal must pass (RGAA's basics that HTML can show)."""
    html = response.content.decode()
    assert "!!MISSING" not in html
    page = PageStructure(html)
    assert page.html_lang == "fr"
    first_link = page.links[0][0] if page.links else {}
    assert first_link.get("href") == "#contenu", "the skip link must be the first link of the page"
    assert "contenu" in page.ids
    assert page.heading_levels.count(1) == 1, page.headings
    assert page.heading_levels[0] == 1, page.headings
    for previous, current in zip(page.heading_levels, page.heading_levels[1:], strict=False):
        assert current <= previous + 1, f"heading level skipped: {page.headings}"
    assert page.unlabelled_inputs == [], page.unlabelled_inputs
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    # Strict CSP: no inline script, no style attribute.
    assert page.scripts_inline == 0
    assert page.style_attributes == 0
    return page


def csp_nonce(response):
    policy = response["Content-Security-Policy"]
    match = re.search(r"'nonce-([^']+)'", policy)
    assert match, policy
    return match.group(1)


@pytest.fixture
def coloured_territory(db):
    return TerritoryFactory(name="Communauté d'agglomération du Cotentin", slug="cotentin", main_colour="#0b5e3b")


def test_territory_home_is_recoloured_with_the_territory_brand_colour_in_the_nonced_style(client, coloured_territory):
    response = client.get(reverse("portal:territory_home", args=["cotentin"]))

    page = assert_accessible_page(response)
    nonced = [css for attrs, css in page.styles if attrs.get("nonce") == csp_nonce(response)]
    assert len(nonced) == 1
    assert "--brand: #0b5e3b" in nonced[0]
    assert all(attrs.get("nonce") for attrs, _ in page.styles), "every <style> must carry the nonce"


def test_portal_pages_outside_a_territory_use_the_default_colour(client, db):
    response = client.get(reverse("portal:landing"))

    page = assert_accessible_page(response)
    assert any("--brand: #1d4f91" in css for _, css in page.styles)


def test_content_security_policy_is_strict_on_every_page(client, coloured_territory):
    for url in [reverse("portal:landing"), "/cotentin/", reverse("account_login"), reverse("account_signup")]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy
        assert "'unsafe-eval'" not in policy
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy


def test_territory_home_shows_the_territory_contact_and_the_account_links(client, coloured_territory):
    response = client.get("/cotentin/")

    html = response.content.decode()
    assert "Communauté d&#x27;agglomération du Cotentin" in html
    assert f"mailto:{coloured_territory.contact_email}" in html
    assert reverse("account_login") in html
    assert reverse("account_signup") in html


def test_signed_in_pages_pass_the_accessibility_checks(login, db):
    from tests.portal.factories import UserFactory

    client = login(UserFactory())
    for url in [reverse("portal:personal_space"), reverse("portal:profile_edit")]:
        assert_accessible_page(client.get(url))


def test_a_refused_form_starts_with_an_error_summary_linking_to_each_field(login, db):
    from tests.portal.factories import UserFactory

    client = login(UserFactory())
    response = client.post(
        reverse("portal:profile_edit"),
        {"identity-first_name": "Anne", "profile-profession": "", "profile-rpps": "123"},
    )

    html = response.content.decode()
    assert html.count('class="error-summary"') == 1, "one summary for the whole page"
    summary = html[html.index('class="error-summary"') : html.index("</div>", html.index('class="error-summary"'))]
    assert 'href="#id_profile-rpps"' in summary
    assert "Le numéro RPPS comporte exactement 11 chiffres" in summary
    assert html.index('class="error-summary"') < html.index('name="identity-first_name"')
    assert 'value="Anne"' in html, "what was typed is kept"
    assert_accessible_page(response)


def test_unknown_page_answers_a_french_404_in_the_theme(client, db):
    response = client.get("/comptes/nulle-part/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert_accessible_page(response)


def test_unknown_territory_answers_the_french_404(client, db):
    response = client.get("/territoire-inconnu/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def _request(path="/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.csp_nonce = "test-nonce"
    return request


def test_permission_denied_answers_a_french_403_in_the_theme(db):
    response = defaults.permission_denied(_request("/espace/"), PermissionDenied())

    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html
    assert "Se connecter" in html
    assert_accessible_page(response)


def test_too_many_requests_page_explains_the_wait_in_french(db):
    from allauth.core.ratelimit import respond_429

    response = respond_429(_request("/comptes/login/"))

    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de tentatives" in html
    assert "Patientez quelques minutes" in html
    assert_accessible_page(response)


def test_server_error_page_renders_without_any_request_context():
    # Django renders 500.html with an empty context: no request, no user, no database.
    response = defaults.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "!!MISSING" not in html
    assert "Le service rencontre un problème" in html
    page = PageStructure(html)
    assert page.html_lang == "fr"
    assert page.heading_levels == [1]
    assert page.styles == [], "no inline style: there is no nonce without a request"


def test_csrf_failure_page_explains_in_french_without_a_request_context(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@exemple.fr", "password": "x"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "!!MISSING" not in html
    assert "Ce formulaire a expiré" in html
    assert PageStructure(html).html_lang == "fr"


def test_stylesheet_is_served_and_covers_focus_motion_and_the_brand_variable(client, db):
    css = ""
    for name in ("portal.css", "components.css"):
        response = client.get(settings.STATIC_URL + "css/" + name)
        assert response.status_code == 200
        css += b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert ":focus-visible" in css
    assert "prefers-reduced-motion: reduce" in css
    assert "var(--brand)" in css
    assert ".skip-link:focus" in css
    assert "Marianne" not in css, "the State's font is reserved to State entities"


def test_shipped_font_files_come_with_their_open_font_licence():
    fonts = STATIC / "fonts" / "source-sans-3"
    css = (STATIC / "css" / "portal.css").read_text()
    referenced = re.findall(r"fonts/source-sans-3/([\w.-]+\.woff2)", css)
    assert referenced
    for name in referenced:
        assert (fonts / name).is_file(), name
    assert "SIL Open Font License" in (fonts / "OFL.txt").read_text()
