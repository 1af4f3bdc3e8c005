"""The shared cache of anonymous public pages (portal/public_cache.py): real visitors get the stored
page, and never a stale, personal or other territory's one.

A page served from the cache makes no database query: that is how these tests tell it from a page
rendered again. The first page of a territory in a process is never stored (its versions are read
before rendering), the second is stored, the third comes from the cache."""

import re

import pytest
from django.contrib import messages
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse

from portal.public_cache import public_page
from tests.installations.factories import AidFactory
from tests.portal.factories import UserFactory
from tests.portal.test_redis_outage import broken_redis, timed  # noqa: F401
from tests.prevention.factories import AgendaDetailsFactory
from tests.training.factories import OfferFactory

pytestmark = pytest.mark.django_db


def get(client, url, **extra):
    """The response, and whether it came from the cache (no query at all)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response, len(queries) == 0


def warm(client, url):
    for _ in range(2):
        get(client, url)
    response, cached = get(client, url)
    assert cached, f"{url} was not served from the cache"
    return response


def test_a_change_of_an_aid_an_offer_or_an_event_shows_on_the_next_anonymous_view(territory_a):
    aid = AidFactory(territory=territory_a, name="Prime installation du Cotentin")
    offer = OfferFactory(territory=territory_a, title="Stage en maison de santé")
    details = AgendaDetailsFactory(territory=territory_a, event__title="Atelier nutrition")
    visitor = Client()
    pages = [
        (reverse("installations:aids", args=["alpha"]), aid, "name", "Prime installation du Cotentin"),
        (reverse("training:offer_list", args=["alpha"]), offer, "title", "Stage en maison de santé"),
        (reverse("prevention:agenda", args=["alpha"]), details.event, "title", "Atelier nutrition"),
    ]
    for url, row, field, before in pages:
        assert before in warm(visitor, url).content.decode()
        setattr(row, field, before + " (modifié)")
        row.save()
        response, cached = get(visitor, url)
        assert not cached
        assert before + " (modifié)" in response.content.decode()


def test_what_staff_write_all_day_leaves_the_public_pages_in_the_cache(territory_a, coordinator_a):
    # A case, its needs and the access log are shown on no public page: a coordinator at work must
    # not empty the territory's public pages at every save (the cache would then serve nobody).
    from installations.models import Case
    from portal.privacy.models import AccessLog
    from tests.installations.factories import CaseFactory

    visitor = Client()
    url = reverse("installations:aids", args=["alpha"])
    AidFactory(territory=territory_a, name="Prime installation du Cotentin")
    warm(visitor, url)
    case = CaseFactory(territory=territory_a)
    Case.objects.get(pk=case.pk).save()
    AccessLog.objects.create(
        territory=territory_a, user=coordinator_a, user_email=coordinator_a.email, kind="case_page", object_id=case.pk
    )
    assert get(visitor, url)[1], "a write no public page shows made the aids page stale"


def test_a_new_registration_changes_the_places_left_at_once(territory_a):
    from tests.events.factories import RegistrationFactory

    details = AgendaDetailsFactory(territory=territory_a, event__capacity=3)
    url = reverse("prevention:agenda", args=["alpha"])
    first = warm(Client(), url).content.decode()
    RegistrationFactory(territory=territory_a, event=details.event)
    response, cached = get(Client(), url)
    assert not cached and response.content.decode() != first


def test_a_signed_in_person_never_gets_the_anonymous_page_nor_leaves_theirs(territory_a):
    url = reverse("portal:territory_home", args=["alpha"])
    warm(Client(), url)
    person = UserFactory(first_name="Élodie", last_name="Marchand")
    signed_in = Client()
    signed_in.force_login(person)
    for _ in range(3):
        response, cached = get(signed_in, url)
        assert not cached
        assert "Se déconnecter" in response.content.decode()
    response, cached = get(Client(), url)
    assert cached and "Se déconnecter" not in response.content.decode()
    assert "Se connecter" in response.content.decode()


def test_the_signed_in_header_never_lands_in_the_cache(territory_a):
    url = reverse("installations:aids", args=["alpha"])
    signed_in = Client()
    signed_in.force_login(UserFactory())
    for _ in range(3):
        get(signed_in, url)
    visitor = Client()
    for _ in range(3):
        assert "Se déconnecter" not in get(visitor, url)[0].content.decode()


def test_another_territory_never_gets_the_first_territorys_page(territory_a, territory_b):
    visitor = Client()
    warm(visitor, reverse("portal:territory_home", args=["alpha"]))
    warm(visitor, reverse("installations:aids", args=["alpha"]))
    for name in ("territory_home", "aids"):
        app = "portal" if name == "territory_home" else "installations"
        response, _ = get(visitor, reverse(f"{app}:{name}", args=["beta"]))
        page = response.content.decode()
        assert "Territoire Bêta" in page and "Territoire Alpha" not in page


def test_the_query_order_does_not_matter_and_its_values_do(territory_a):
    AidFactory(territory=territory_a)
    url = reverse("training:offer_list", args=["alpha"])
    warm(Client(), url + "?level=intern&semester=2027-ete")
    assert get(Client(), url + "?semester=2027-ete&level=intern")[1]
    assert not get(Client(), url + "?semester=2026-hiver&level=intern")[1]


def test_a_cached_page_carries_the_requests_own_nonce_and_the_security_headers(territory_a):
    url = reverse("portal:territory_home", args=["alpha"])
    visitor = Client()
    warm(visitor, url)
    nonces = set()
    for _ in range(2):
        response, cached = get(visitor, url)
        assert cached
        in_page = re.search(r'<style nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{in_page}'" in response["Content-Security-Policy"]
        nonces.add(in_page)
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert int(response["Content-Length"]) == len(response.content)
    assert len(nonces) == 2


def test_a_first_visitor_gets_the_territorys_identity_cookie_from_the_cache(territory_a):
    url = reverse("portal:territory_home", args=["alpha"])
    warm(Client(), url)
    response, cached = get(Client(), url)
    assert cached and response.cookies["territoire"].value == "alpha"


def test_the_request_forms_steps_carry_a_token_and_are_not_cached(territory_a):
    url = reverse("installations:start", args=["alpha"])
    visitor = Client()
    for _ in range(3):
        response = visitor.get(url, follow=True)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        visitor.get(response.request["PATH_INFO"])
    assert len(queries) > 0


@public_page
def _with_a_form(request, territory_slug):
    return HttpResponse(f'<form method="post"><input name="csrfmiddlewaretoken" value="{get_token(request)}"></form>')


@public_page
def _with_a_message(request, territory_slug):
    messages.info(request, "Bienvenue")
    return HttpResponse("message")


@public_page
def _private(request, territory_slug):
    response = HttpResponse("private")
    response["Cache-Control"] = "private"
    return response


@public_page
def _with_a_cookie(request, territory_slug):
    response = HttpResponse("cookie")
    response.set_cookie("choice", "1")
    return response


urlpatterns = [
    path("<slug:territory_slug>/essai/formulaire/", _with_a_form),
    path("<slug:territory_slug>/essai/message/", _with_a_message),
    path("<slug:territory_slug>/essai/prive/", _private),
    path("<slug:territory_slug>/essai/cookie/", _with_a_cookie),
    path("", include("config.urls")),
]


@pytest.mark.parametrize("page", ["formulaire", "message", "prive", "cookie"])
def test_a_page_with_a_token_a_message_a_cookie_or_private_is_never_stored(territory_a, settings, page):
    settings.ROOT_URLCONF = __name__
    for _ in range(4):
        assert not get(Client(), f"/alpha/essai/{page}/")[1]


def test_redis_down_or_hung_still_serves_the_pages(territory_a, broken_redis):  # noqa: F811
    AidFactory(territory=territory_a, name="Prime installation Alpha")
    url = reverse("installations:aids", args=["alpha"])
    for _ in range(3):
        response = timed(lambda: Client().get(url))
        assert response.status_code == 200 and "Prime installation Alpha" in response.content.decode()


def test_the_cached_page_is_the_rendered_page_but_for_the_nonce(territory_a):
    OfferFactory(territory=territory_a)
    url = reverse("training:offer_list", args=["alpha"]) + "?level=intern"
    visitor = Client()
    pages = []
    for _ in range(3):
        response, cached = get(visitor, url)
        nonce = re.search(r'<style nonce="([^"]+)"', response.content.decode()).group(1)
        pages.append((cached, response.content.decode().replace(nonce, "NONCE"), response["Content-Type"]))
    assert [cached for cached, _, _ in pages] == [False, False, True]
    assert pages[0][1:] == pages[2][1:]
