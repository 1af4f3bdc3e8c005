"""Interns' housing: the stock (residence rooms, internat places, flats lent by communes) and its
bookings by period.

No two bookings that hold a room may overlap. PostgreSQL enforces it with an exclusion constraint
over the daterange [arrival, departure) and the room (GiST, with btree_gist for the equality), so
two requests at the same instant cannot both win; the service also locks the room's row and checks
first, which gives a polite message and keeps the rule on the SQLite demo (where the constraint
is not created, see `PostgresExclusionConstraint`).
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _

from portal.tenancy.models import TerritoryQuerySet, TerritoryScopedModel
from training.enums import HOLDING_STATUSES, BookingSource, BookingStatus, HousingKind


class DateRange(Func):
    """PostgreSQL's daterange(start, end, '[)'): the nights from arrival to the day before departure."""

    function = "DATERANGE"
    output_field = DateRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint that exists on PostgreSQL only: on another database (the SQLite of
    `make run`) it creates no SQL and validates nothing; the service's check under a row lock
    keeps the rule there."""

    def _is_postgres(self, schema_editor: Any) -> bool:
        return bool(schema_editor.connection.vendor == "postgresql")

    def constraint_sql(self, model: Any, schema_editor: Any) -> Any:
        return super().constraint_sql(model, schema_editor) if self._is_postgres(schema_editor) else None

    def create_sql(self, model: Any, schema_editor: Any) -> Any:
        return super().create_sql(model, schema_editor) if self._is_postgres(schema_editor) else None

    def remove_sql(self, model: Any, schema_editor: Any) -> Any:
        return super().remove_sql(model, schema_editor) if self._is_postgres(schema_editor) else None

    def validate(self, model: Any, instance: Any, exclude: Any = None, using: str = DEFAULT_DB_ALIAS) -> None:
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)


class HousingUnit(TerritoryScopedModel):
    """One bookable room or place (a flat lent whole counts as one unit)."""

    name = models.CharField(_("nom"), max_length=200, help_text=_("Par exemple « Chambre 3 »."))
    residence = models.CharField(
        _("résidence"), max_length=200, blank=True, help_text=_("Par exemple « Maison des internes d'Agen ».")
    )
    kind = models.CharField(_("type"), max_length=20, choices=HousingKind.choices)
    commune = models.ForeignKey("portal.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    lent_by = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("prêté par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("La commune ou l'hôpital qui met le logement à disposition."),
    )
    open_to_locums = models.BooleanField(_("ouvert aux remplaçants"), default=False)
    monthly_rent = models.DecimalField(_("loyer mensuel (€)"), max_digits=7, decimal_places=2, null=True, blank=True)
    active = models.BooleanField(_("disponible à la réservation"), default=True)

    class Meta:
        verbose_name = _("logement")
        verbose_name_plural = _("logements")
        ordering = ["residence", "name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "residence", "name"], name="training_unit_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.residence} — {self.name}" if self.residence else self.name


class BookingQuerySet(TerritoryQuerySet["Booking"]):
    def holding(self) -> Self:
        return self.filter(status__in=HOLDING_STATUSES, unit__isnull=False)

    def overlapping(self, start: Any, end: Any) -> Self:
        # [start, end) against [start_date, end_date): the departure day is free for the next arrival.
        return self.filter(start_date__lt=end, end_date__gt=start)


BookingManager = models.Manager.from_queryset(BookingQuerySet)


class Booking(TerritoryScopedModel):
    """A stay in a unit, from the arrival day to the departure day (the night before it is the
    last). On the waiting list it has no unit yet."""

    unit = models.ForeignKey(
        HousingUnit,
        verbose_name=_("logement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        help_text=_("Vide tant que la demande est sur liste d'attente."),
    )
    wanted_kind = models.CharField(
        _("type de logement souhaité"), max_length=20, choices=HousingKind.choices, blank=True
    )
    status = models.CharField(_("statut"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.WAITING)
    source = models.CharField(_("origine"), max_length=20, choices=BookingSource.choices)
    placement = models.ForeignKey(
        "training.Placement",
        verbose_name=_("stage"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
    )
    # An installation case is named by its reference: training never imports installations.
    installation_case_reference = models.CharField(
        _("référence de la demande d'installation"), max_length=24, blank=True
    )
    occupant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("occupant (compte)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_bookings",
    )
    occupant_name = models.CharField(_("occupant"), max_length=300)
    occupant_email = models.EmailField(_("e-mail de l'occupant"), blank=True)
    start_date = models.DateField(_("arrivée"))
    end_date = models.DateField(_("départ"))
    arrived_on = models.DateField(_("arrivé le"), null=True, blank=True)
    departed_on = models.DateField(_("parti le"), null=True, blank=True)
    keys_handed_on = models.DateField(_("clés remises le"), null=True, blank=True)
    keys_returned_on = models.DateField(_("clés rendues le"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)

    objects: ClassVar[BookingManager] = BookingManager()

    class Meta:
        verbose_name = _("réservation de logement")
        verbose_name_plural = _("réservations de logement")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="training_booking_ends_after_start",
                violation_error_message=_("Le départ doit être au moins le lendemain de l'arrivée."),
            ),
            PostgresExclusionConstraint(
                name="training_booking_no_overlap",
                expressions=[
                    (DateRange("start_date", "end_date", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("unit", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=HOLDING_STATUSES, unit__isnull=False),
                violation_error_message=_("Ce logement est déjà réservé sur une partie de ces dates."),
            ),
        ]
        indexes = [models.Index(fields=["territory", "start_date"], name="training_booking_arrival")]

    def __str__(self) -> str:
        return f"{self.occupant_name} — {self.unit or _('liste d attente')}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = _("Le départ doit être au moins le lendemain de l'arrivée.")
        if self.source == BookingSource.PLACEMENT and not self.placement_id:
            errors["placement"] = _("Indiquez le stage pour lequel le logement est demandé.")
        if self.source == BookingSource.INSTALLATION_CASE and not self.installation_case_reference:
            errors["installation_case_reference"] = _("Indiquez la référence de la demande d'installation.")
        if self.status in HOLDING_STATUSES and not self.unit_id:
            errors["unit"] = _("Choisissez le logement : une réservation confirmée en a un.")
        if self.unit is not None and self.source == BookingSource.LOCUM and not self.unit.open_to_locums:
            errors["unit"] = _("Ce logement n'est pas ouvert aux remplaçants.")
        if self.keys_returned_on and not self.keys_handed_on:
            errors["keys_returned_on"] = _("Les clés ne peuvent être rendues avant d'avoir été remises.")
        if errors:
            raise ValidationError(errors)
        # The room's other bookings (the database refuses them too on PostgreSQL; this gives the
        # message next to the field on every database, the admin's form included).
        if self.unit_id and self.status in HOLDING_STATUSES and self.start_date and self.end_date:
            clash = (
                Booking.objects.filter(unit_id=self.unit_id)
                .holding()
                .overlapping(self.start_date, self.end_date)
                .exclude(pk=self.pk)
            )
            if clash.exists():
                raise ValidationError({"unit": _("Ce logement est déjà réservé sur une partie de ces dates.")})
