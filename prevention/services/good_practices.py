"""Good practices that spread: an initiative gets its replication sheet, another commune starts a
replication linked to it, and a territory may open its sheets to the other territories' teams."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.enums import EDITOR_ROLES
from portal.tenancy.access import has_role
from prevention.enums import InitiativeStatus
from prevention.models import Initiative, PreventionSettings, ReplicationSheet

if TYPE_CHECKING:
    from portal.models import Commune, Organisation, Territory

logger = logging.getLogger(__name__)


def _require_team(actor: Any, territory: Territory) -> None:
    if not has_role(actor, territory, EDITOR_ROLES):
        raise PermissionDenied(_("Seule l'équipe du territoire le peut."))


@transaction.atomic
def good_practice_mark(
    *,
    actor: Any,
    initiative: Initiative,
    why_it_works: str,
    key_steps: str,
    resources_needed: str = "",
    pitfalls: str = "",
    contact: str = "",
) -> ReplicationSheet:
    """Make `initiative` a good practice by writing (or rewriting) its replication sheet."""
    _require_team(actor, initiative.territory)
    if not why_it_works.strip() or not key_steps.strip():
        raise ValidationError(_("Une bonne pratique dit pourquoi elle marche et ses étapes clés."))
    sheet, created = ReplicationSheet.objects.update_or_create(
        territory=initiative.territory,
        initiative=initiative,
        defaults={
            "why_it_works": why_it_works,
            "key_steps": key_steps,
            "resources_needed": resources_needed,
            "pitfalls": pitfalls,
            "contact": contact,
        },
    )
    logger.info("Initiative %s %s as a good practice by %s", initiative.pk, "marked" if created else "updated", actor)
    return sheet


@transaction.atomic
def replication_start(
    *,
    actor: Any,
    original: Initiative,
    communes: Iterable[Commune],
    title: str = "",
    carrier: Organisation | None = None,
    start_date: date | None = None,
) -> Initiative:
    """Another commune starts a good practice: a new initiative of the same theme, audiences and
    presentation, in `communes`, linked to `original` so the territory sees what spread from where."""
    territory = original.territory
    _require_team(actor, territory)
    if not ReplicationSheet.objects.for_territory(territory).filter(initiative=original).exists():
        raise ValidationError(_("Seule une bonne pratique (avec sa fiche) peut être répliquée."))
    chosen = list(communes)
    if not chosen:
        raise ValidationError({"communes": _("Choisissez au moins une commune.")})
    covered = set(territory.communes.values_list("pk", flat=True))
    if covered and any(c.pk not in covered for c in chosen):
        raise ValidationError({"communes": _("Ces communes ne sont pas toutes dans le territoire.")})
    already = set(original.communes.values_list("pk", flat=True))
    if all(c.pk in already for c in chosen):
        raise ValidationError({"communes": _("L'action existe déjà dans ces communes : choisissez une autre commune.")})
    if carrier is not None and carrier.territory_id != territory.pk:
        raise ValidationError({"carrier": _("Cet élément appartient à un autre territoire.")})
    replication = Initiative(
        territory=territory,
        title=title.strip() or original.title,
        summary=original.summary,
        theme=original.theme,
        audiences=list(original.audiences or []),
        carrier=carrier,
        start_date=start_date,
        status=InitiativeStatus.PLANNED,
        replicated_from=original,
        published=original.published,
    )
    replication.full_clean()
    replication.save()
    replication.communes.set(chosen)
    logger.info("Initiative %s replicated from %s by %s", replication.pk, original.pk, actor)
    return replication


@transaction.atomic
def sharing_set(*, actor: Any, territory: Territory, share: bool) -> PreventionSettings:
    """Open (or close) the territory's good-practice sheets to the other territories' teams."""
    _require_team(actor, territory)
    settings_row, _created = PreventionSettings.objects.select_for_update().get_or_create(territory=territory)
    if settings_row.share_good_practices != share:
        settings_row.share_good_practices = share
        settings_row.shared_since = timezone.now() if share else None
        settings_row.save(update_fields=["share_good_practices", "shared_since"])
        logger.info(
            "Territory %s %s its good practices (%s)", territory.pk, "shares" if share else "stops sharing", actor
        )
    return settings_row
