"""The base of every territory-owned model, and its scoped queryset."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.tenancy.access import territory_ids_for

if TYPE_CHECKING:
    from portal.models import Territory

_M = TypeVar("_M", bound=models.Model)

# Models of the project's own apps that hold personal or territory data without a `territory`
# FK, each with the reason. tests/portal/test_tenancy_meta.py fails on any other such model.
GLOBAL_MODELS = {
    "portal.user": "Accounts span territories; what a user sees is decided by memberships.",
    "portal.territory": "The tenant itself.",
    "portal.commune": "Public reference data (INSEE), shared by an EPCI and its département.",
    "portal.communezoning": "Public reference data (the ARS decrees), a commune's zone per profession.",
    "portal.professionalprofile": "Belongs to the person; edited only by its owner.",
    "notifications.notificationpreference": "A person's e-mail choice (immediate or digest), for all territories.",
}


class TerritoryQuerySet(models.QuerySet[_M]):
    def for_territory(self, territory: Territory | None) -> Self:
        if territory is None:
            return self.none()
        return self.filter(territory=territory)

    def for_territories(self, territory_ids: Iterable[int]) -> Self:
        return self.filter(territory_id__in=list(territory_ids))

    def visible_to(self, user: Any, *, roles: Iterable[str]) -> Self:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.for_territories(territory_ids_for(user, roles=roles))


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

    def clean(self) -> None:
        super().clean()
        # A row may only point at rows of its own territory: a coordinator of two territories
        # cannot link territory A's record to territory B's organisation by mistake.
        errors = {}
        for field in self._meta.concrete_fields:
            if not field.is_relation or field.name == "territory" or not self.territory_id:
                continue
            related_model = field.related_model
            if not (isinstance(related_model, type) and issubclass(related_model, TerritoryScopedModel)):
                continue
            related = getattr(self, field.name, None)
            if related is not None and related.territory_id != self.territory_id:
                errors[field.name] = _("Cet élément appartient à un autre territoire.")
        if errors:
            raise ValidationError(errors)
