"""What the governance writes share: who may write, the event log (GovernanceEvent), territory
checks, and how a meeting is named in messages (its page, its date)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Body, GovernanceEvent, Meeting
from portal import french
from portal.enums import EDITOR_ROLES
from portal.models import Territory, User
from portal.tenancy.access import has_role
from portal.tenancy.models import TerritoryScopedModel


def require_editor(actor: User, territory: Territory) -> None:
    if not has_role(actor, territory, EDITOR_ROLES):
        raise PermissionDenied(_("Seule l'équipe du territoire peut faire cette opération."))


def record_event(*, territory: Territory, actor: User | None, verb: str, target: object) -> None:
    GovernanceEvent.objects.create(territory=territory, actor=actor, verb=verb, target=str(target)[:255])


def same_territory(territory: Territory, *objects: TerritoryScopedModel | None) -> None:
    for obj in objects:
        if obj is not None and obj.territory_id != territory.pk:
            raise ValidationError(_("Cet élément appartient à un autre territoire."))


def lock_body(body: Body) -> Body:
    # Serialises the writes that count rows of a body (register numbers, overlapping mandates).
    return Body.objects.for_territory(body.territory).select_for_update().get(pk=body.pk)


def meeting_path(meeting: Meeting) -> str:
    try:
        return reverse("governance:meeting_detail", kwargs={"territory_slug": meeting.territory.slug, "pk": meeting.pk})
    except NoReverseMatch:  # the pages are not mounted: the e-mail goes without a link
        return ""


def meeting_when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return french.datetime_(local, "l j F Y")
