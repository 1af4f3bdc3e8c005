"""Request -> territory, from the `territory_slug` of the URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404

IDENTITY_COOKIE = "territoire"  # read by portal.context_processors
IDENTITY_COOKIE_AGE = 60 * 60 * 24 * 180


def remember_identity(request: HttpRequest, response: HttpResponseBase, slug: str) -> None:
    """The territory's public identity only (see portal.context_processors.identity_territory): sent
    once per change of territory, never a session. Also set on a page served from the public page
    cache (portal.public_cache), which keeps pages without it."""
    if request.COOKIES.get(IDENTITY_COOKIE) != slug:
        response.set_cookie(
            IDENTITY_COOKIE,
            slug,
            max_age=IDENTITY_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


class TerritoryMiddleware:
    """Sets `request.territory` from the `territory_slug` in the URL (404 when unknown or inactive)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.territory = None  # type: ignore[attr-defined]  # set on every request, read by views
        response = self.get_response(request)
        territory = getattr(request, "territory", None)
        if territory is not None:
            remember_identity(request, response, territory.slug)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        slug = view_kwargs.get("territory_slug")
        if slug is not None:
            from portal.models import Territory

            host_slug = getattr(request, "host_territory_slug", None)
            if host_slug is not None and slug != host_slug:
                # A territory's own domain serves only that territory (portal.tenancy.hosts).
                raise Http404

            request.territory = get_object_or_404(Territory, slug=slug, is_active=True)  # type: ignore[attr-defined]
        return None
