"""Bookings of interns' housing: a student asks for a room for their placement's dates (a free one
is given at once, else the request joins the waiting list); the territory books a given room for a
placement, an installation case or a locum, and gives a waiting request a room.

Every write that gives a room locks the room's row first (`SELECT … FOR UPDATE`), then checks
that no holding booking overlaps: concurrent requests for one room are served one after the
other. On PostgreSQL the exclusion constraint refuses an overlap even if a write forgot the lock.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.enums import EDITOR_ROLES
from portal.notifications.services import notify, notify_address
from portal.tenancy.access import has_role
from training.enums import BookingSource, BookingStatus
from training.models import Booking, HousingUnit, Placement

TAKEN = "taken"


def _require_team(actor: Any, territory: Any) -> None:
    if not has_role(actor, territory, EDITOR_ROLES):
        raise PermissionDenied(_("Seule l'équipe du territoire gère les logements."))


def _is_free(unit: HousingUnit, start: datetime.date, end: datetime.date, *, exclude_pk: int | None = None) -> bool:
    clash = Booking.objects.filter(unit=unit).holding().overlapping(start, end)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    return not clash.exists()


def _save(booking: Booking) -> Booking:
    try:
        # A savepoint: the constraint's refusal must not break the caller's transaction.
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        if "training_booking_no_overlap" in str(error):
            raise ValidationError(
                {"unit": _("Ce logement est déjà réservé sur une partie de ces dates.")}, code=TAKEN
            ) from error
        raise
    return booking


@transaction.atomic
def booking_request(
    *, actor: Any, placement: Placement, start_date: datetime.date, end_date: datetime.date, wanted_kind: str = ""
) -> Booking:
    """The student's request for housing during their placement: the first free unit of the kind
    wanted (any kind if none said) is booked, else the request waits on the list. Asking again for
    the same placement finds the first request."""
    if placement.student_id is None or placement.student_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Seul l'étudiant peut demander un logement pour son stage."))
    existing = (
        Booking.objects.for_territory(placement.territory)
        .filter(placement=placement)
        .exclude(status=BookingStatus.CANCELLED)
        .first()
    )
    if existing is not None:
        return existing
    booking = Booking(
        territory=placement.territory,
        source=BookingSource.PLACEMENT,
        placement=placement,
        occupant=actor,
        occupant_name=placement.student_name,
        occupant_email=placement.student_email,
        start_date=start_date,
        end_date=end_date,
        wanted_kind=wanted_kind,
        status=BookingStatus.WAITING,
    )
    booking.full_clean()
    units = HousingUnit.objects.for_territory(placement.territory).filter(active=True)
    if wanted_kind:
        units = units.filter(kind=wanted_kind)
    # Locked in one order, so that two requests never wait on each other's rows crosswise.
    for unit in units.order_by("pk").select_for_update():
        if _is_free(unit, start_date, end_date):
            booking.unit, booking.status = unit, BookingStatus.CONFIRMED
            break
    return _save(booking)


@transaction.atomic
def booking_create(
    *,
    actor: Any,
    unit: HousingUnit,
    source: str,
    occupant_name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    occupant: Any = None,
    occupant_email: str = "",
    placement: Placement | None = None,
    installation_case_reference: str = "",
    note: str = "",
) -> Booking:
    """The team books `unit` for these dates; refused (on the `unit` field) when it is taken."""
    _require_team(actor, unit.territory)
    locked = HousingUnit.objects.for_territory(unit.territory).select_for_update().get(pk=unit.pk)
    booking = Booking(
        territory=unit.territory,
        unit=locked,
        status=BookingStatus.CONFIRMED,
        source=source,
        placement=placement,
        installation_case_reference=installation_case_reference,
        occupant=occupant,
        occupant_name=occupant_name,
        occupant_email=occupant_email,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )
    booking.full_clean()
    return _save(booking)


@transaction.atomic
def booking_assign(*, actor: Any, booking: Booking, unit: HousingUnit) -> Booking:
    """A request of the waiting list gets `unit` (refused when the room is taken on its dates)."""
    _require_team(actor, booking.territory)
    if unit.territory_id != booking.territory_id:
        raise PermissionDenied
    locked = HousingUnit.objects.for_territory(booking.territory).select_for_update().get(pk=unit.pk)
    if not _is_free(locked, booking.start_date, booking.end_date, exclude_pk=booking.pk):
        raise ValidationError({"unit": _("Ce logement est déjà réservé sur une partie de ces dates.")}, code=TAKEN)
    was_waiting = booking.status == BookingStatus.WAITING
    booking.unit, booking.status = locked, BookingStatus.CONFIRMED
    booking.full_clean()
    _save(booking)
    if was_waiting:
        _tell_the_occupant(booking, actor=actor)
    return booking


def _tell_the_occupant(booking: Booking, *, actor: Any) -> None:
    """A request of the waiting list got a room: its occupant hears it (account, else e-mail)."""
    subject = _("Un logement vous est attribué : %(unit)s") % {"unit": booking.unit}
    body = _("Bonjour %(name)s,\n\n%(unit)s (%(commune)s) vous est réservé du %(start)s au %(end)s.") % {
        "name": booking.occupant_name,
        "unit": booking.unit,
        "commune": booking.unit.commune.name if booking.unit else "",
        "start": booking.start_date.strftime("%d/%m/%Y"),
        "end": booking.end_date.strftime("%d/%m/%Y"),
    }
    if booking.occupant_id:
        notify(
            territory=booking.territory,
            recipients=[booking.occupant],
            kind="training.booking_assigned",
            subject=subject,
            body=body,
            url=reverse("training:my_placements", kwargs={"territory_slug": booking.territory.slug}),
            actor=actor,
        )
    elif booking.occupant_email:
        notify_address(
            territory=booking.territory,
            email_address=booking.occupant_email,
            kind="training.booking_assigned",
            subject=subject,
            body=body,
        )


@transaction.atomic
def booking_assign_first_free(*, actor: Any, booking: Booking) -> Booking:
    """A request of the waiting list gets the first free unit of the kind it wants (refused when
    none is free on its dates)."""
    _require_team(actor, booking.territory)
    units = HousingUnit.objects.for_territory(booking.territory).filter(active=True)
    if booking.wanted_kind:
        units = units.filter(kind=booking.wanted_kind)
    if booking.source == BookingSource.LOCUM:
        units = units.filter(open_to_locums=True)
    for unit in units.order_by("pk").select_for_update():
        if _is_free(unit, booking.start_date, booking.end_date, exclude_pk=booking.pk):
            return booking_assign(actor=actor, booking=booking, unit=unit)
    raise ValidationError(_("Aucun logement de ce type n'est libre à ces dates."))


@transaction.atomic
def booking_record(*, actor: Any, booking: Booking, step: str, day: datetime.date) -> Booking:
    """Arrival, keys handed, keys returned, departure: the day each happened."""
    _require_team(actor, booking.territory)
    fields = {
        "arrival": ("arrived_on", BookingStatus.ARRIVED),
        "keys_handed": ("keys_handed_on", None),
        "keys_returned": ("keys_returned_on", None),
        "departure": ("departed_on", BookingStatus.DEPARTED),
    }
    field, status = fields[step]
    if booking.unit_id is None or booking.status == BookingStatus.CANCELLED:
        raise ValidationError(_("Cette réservation n'a pas de logement attribué."))
    setattr(booking, field, day)
    if status is not None:
        booking.status = status
    booking.full_clean()
    booking.save()
    return booking


def _may_cancel(actor: Any, booking: Booking) -> bool:
    actor_id = getattr(actor, "pk", None)
    own = actor_id is not None and booking.occupant_id == actor_id
    for_their_placement = (
        actor_id is not None and booking.placement is not None and booking.placement.student_id == actor_id
    )
    return own or for_their_placement or has_role(actor, booking.territory, EDITOR_ROLES)


@transaction.atomic
def booking_cancel(*, actor: Any, booking: Booking) -> list[Booking]:
    """The occupant or the team cancels a booking. A room it held goes to the waiting list: the
    oldest requests that fit its dates (and want its kind) get it, and are told. Returns those."""
    if not _may_cancel(actor, booking):
        raise PermissionDenied(_("Seuls l'occupant et l'équipe du territoire peuvent annuler cette réservation."))
    if booking.status in (BookingStatus.CANCELLED, BookingStatus.DEPARTED):
        return []
    unit = booking.unit
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    if unit is None:
        return []
    locked = HousingUnit.objects.for_territory(booking.territory).select_for_update().get(pk=unit.pk)
    waiting = (
        Booking.objects.for_territory(booking.territory)
        .filter(status=BookingStatus.WAITING, wanted_kind__in=["", locked.kind])
        .overlapping(booking.start_date, booking.end_date)
        .order_by("created_at", "pk")
    )
    if not locked.open_to_locums:
        waiting = waiting.exclude(source=BookingSource.LOCUM)
    promoted = []
    for request in waiting.select_related("territory", "occupant"):
        if _is_free(locked, request.start_date, request.end_date):
            request.unit, request.status = locked, BookingStatus.CONFIRMED
            _save(request)
            _tell_the_occupant(request, actor=actor)
            promoted.append(request)
    return promoted
