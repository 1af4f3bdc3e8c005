"""Request -> territory, from the `territory_slug` of the URL."""

from __future__ import annotations

from django.shortcuts import get_object_or_404


class TerritoryMiddleware:
    """Sets `request.territory` from the `territory_slug` in the URL (404 when unknown or inactive)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.territory = None
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("territory_slug")
        if slug is not None:
            from portal.models import Territory

            request.territory = get_object_or_404(Territory, slug=slug, is_active=True)
        return None
