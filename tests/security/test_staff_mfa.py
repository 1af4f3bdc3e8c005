"""Defect 4 of issue 10: with STAFF_MFA_REQUIRED, a staff account without a second factor reaches
nothing but what it needs to enrol one (and sign out)."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from portal.enums import Role
from portal.models import User
from tests.portal.factories import MembershipFactory
from tests.portal.test_accounts import sign_in, verified_user

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/espace/",
    "/espace/profil/",
    "/espace/notifications/",
    "/espace/notifications/preferences/",
    "/alpha/gouvernance/",
    "/alpha/gouvernance/documents/1/",
    "/alpha/documents/1/telecharger/",
    "/alpha/installation/mes-demandes/",
    "/alpha/",
    "/",
    "/admin/",
    "/admin/installations/case/",
]


@pytest.fixture
def staff_without_totp(territory_a):
    user = verified_user(email="coordination@exemple.fr", staff=True)
    MembershipFactory(user=user, territory=territory_a, role=Role.COORDINATOR)
    client = Client()
    assert sign_in(client, "coordination@exemple.fr").status_code == 302
    return client


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_without_a_second_factor_is_sent_to_enrolment_from_any_page(url, staff_without_totp):
    response = staff_without_totp.get(url)

    assert response.status_code == 302, url
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_without_a_second_factor_cannot_post_either(staff_without_totp):
    response = staff_without_totp.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_staff_without_a_second_factor_reaches_enrolment_sign_out_and_health(staff_without_totp):
    enrol = staff_without_totp.get("/espace/notifications/", follow=True)
    assert enrol.status_code == 200
    # allauth asks for the password again first: that page is reachable too.
    assert enrol.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert "activez d&#x27;abord la double authentification" in enrol.content.decode()
    assert staff_without_totp.get(reverse("mfa_index")).status_code == 200
    assert staff_without_totp.get(reverse("account_logout")).status_code == 200
    assert staff_without_totp.get(reverse("healthz")).status_code in (200, 503)
    static = staff_without_totp.get("/static/css/portal.css")
    static.close()
    assert static.status_code == 200


def test_staff_with_a_second_factor_and_people_without_staff_status_are_not_held(staff_without_totp, client):
    user = verified_user(email="medecin@exemple.fr")
    assert sign_in(client, user.email).status_code == 302
    assert client.get("/espace/notifications/").status_code == 200

    Authenticator.objects.create(
        user=User.objects.get(email="coordination@exemple.fr"), type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert staff_without_totp.get("/espace/notifications/").status_code == 200


def test_without_the_setting_staff_are_not_held(staff_without_totp, settings):
    settings.STAFF_MFA_REQUIRED = False
    assert staff_without_totp.get("/espace/notifications/").status_code == 200
