"""The housing stock and its bookings: the waiting list, arrivals, keys, departures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.events.admin import apply_each
from portal.tenancy.admin import TerritoryScopedAdmin
from training.enums import BookingStatus
from training.models import Booking, HousingUnit
from training.services.housing import booking_assign_first_free, booking_cancel, booking_record


@admin.register(HousingUnit)
class HousingUnitAdmin(TerritoryScopedAdmin):
    list_display = ("__str__", "kind", "commune", "open_to_locums", "monthly_rent", "active")
    list_filter = ("kind", "open_to_locums", "active")
    search_fields = ("name", "residence", "commune__name")
    list_select_related = ("commune",)
    autocomplete_fields = ("commune",)
    export_fields = ("residence", "name", "kind", "commune", "address", "lent_by", "open_to_locums", "monthly_rent")


def _recorder(step: str) -> Callable[[Any, HttpRequest, QuerySet[Any]], None]:
    def action(model_admin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        today = timezone.localdate()
        apply_each(
            model_admin,
            request,
            queryset,
            lambda booking: booking_record(actor=request.user, booking=booking, step=step, day=today),
            lambda n: ngettext("%(n)d réservation mise à jour.", "%(n)d réservations mises à jour.", n) % {"n": n},
        )

    return action


@admin.register(Booking)
class BookingAdmin(TerritoryScopedAdmin):
    access_logged = True
    list_display = (
        "occupant_name",
        "unit",
        "start_date",
        "end_date",
        "status",
        "source",
        "keys_handed_on",
        "keys_returned_on",
    )
    list_filter = ("status", "source", "unit__kind", "unit__residence")
    search_fields = ("occupant_name", "occupant_email", "installation_case_reference", "unit__name")
    list_select_related = ("unit",)
    date_hierarchy = "start_date"
    raw_id_fields = ("occupant", "placement")
    actions = [
        "export_csv",
        "assign_first_free",
        "cancel",
        "record_arrival",
        "record_keys_handed",
        "record_keys_returned",
        "record_departure",
    ]
    export_fields = (
        "occupant_name",
        "occupant_email",
        "unit",
        "status",
        "source",
        "installation_case_reference",
        "start_date",
        "end_date",
        "arrived_on",
        "keys_handed_on",
        "keys_returned_on",
        "departed_on",
    )
    fieldsets = (
        (None, {"fields": ("territory", "status", "unit", "wanted_kind", "start_date", "end_date")}),
        (
            _("Pour qui"),
            {
                "fields": (
                    "source",
                    "placement",
                    "installation_case_reference",
                    "occupant",
                    "occupant_name",
                    "occupant_email",
                )
            },
        ),
        (_("Séjour"), {"fields": ("arrived_on", "keys_handed_on", "keys_returned_on", "departed_on", "note")}),
    )

    @admin.action(description=_("Attribuer le premier logement libre (liste d'attente)"))
    def assign_first_free(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        apply_each(
            self,
            request,
            queryset.filter(status=BookingStatus.WAITING).order_by("created_at", "pk"),
            lambda booking: booking_assign_first_free(actor=request.user, booking=booking),
            lambda n: (
                ngettext("%(n)d demande a reçu un logement.", "%(n)d demandes ont reçu un logement.", n) % {"n": n}
            ),
        )

    @admin.action(description=_("Annuler (le logement va à la liste d'attente)"))
    def cancel(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        apply_each(
            self,
            request,
            queryset,
            lambda booking: booking_cancel(actor=request.user, booking=booking),
            lambda n: ngettext("%(n)d réservation annulée.", "%(n)d réservations annulées.", n) % {"n": n},
        )

    record_arrival = admin.action(description=_("Arrivée aujourd'hui"))(_recorder("arrival"))
    record_keys_handed = admin.action(description=_("Clés remises aujourd'hui"))(_recorder("keys_handed"))
    record_keys_returned = admin.action(description=_("Clés rendues aujourd'hui"))(_recorder("keys_returned"))
    record_departure = admin.action(description=_("Départ aujourd'hui"))(_recorder("departure"))
