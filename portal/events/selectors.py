"""Reads of events and registrations (never imports services)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from portal.events.enums import EventStatus, RegistrationStatus
from portal.events.models import Event, EventQuerySet, Registration, RegistrationQuerySet

if TYPE_CHECKING:
    from portal.models import Territory


def public_events(*, territory: Territory | None, kind: str | None = None, upcoming: bool = True) -> EventQuerySet:
    """A territory's published (and cancelled) events with their counts, soonest first."""
    events = (
        Event.objects.for_territory(territory)
        .public()
        .with_counts()
        .select_related("territory", "commune", "organiser")
    )
    if kind:
        events = events.of_kind(kind)
    if upcoming:
        events = events.upcoming()
    return events.order_by("starts_at", "pk")


def public_event(*, territory: Territory | None, pk: int) -> Event | None:
    """One event of the territory's site; None for a draft, a missing one or another territory's."""
    event: Event | None = (
        Event.objects.for_territory(territory)
        .public()
        .with_counts()
        .select_related("territory", "commune", "organiser")
        .filter(pk=pk)
        .first()
    )
    return event


def registration_of(*, event: Event, user: Any) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    registration: Registration | None = (
        Registration.objects.for_territory(event.territory).filter(event=event, user=user).first()
    )
    return registration


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting; None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead: int = (
        Registration.objects.for_territory(registration.territory)
        .filter(event_id=registration.event_id)
        .waitlisted()
        .filter(
            Q(waitlisted_at__lt=registration.waitlisted_at)
            | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1


def registrations_of(*, user: Any) -> list[Registration]:
    """A person's registrations in every territory, the coming events first, then the past ones.

    The waiting-list position is annotated in the same query (a window over the event's waiting list).
    """
    if not getattr(user, "is_authenticated", False):
        return []
    rows = list(
        Registration.objects.filter(user=user, territory__is_active=True)
        .select_related("event__territory", "event__commune", "certificate")
        .order_by("-event__starts_at", "-pk")
    )
    waiting = [r for r in rows if r.status == RegistrationStatus.WAITLISTED]
    positions = {}
    if waiting:
        ranked = (
            Registration.objects.filter(
                event_id__in={r.event_id for r in waiting}, status=RegistrationStatus.WAITLISTED
            )
            .annotate(
                position=Window(
                    RowNumber(), partition_by=[F("event_id")], order_by=[F("waitlisted_at").asc(), F("pk").asc()]
                )
            )
            .values_list("pk", "position")
        )
        positions = dict(ranked)
    now = timezone.now()
    for row in rows:
        row.waitlist_position = positions.get(row.pk)
        row.is_past = row.event.ends_at < now
        row.may_cancel = row.is_active and row.event.starts_at > now and row.event.status != EventStatus.CANCELLED
    upcoming = [r for r in rows if not r.is_past]
    upcoming.reverse()
    return upcoming + [r for r in rows if r.is_past]


def event_registrations(*, event: Event) -> RegistrationQuerySet:
    """The people of an event for its organisers: registered first, then the waiting list."""
    return (
        Registration.objects.for_territory(event.territory)
        .filter(event=event)
        .select_related("user")
        .order_by("status", "waitlisted_at", "created_at", "pk")
    )
