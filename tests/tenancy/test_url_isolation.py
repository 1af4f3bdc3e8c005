"""Walks every URL pattern of the portal (outside the admin and the account pages) and proves that
territory A's staff cannot reach territory B's objects through A's site, nor see B's private pages.

Each test runs twice (`through`): with path URLs on the portal's host (`/alpha/…`), and with the
requests arriving on territory A's own host name, which serves A's site at `/` (portal.tenancy.hosts);
there, B's path URLs must show nothing more than they show on the portal's host — they answer 404.

Patterns are found in the URL resolver, objects are built by the apps' factories: new views and
models are covered without anyone writing a new leak test.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from portal.models import Territory
from portal.tenancy.hosts import TerritoryAllowedHosts
from tests.tenancy.registry import build, factories_by_model

SKIPPED_PREFIXES = ("admin/", "comptes/", "static/", "media/")


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def portal_routes():
    routes = []
    for route, _pattern in _walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or route.startswith("^"):
            continue
        routes.append(route)
    return sorted(set(routes))


PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _fill(route, values):
    def replace(match):
        return str(values[match.group("name")])

    return "/" + PARAM.sub(replace, route)


def _params(route):
    return [m.group("name") for m in PARAM.finditer(route)]


ROUTES = portal_routes()
OBJECT_ROUTES = [r for r in ROUTES if any(p != "territory_slug" for p in _params(r))]
TERRITORY_ROUTES = [r for r in ROUTES if "territory_slug" in _params(r)]


class Through:
    """How requests reach territory A's site: path URLs on the portal's host (`host` None), or A's
    own host name serving A's site at `/`."""

    def __init__(self, territory, host=None):
        self.slug, self.host = territory.slug, host

    def client(self, client):
        if self.host:
            client.defaults["HTTP_HOST"] = self.host
        return client

    def url(self, route, values):
        url = _fill(route, values)
        if self.host and values.get("territory_slug") == self.slug:
            url = url.removeprefix(f"/{self.slug}")  # A's own pages, at the root of its host
        return url


@pytest.fixture(params=["path", "host"])
def through(request, territory_a, settings):
    if request.param == "path":
        return Through(territory_a)
    settings.ALLOWED_HOSTS = TerritoryAllowedHosts(["testserver"])
    territory_a.domain = "sante.alpha.example"
    territory_a.save()
    return Through(territory_a, host=territory_a.domain)


@pytest.fixture
def objects_of_b(territory_b):
    """One row of every model that has a factory, in territory B."""
    built = []
    for model in factories_by_model():
        if model is Territory or "territory" not in {f.name for f in model._meta.fields}:
            continue
        built.append(build(model, territory_b))
    return built


def _markers(obj):
    text = str(obj)
    return [text] if len(text) >= 6 else []


def test_the_walk_finds_the_portal_pages():
    assert "<slug:territory_slug>/" in ROUTES
    assert "espace/" in ROUTES


@pytest.mark.parametrize("route", OBJECT_ROUTES)
def test_other_territory_objects_answer_404_through_own_site(
    route, through, territory_a, objects_of_b, coordinator_a, login
):
    client = through.client(login(coordinator_a))
    for obj in objects_of_b:
        values = {name: obj.pk for name in _params(route)}
        values["territory_slug"] = territory_a.slug
        url = through.url(route, values)
        response = client.get(url)
        if response.status_code == 301:  # a moved address: where it leads must hold the rule too
            response = client.get(response["Location"])
        if response.status_code == 200:
            body = response.content.decode(errors="ignore")
            for marker in _markers(obj):
                assert marker not in body, f"{url} shows {obj._meta.label} of territory B"
        else:
            assert response.status_code in (302, 403, 404, 405), url
        posted = client.post(url, {})
        assert posted.status_code in (302, 400, 403, 404, 405) or (
            posted.status_code == 200 and not any(m in posted.content.decode() for m in _markers(obj))
        ), f"POST {url} answered {posted.status_code}"


@pytest.mark.parametrize("route", TERRITORY_ROUTES)
def test_staff_of_a_see_no_more_of_b_than_an_anonymous_visitor(
    route, through, territory_b, objects_of_b, coordinator_a, login
):
    staff = through.client(login(coordinator_a))
    anonymous, anonymous_on_host = Client(), through.client(Client())
    candidates = objects_of_b if len(_params(route)) > 1 else [None]
    for obj in candidates:
        values = {name: (obj.pk if obj is not None else "") for name in _params(route)}
        values["territory_slug"] = territory_b.slug
        url = _fill(route, values)
        public = anonymous.get(url).status_code
        private = staff.get(url).status_code
        if public != 200:
            assert private != 200, f"{url}: A's coordinator gets a page of B that is not public"
        if through.host:
            # A's host serves only A: B's pages, public ones included, are not there.
            assert private == 404, f"{url} on {through.host}: {private}"
            assert anonymous_on_host.get(url).status_code == 404, f"{url} on {through.host}"
