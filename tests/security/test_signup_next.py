"""Defect 10 of issue 10: signing up from a territory's page brings the person back there once
their address is confirmed, not to /espace/."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.portal.test_accounts import PASSWORD, is_signed_in, sign_in

pytestmark = pytest.mark.django_db


def sign_up_from(client, page):
    html = client.get(page).content.decode()
    signup_link = re.search(r'href="(/comptes/signup/\?next=[^"]*)"', html).group(1).replace("&amp;", "&")
    response = client.post(signup_link, {"email": "nouvelle@exemple.fr", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    return re.search(r"http://testserver(/comptes/confirm-email/\S+)", mail.outbox[-1].body).group(1)


def test_confirming_the_address_brings_the_person_back_to_the_territory_page_signed_in(client, territory_a):
    page = reverse("installations:aids", kwargs={"territory_slug": territory_a.slug})
    link = sign_up_from(client, page)

    assert client.get(link).status_code == 200
    confirmed = client.post(link)

    assert confirmed.status_code == 302
    assert confirmed["Location"] == page
    assert is_signed_in(client)


def test_confirming_in_another_browser_then_signing_in_brings_the_person_back_there(client, territory_a):
    page = reverse("portal:territory_home", kwargs={"territory_slug": territory_a.slug})
    link = sign_up_from(client, page)
    phone = Client()

    confirmed = phone.post(link)

    assert confirmed.status_code == 302
    assert not is_signed_in(phone), "only the browser that signed up is signed in by the link"
    assert confirmed["Location"] == page
    # The territory's page offers to sign in, and signing in comes back to it.
    login_link = re.search(r'href="(/comptes/login/\?next=[^"]*)"', phone.get(page).content.decode()).group(1)
    signed_in = phone.post(login_link.replace("&amp;", "&"), {"login": "nouvelle@exemple.fr", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == page


def test_a_next_outside_the_portal_given_at_sign_up_is_ignored(client):
    client.post(
        reverse("account_signup") + "?next=https://ailleurs.example/",
        {
            "email": "nouvelle@exemple.fr",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "https://ailleurs.example/",
        },
    )
    link = re.search(r"http://testserver(/comptes/confirm-email/\S+)", mail.outbox[-1].body).group(1)

    assert "ailleurs" not in mail.outbox[-1].body
    confirmed = client.post(link)

    assert confirmed["Location"] == reverse("portal:home")


def test_signing_in_still_lands_in_the_personal_space_without_a_next(client):
    client.post(
        reverse("account_signup"), {"email": "nouvelle@exemple.fr", "password1": PASSWORD, "password2": PASSWORD}
    )
    link = re.search(r"http://testserver(/comptes/confirm-email/\S+)", mail.outbox[-1].body).group(1)
    assert client.post(link)["Location"] == reverse("portal:home")
    assert sign_in(Client(), "nouvelle@exemple.fr")["Location"] == reverse("portal:home")
