"""How an event is described to people: its page's path, its date in French, its iCalendar invitation."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import french
from portal.events import ics
from portal.events.enums import EventStatus
from portal.events.models import Event, Registration
from portal.notifications.emails import absolute_url


def event_path(event: Event) -> str:
    return reverse("events:detail", kwargs={"territory_slug": event.territory.slug, "pk": event.pk})


def event_when(event: Event) -> str:
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    day = french.date(start, "l j F Y")
    if start.date() == end.date():
        return _("%(day)s, de %(start)s à %(end)s") % {
            "day": day,
            "start": french.time(start),
            "end": french.time(end),
        }
    return _("du %(start)s au %(end)s") % {
        "start": french.datetime_(start),
        "end": french.datetime_(end),
    }


def event_ics(event: Event, registration: Registration | None = None) -> str:
    """The event's invitation (REQUEST, or CANCEL once cancelled), addressed to `registration`'s person."""
    vevent = event_vevent(event, registration)
    return ics.calendar([vevent], method="CANCEL" if vevent.cancelled else "REQUEST")


def event_vevent(event: Event, registration: Registration | None = None) -> ics.VEvent:
    """The event as one VEVENT (of an invitation, or of the territory's feed)."""
    territory = event.territory
    organiser = event.organiser
    return ics.VEvent(
        uid=f"event-{event.pk}-{territory.slug}@guichet-sante",
        sequence=event.ics_sequence,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        description=event.description,
        location=", ".join(part for part in [event.place, event.commune.name if event.commune else ""] if part),
        url=absolute_url(event_path(event)),
        organizer_name=organiser.name if organiser else territory.name,
        organizer_email=(organiser.email if organiser and organiser.email else territory.contact_email),
        attendee_name=registration.person_name if registration else "",
        attendee_email=registration.person_email if registration else "",
        cancelled=event.status == EventStatus.CANCELLED,
    )
