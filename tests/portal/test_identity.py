"""Each territory's identity kept wherever the person came from it: sign-in, sign-up, the personal
space and a missing page show the territory's name and colour, not the portal's generic blue."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from portal.context_processors import DEFAULT_COLOUR
from tests.portal.factories import UserFactory


def brand(response):
    body = response.content.decode()
    return body


def test_sign_in_and_sign_up_from_a_territory_keep_its_identity(territory_a, territory_b):
    territory_a.main_colour = "#6b2c5b"
    territory_a.save()
    client = Client()
    home = client.get(reverse("portal:territory_home", kwargs={"territory_slug": territory_a.slug}))
    assert home.cookies["territoire"].value == territory_a.slug
    for name in ("account_login", "account_signup"):
        page = brand(Client().get(reverse(name), {"next": f"/{territory_a.slug}/installation/"}))
        assert "--brand: #6b2c5b" in page and territory_a.name in page
        assert f"--brand: {DEFAULT_COLOUR}" not in page


def test_the_personal_space_and_a_missing_page_keep_the_last_territory(territory_a, login):
    applicant = UserFactory(email="docteure.durand@exemple.fr")
    territory_a.main_colour = "#6b2c5b"
    territory_a.save()
    client = login(applicant)
    assert f"--brand: {DEFAULT_COLOUR}" in brand(client.get(reverse("portal:personal_space")))
    client.get(reverse("portal:territory_home", kwargs={"territory_slug": territory_a.slug}))
    space = brand(client.get(reverse("portal:personal_space")))
    assert "--brand: #6b2c5b" in space and territory_a.name in space
    missing = Client().get(f"/{territory_a.slug}/nulle-part/")
    assert missing.status_code == 404
    assert "--brand: #6b2c5b" in brand(missing) and territory_a.name in brand(missing)


def test_the_identity_cookie_is_sent_once_per_territory_and_no_session_is_made(territory_a, territory_b):
    client = Client()
    url = reverse("portal:territory_home", kwargs={"territory_slug": territory_a.slug})
    first = client.get(url)
    assert "territoire" in first.cookies and first.cookies["territoire"]["httponly"]
    assert "territoire" not in client.get(url).cookies
    assert settings.SESSION_COOKIE_NAME not in first.cookies
    other = client.get(reverse("portal:territory_home", kwargs={"territory_slug": territory_b.slug}))
    assert other.cookies["territoire"].value == territory_b.slug


def test_a_next_leading_elsewhere_shows_the_portal_itself(territory_a):
    page = brand(Client().get(reverse("account_login"), {"next": "https://ailleurs.example/x"}))
    assert f"--brand: {DEFAULT_COLOUR}" in page
