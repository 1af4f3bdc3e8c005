"""Writes of training sessions and welcome evenings: a session and its shared event are written
together, so that a coordinator creates one thing in the admin and the registrations, waiting list,
attendance and certificates of portal.events apply to it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.events import services as events
from portal.events.models import EVENT_EDITABLE_FIELDS, Event
from portal.models import User
from training.models import Session
from training.services.access import require_team

# The event's fields a coordinator sets from the session's admin page.
EVENT_FIELDS = EVENT_EDITABLE_FIELDS


@transaction.atomic
def session_save(*, actor: User, session: Session, event_fields: dict[str, Any]) -> Session:
    """Creates or updates `session` (its territory, theme, trainer set by the caller) and its event.

    The event's kind follows the theme ("training.welcome" for welcome and networking evenings,
    "training.session" otherwise). Raised capacity goes to the waiting list at once."""
    require_team(actor, session.territory)
    unknown = set(event_fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"not an event field of a session: {sorted(unknown)}")
    event = session.event if session.event_id else Event(territory_id=session.territory_id)
    if event.territory_id != session.territory_id:
        raise ValidationError({"territory": [_("Une formation et son événement sont du même territoire.")]})
    capacity_before = event.capacity if event.pk else None
    fields = dict(event_fields)
    # Many-to-many: set once the event has its row.
    organiser_users = fields.pop("organiser_users", None)
    for name, value in fields.items():
        setattr(event, name, value)
    event.kind = session.event_kind
    event.full_clean()
    creating = event.pk is None
    event.save()
    if organiser_users is not None:
        event.organiser_users.set(organiser_users)
    session.event = event
    session.full_clean()
    session.save()
    if not creating and event.capacity != capacity_before:
        events.event_places_fill(actor=actor, event=event)
    return session
