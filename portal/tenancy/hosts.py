"""A territory on its own domain: `sante.agglo-agen.fr` serves the Agen site at `/`.

- `TerritoryAllowedHosts` is the ALLOWED_HOSTS of the settings: the hosts named in the environment,
  then the domains of the active territories (read from the database, kept a minute per process,
  forgotten at once when a territory is saved). A domain is accepted once its territory record names
  it; nothing to redeploy.
- `TerritoryHostMiddleware` maps such a host to its territory: `/` and `/installation/…` are served as
  `/<slug>/` and `/<slug>/installation/…`; the portal's own paths (`/comptes/…`, `/espace/…`) and the
  path URLs (`/<slug>/…`) still work. Another territory's pages answer 404 there.

CSRF needs no trusted origin for these hosts: Django compares the Origin of a POST with the request's
own host, which is the territory's domain once allowed (CSRF_TRUSTED_ORIGINS stays for proxies).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponseBase
from django.http.request import validate_host
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60
_cache: dict[str, object] = {"at": 0.0, "hosts": {}}


def territory_domains() -> dict[str, str]:
    """{domain: territory slug} of the active territories that have one (a minute's cache)."""
    now = time.monotonic()
    if now - float(_cache["at"]) > CACHE_SECONDS:  # type: ignore[arg-type]
        from portal.models import Territory

        try:
            rows = Territory.objects.filter(is_active=True, domain__isnull=False).values_list("domain", "slug")
            _cache["hosts"] = {domain: slug for domain, slug in rows}
        except DatabaseError:
            logger.warning("Domaines des territoires illisibles : seuls les ALLOWED_HOSTS fixes valent.")
            return {}
        except RuntimeError:  # database access refused: a test environment being set up copies the list
            return {}
        _cache["at"] = now
    return _cache["hosts"]  # type: ignore[return-value]


def forget_territory_domains(**_kwargs: object) -> None:
    """Connected to Territory's post_save and post_delete (portal.apps)."""
    _cache["at"] = 0.0


class TerritoryAllowedHosts(list[str]):
    """ALLOWED_HOSTS: the fixed hosts first (no query for them), then the territories' domains."""

    def __init__(self, fixed: Iterable[str]) -> None:
        super().__init__(fixed)

    def __iter__(self) -> Iterator[str]:
        yield from super().__iter__()
        yield from territory_domains()

    def fixed(self) -> list[str]:
        return list(super().__iter__())


def _fixed_hosts() -> list[str]:
    hosts = settings.ALLOWED_HOSTS
    return hosts.fixed() if isinstance(hosts, TerritoryAllowedHosts) else list(hosts)


def _host(request: HttpRequest) -> str:
    host = request.META.get("HTTP_HOST", "") or request.META.get("SERVER_NAME", "")
    return host.rsplit(":", 1)[0].lower().rstrip(".") if not host.startswith("[") else ""


class TerritoryHostMiddleware:
    """Serves a territory's site at the root of its own domain (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.host_territory_slug = None  # type: ignore[attr-defined]
        host = _host(request)
        # The portal's own hosts never look at the database (nor change a page's query count).
        if not host or validate_host(host, _fixed_hosts()):
            return self.get_response(request)
        slug = territory_domains().get(host)
        if slug is not None:
            request.host_territory_slug = slug  # type: ignore[attr-defined]
            prefixed = f"/{slug}{request.path_info}"
            if not request.path_info.startswith(f"/{slug}/") and _resolves(prefixed):
                request.path_info = prefixed
        return self.get_response(request)


def _resolves(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return "territory_slug" in match.kwargs
