"""A territory on its own domain: the host named in its record is allowed, serves the territory's
site at "/" with its path URLs still working, the portal's own pages, a POST with its CSRF check,
and never another territory's pages."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from portal.tenancy.hosts import TerritoryAllowedHosts, territory_domains
from tests.installations.factories import AidFactory

DOMAIN = "sante.alpha.example"


@pytest.fixture
def own_domain(territory_a, settings):
    # The test environment turns ALLOWED_HOSTS into a plain list: the project's kind again.
    settings.ALLOWED_HOSTS = TerritoryAllowedHosts(["testserver"])
    territory_a.domain = DOMAIN
    territory_a.full_clean()
    territory_a.save()
    return territory_a


def test_an_unknown_host_is_refused_and_a_territory_domain_accepted_once_recorded(territory_a, settings):
    settings.ALLOWED_HOSTS = TerritoryAllowedHosts(["testserver"])
    assert Client(HTTP_HOST=DOMAIN).get("/").status_code == 400
    territory_a.domain = DOMAIN
    territory_a.save()  # no redeployment: the next request knows it
    assert Client(HTTP_HOST=DOMAIN).get("/").status_code == 200
    territory_a.is_active = False
    territory_a.save()
    assert DOMAIN not in territory_domains()


def test_the_territory_site_is_served_at_the_root_and_its_path_urls_still_work(own_domain, territory_b):
    AidFactory(territory=own_domain, name="Prime de l'Alpha")
    AidFactory(territory=territory_b, name="Prime du Bêta")
    client = Client(HTTP_HOST=DOMAIN)
    home = client.get("/")
    assert home.status_code == 200 and own_domain.name in home.content.decode()
    aids = client.get("/installation/aides/").content.decode()
    assert "Prime de l&#x27;Alpha" in aids and "Prime du Bêta" not in aids
    assert client.get(f"/{own_domain.slug}/installation/aides/").status_code == 200
    assert client.get(reverse("account_login")).status_code == 200
    # Another territory's pages are not served on this domain.
    assert client.get(f"/{territory_b.slug}/").status_code == 404
    assert client.get(f"/{territory_b.slug}/installation/aides/").status_code == 404
    # The main host is untouched.
    assert "Prime du Bêta" in Client().get(f"/{territory_b.slug}/installation/aides/").content.decode()


def test_a_form_posts_on_the_territory_domain_with_the_csrf_check_on(own_domain):
    client = Client(HTTP_HOST=DOMAIN, enforce_csrf_checks=True)
    page = client.get("/installation/demande/vous/")
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    data = {"csrfmiddlewaretoken": token, "vous-profession": "doctor_gp", "vous-current_situation": "student"}
    response = client.post("/installation/demande/vous/", data, secure=True, HTTP_ORIGIN=f"https://{DOMAIN}")
    assert response.status_code == 302
    refused = client.post("/installation/demande/vous/", data, secure=True, HTTP_ORIGIN="https://ailleurs.example")
    assert refused.status_code == 403


def test_a_domain_is_written_lower_case_and_checked(territory_a, territory_b):
    territory_a.domain = "Santé.Alpha.example"
    with pytest.raises(ValidationError, match="nom de domaine"):
        territory_a.full_clean()
    territory_a.domain = " SANTE.Alpha.Example. "
    territory_a.full_clean()
    assert territory_a.domain == DOMAIN
    territory_b.domain = ""
    territory_b.full_clean()
    assert territory_b.domain is None
