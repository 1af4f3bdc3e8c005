"""A student registers their placement on an offer and says what they need to come."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.enums import Role
from portal.models import Membership
from portal.notifications.services import notify
from portal.selectors import territory_coordinators
from training.enums import BookingStatus, PlacementStatus
from training.models import Offer, Placement
from training.services.housing import booking_cancel


def _full_name(user: Any) -> str:
    return str(user.get_full_name() or user.email)


@transaction.atomic
def placement_register(
    *,
    actor: Any,
    offer: Offer,
    start_date: datetime.date,
    end_date: datetime.date,
    needs_housing: bool = False,
    needs_transport: bool = False,
    needs_welcome: bool = False,
    note: str = "",
) -> Placement:
    """The signed-in student's placement on a published offer. A second submission finds the first
    placement; a full offer is refused; dates outside the offer's semester are refused on their field."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Connectez-vous pour déclarer votre stage."))
    # The offer's row is locked: two students taking its last place are served one after the other.
    locked = Offer.objects.for_territory(offer.territory).published().select_for_update().get(pk=offer.pk)
    existing = Placement.objects.for_territory(offer.territory).active().filter(offer=locked, student=actor).first()
    if existing is not None:
        return existing
    taken = Placement.objects.for_territory(offer.territory).active().filter(offer=locked).count()
    if taken >= locked.places:
        raise ValidationError(_("Toutes les places de cette offre sont prises."))
    placement = Placement(
        territory=offer.territory,
        offer=locked,
        semester=locked.semester,
        student=actor,
        student_name=_full_name(actor),
        student_email=actor.email,
        start_date=start_date,
        end_date=end_date,
        needs_housing=needs_housing,
        needs_transport=needs_transport,
        needs_welcome=needs_welcome,
        note=note,
        status=PlacementStatus.DECLARED,
    )
    placement.full_clean()
    placement.save()
    # The territory now knows them as a student (their space lists the territory).
    Membership.objects.get_or_create(territory=offer.territory, user=actor, role=Role.STUDENT)
    _tell_the_team(placement, actor=actor)
    return placement


def _tell_the_team(placement: Placement, *, actor: Any) -> None:
    """The coordinators hear who arrives when, where, needing what (in the portal and by e-mail)."""
    needs = [
        str(label)
        for wanted, label in (
            (placement.needs_housing, _("un logement")),
            (placement.needs_transport, _("une solution de transport")),
            (placement.needs_welcome, _("être accueilli")),
        )
        if wanted
    ]
    sites = ", ".join(f"{s.host_site.name} ({s.host_site.commune.name})" for s in placement.offer.sites.all())
    notify(
        territory=placement.territory,
        recipients=territory_coordinators(placement.territory),
        kind="training.placement_declared",
        subject=_("Stagiaire annoncé : %(name)s, arrivée le %(date)s")
        % {"name": placement.student_name, "date": placement.start_date.strftime("%d/%m/%Y")},
        body=_("%(name)s a déclaré son stage « %(offer)s » du %(start)s au %(end)s, à %(sites)s.\nBesoins : %(needs)s.")
        % {
            "name": placement.student_name,
            "offer": placement.offer.title,
            "start": placement.start_date.strftime("%d/%m/%Y"),
            "end": placement.end_date.strftime("%d/%m/%Y"),
            "sites": sites,
            "needs": ", ".join(needs) or _("aucun"),
        },
        url=reverse("admin:training_placement_change", args=[placement.pk]),
        actor=actor,
    )


@transaction.atomic
def placement_cancel(*, actor: Any, placement: Placement) -> Placement:
    """The student withdraws their placement: the place is offered again, and the rooms booked for
    it go to the waiting list."""
    if placement.student_id is None or placement.student_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Seul l'étudiant peut retirer sa déclaration de stage."))
    placement.status = PlacementStatus.CANCELLED
    placement.save(update_fields=["status"])
    for booking in placement.bookings.exclude(status=BookingStatus.CANCELLED):
        booking_cancel(actor=actor, booking=booking)
    return placement
