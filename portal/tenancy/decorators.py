"""Private pages of a territory: the user must hold a role there.

A signed-in person without the role, on a page of the territory as a whole (its governance page,
say), gets a page that says whom the page is for and whom to contact (status 403). On a page of one
object (a meeting, a document) they get 404, as for an object that does not exist: whether another
territory's meeting 12 exists is never revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse

from portal.enums import Role
from portal.tenancy.access import has_role

View = Callable[..., HttpResponseBase]


def territory_role_required(*roles: str) -> Callable[[View], View]:
    """A private page of the territory in the URL: the user must hold one of `roles` there.

    Anonymous users are sent to sign in; a signed-in user without the role is told who the page is
    for (`portal/reserved.html`, status 403), or 404 on a page of one object.
    """
    roles = roles or tuple(Role.values)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            territory = getattr(request, "territory", None)
            if not has_role(request.user, territory, roles):
                if set(kwargs) - {"territory_slug"}:
                    raise Http404
                return reserved_page(request, territory=territory, roles=roles)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def reserved_page(request: HttpRequest, *, territory: Any, roles: tuple[str, ...]) -> TemplateResponse:
    """ "This page is for …": the roles it opens to and the territory's contact, status 403."""
    labels = [Role(role).label for role in roles if role in Role.values]
    return TemplateResponse(
        request, "portal/reserved.html", {"territory": territory, "role_labels": labels}, status=403
    )
