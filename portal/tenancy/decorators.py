"""Private pages of a territory: the user must hold a role there, and is told 404 otherwise."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponseBase

from portal.enums import Role
from portal.tenancy.access import has_role

View = Callable[..., HttpResponseBase]


def territory_role_required(*roles: str) -> Callable[[View], View]:
    """A private page of the territory in the URL: the user must hold one of `roles` there.

    Anonymous users are sent to sign in; a signed-in user without the role gets 404, the same
    answer as for a territory that does not exist, so nothing is revealed.
    """
    roles = roles or tuple(Role.values)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, getattr(request, "territory", None), roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
