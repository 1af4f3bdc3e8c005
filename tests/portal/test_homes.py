"""Each person lands on the page of their role after signing in (portal/homes.py, the apps'
RoleHome declarations); a person with several homes chooses; a page their role does not open says
whom it is for."""

import pytest
from django.test import Client

from portal.enums import Role
from tests.portal.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "une phrase de passe solide"


def _home(client):
    return client.get("/accueil/")


def test_signing_in_leads_to_the_home_router_then_to_the_personal_space_for_an_applicant():
    from allauth.account.models import EmailAddress

    user = UserFactory(email="medecin@exemple.fr", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = Client()
    response = client.post("/comptes/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accueil/"
    assert _home(client)["Location"] == "/espace/"


def test_a_next_address_still_wins_over_the_role_home():
    from allauth.account.models import EmailAddress

    user = UserFactory(email="elu@exemple.fr", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = Client().post("/comptes/login/?next=/espace/profil/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/espace/profil/"


def test_coordinator_lands_on_the_dashboard_of_their_territory(coordinator_a, territory_a, login):
    client = login(coordinator_a)
    response = _home(client)
    assert response["Location"] == f"/admin/installations/case/dashboard/?territory={territory_a.pk}"
    dashboard = client.get(response["Location"])
    assert dashboard.status_code == 200 and territory_a.name in dashboard.content.decode()


def test_partner_lands_on_the_needs_referred_to_them(staff_of, territory_a, login):
    client = login(staff_of(territory_a, Role.PARTNER))
    response = _home(client)
    assert response["Location"].startswith("/admin/installations/need/")
    assert client.get(response["Location"]).status_code == 200


def test_elected_official_lands_on_the_governance_page(territory_a, login):
    elected = UserFactory(email="elu@exemple.fr")
    MembershipFactory(user=elected, territory=territory_a, role=Role.ELECTED_OFFICIAL)
    client = login(elected)
    response = _home(client)
    assert response["Location"] == f"/{territory_a.slug}/gouvernance/"
    assert client.get(response["Location"]).status_code == 200


def test_a_person_with_homes_in_two_territories_chooses_one(territory_a, territory_b, login):
    person = UserFactory(email="elu-et-coordination@exemple.fr", staff=True)
    MembershipFactory(user=person, territory=territory_a, role=Role.ELECTED_OFFICIAL)
    MembershipFactory(user=person, territory=territory_b, role=Role.COORDINATOR)
    response = _home(login(person))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choisissez votre espace" in page
    assert f'href="/{territory_a.slug}/gouvernance/"' in page
    assert f'href="/admin/installations/case/dashboard/?territory={territory_b.pk}"' in page
    assert territory_a.name in page and territory_b.name in page


def test_two_roles_leading_to_the_same_page_do_not_ask_to_choose(territory_a, login):
    person = UserFactory(email="elu-membre@exemple.fr")
    MembershipFactory(user=person, territory=territory_a, role=Role.ELECTED_OFFICIAL)
    MembershipFactory(user=person, territory=territory_a, role=Role.COUNCIL_MEMBER)
    assert _home(login(person))["Location"] == f"/{territory_a.slug}/gouvernance/"


def test_anonymous_visitor_is_sent_to_sign_in():
    response = Client().get("/accueil/")
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_superuser_lands_on_the_admin(login):
    admin = UserFactory(email="admin@exemple.fr", staff=True, is_superuser=True)
    assert _home(login(admin))["Location"] == "/admin/"
