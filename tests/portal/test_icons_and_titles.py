"""What browsers and people expect of any site: icons at the root, "Erreur :" in the title of a
page that refused a form (the first thing a screen reader says)."""

from django.test import Client
from django.urls import reverse

from portal.enums import Profession


def test_favicon_and_apple_touch_icon_answer_at_the_root(db):
    client = Client()
    for path, static_name in (("/favicon.ico", "favicon.ico"), ("/apple-touch-icon.png", "apple-touch-icon.png")):
        response = client.get(path)
        assert response.status_code == 301
        assert response["Location"].endswith(static_name)
    home = client.get(reverse("portal:landing")).content.decode()
    assert 'rel="apple-touch-icon"' in home


def test_a_refused_form_says_erreur_first_in_the_page_title(territory_a):
    client = Client()
    url = reverse("installations:request_step", kwargs={"territory_slug": territory_a.slug, "step": "vous"})
    fine = client.get(url).content.decode()
    assert "<title>Erreur" not in fine
    refused = client.post(url, {"vous-profession": Profession.DOCTOR_GP}).content.decode()
    assert "<title>Erreur : " in refused
    login = client.post(reverse("account_login"), {"login": "personne@exemple.fr", "password": "faux"})
    assert "<title>Erreur : " in login.content.decode()
