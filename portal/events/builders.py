"""The documents the events produce (run in the reports worker, see portal/documents/builders.py)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from portal import french
from portal.documents.builders import BuilderError, document_builder
from portal.events.models import Registration


def duration_text(event) -> str:
    minutes = int(event.duration.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}


@document_builder
def attendance_certificate(*, territory, params: dict) -> tuple[str, dict]:
    """`params = {"registration_id": …}`: the certificate of a person whose attendance was recorded."""
    try:
        registration_id = int(params["registration_id"])
    except (KeyError, TypeError, ValueError) as exc:
        raise BuilderError(_("Inscription non précisée.")) from exc
    registration = (
        Registration.objects.for_territory(territory)
        .select_related("event__organiser", "event__commune", "user")
        .filter(pk=registration_id, attended=True)
        .first()
    )
    if registration is None:
        raise BuilderError(_("Aucune présence notée pour cette inscription."))
    event = registration.event
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    return "events/attendance_certificate.html", {
        "title": _("Attestation de présence"),
        "subtitle": event.title,
        "territory": territory,
        "registration": registration,
        "event": event,
        "person": registration.person_name,
        "day": french.date(start, "l j F Y")
        if start.date() == end.date()
        else _("du %(start)s au %(end)s") % {"start": french.date(start), "end": french.date(end)},
        "hours": _("de %(start)s à %(end)s") % {"start": french.time(start), "end": french.time(end)},
        "duration": duration_text(event),
        "organiser": event.organiser.name if event.organiser else territory.name,
        "recorded_at": timezone.localtime(registration.attendance_recorded_at)
        if registration.attendance_recorded_at
        else None,
    }
