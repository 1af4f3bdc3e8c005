"""How a request gets its territory, and how territory-owned data is scoped.

The rule that must never break: territory-owned rows are read through
`Model.objects.for_territory(territory)` or `.visible_to(user)`, and no territory means no rows
(`.none()`), never "everything". Views fetch with
`get_object_or_404(Model.objects.for_territory(request.territory), pk=...)`, so another territory's
object answers 404 exactly like a missing one. The admin base lives in `portal.tenancy_admin`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import wraps

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from portal.enums import ADMIN_ROLES, Role

# Models of the project's own apps that hold personal or territory data without a `territory`
# FK, each with the reason. tests/portal/test_tenancy_meta.py fails on any other such model.
GLOBAL_MODELS = {
    "portal.user": "Accounts span territories; what a user sees is decided by memberships.",
    "portal.territory": "The tenant itself.",
    "portal.commune": "Public reference data (INSEE), shared by an EPCI and its département.",
    "portal.professionalprofile": "Belongs to the person; edited only by its owner.",
    "notifications.notificationpreference": "A person's e-mail choice (immediate or digest), for all territories.",
}


def _memberships_of(user) -> list[tuple[int, str]]:
    """(territory id, role) of every membership of `user` in an active territory, read once per
    user object: a page asks for several sets of roles, and one query answers them all."""
    cache = user.__dict__.setdefault("_territory_ids_cache", {})
    if "memberships" not in cache:
        from portal.models import Membership

        cache["memberships"] = list(
            Membership.objects.filter(user=user, territory__is_active=True)
            .order_by()
            .values_list("territory_id", "role")
        )
    return cache["memberships"]


def territory_ids_for(user, roles: Iterable[str] = ADMIN_ROLES) -> set[int]:
    """Ids of the territories where `user` holds one of `roles` (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = tuple(sorted(roles))
    cache = user.__dict__.setdefault("_territory_ids_cache", {})
    if roles not in cache:
        wanted = set(roles)
        cache[roles] = {territory_id for territory_id, role in _memberships_of(user) if role in wanted}
    return cache[roles]


def has_role(user, territory, roles: Iterable[str]) -> bool:
    if territory is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return territory.pk in territory_ids_for(user, roles)


class TerritoryQuerySet(models.QuerySet):
    def for_territory(self, territory):
        if territory is None:
            return self.none()
        return self.filter(territory=territory)

    def for_territories(self, territory_ids):
        return self.filter(territory_id__in=list(territory_ids))

    def visible_to(self, user, roles: Iterable[str] = ADMIN_ROLES):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.for_territories(territory_ids_for(user, roles))


class TerritoryScopedModel(models.Model):
    """Base of every territory-owned model: a non-null, indexed territory FK and a scoped manager."""

    territory = models.ForeignKey(
        "portal.Territory",
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        db_index=True,
        related_name="+",
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        # A row may only point at rows of its own territory: a coordinator of two territories
        # cannot link territory A's record to territory B's organisation by mistake.
        errors = {}
        for field in self._meta.concrete_fields:
            if not field.is_relation or field.name == "territory" or not self.territory_id:
                continue
            if not issubclass(field.related_model, TerritoryScopedModel):
                continue
            related = getattr(self, field.name, None)
            if related is not None and related.territory_id != self.territory_id:
                errors[field.name] = _("Cet élément appartient à un autre territoire.")
        if errors:
            raise ValidationError(errors)


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


def territory_role_required(*roles: str):
    """A private page of the territory in the URL: the user must hold one of `roles` there.

    Anonymous users are sent to sign in; a signed-in user without the role gets 404, the same
    answer as for a territory that does not exist, so nothing is revealed.
    """
    roles = roles or tuple(Role.values)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, request.territory, roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
