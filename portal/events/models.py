"""Events (a training session, a welcome evening, a Mercredi de la santé…) and the registrations to them.

Portal knows nothing of the axis apps: an app gives its events a `kind` ("training.session",
"prevention.agenda") and keeps whatever else it needs in its own tables, pointing at the event.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import french
from portal.events.enums import ACTIVE_STATUSES, EventAudience, EventStatus, RegistrationStatus
from portal.tenancy.models import TerritoryQuerySet, TerritoryScopedModel

validate_event_kind = RegexValidator(
    r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$",
    _("Un identifiant en minuscules, par exemple « training.session » ou « prevention.agenda »."),
)


class EventQuerySet(TerritoryQuerySet["Event"]):
    def published(self) -> Self:
        return self.filter(status=EventStatus.PUBLISHED)

    def public(self) -> Self:
        """What the territory's site shows: published events, and cancelled ones (with their notice)."""
        return self.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])

    def upcoming(self, now: datetime | None = None) -> Self:
        return self.filter(ends_at__gte=now or timezone.now())

    def of_kind(self, kind: str) -> Self:
        return self.filter(kind=kind)

    def with_counts(self) -> Self:
        return self.annotate(
            registered_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)),
            waitlisted_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        )


EventManager = models.Manager.from_queryset(EventQuerySet)


# The fields an organiser sets on an event (the events admin, and training's session page which
# writes a session and its event together); territory and kind are set by whoever creates it.
EVENT_EDITABLE_FIELDS = (
    "title",
    "description",
    "audience",
    "status",
    "starts_at",
    "ends_at",
    "place",
    "commune",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "allow_anonymous",
    "organiser",
    "organiser_users",
)


class Event(TerritoryScopedModel):
    kind = models.CharField(
        _("type d'événement"),
        max_length=60,
        blank=True,
        db_index=True,
        validators=[validate_event_kind],
        help_text=_("Déclaré par l'application qui organise l'événement (formation, prévention…)."),
    )
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=255, blank=True, help_text=_("Adresse ou salle."))
    commune = models.ForeignKey(
        "portal.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    capacity = models.PositiveIntegerField(
        _("nombre de places"), null=True, blank=True, help_text=_("Laisser vide pour un nombre de places illimité.")
    )
    audience = models.CharField(
        _("public visé"), max_length=20, choices=EventAudience.choices, default=EventAudience.PUBLIC
    )
    organiser = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("organisateur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organiser_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personnes organisatrices"),
        blank=True,
        related_name="organised_events",
        help_text=_("Elles notent les présences, en plus de l'équipe du territoire."),
    )
    registration_opens_at = models.DateTimeField(_("ouverture des inscriptions"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("clôture des inscriptions"), null=True, blank=True, help_text=_("Par défaut, le début de l'événement.")
    )
    allow_anonymous = models.BooleanField(
        _("inscription sans compte"),
        default=False,
        help_text=_("Les personnes sans compte s'inscrivent avec leur nom et leur e-mail, qu'elles confirment."),
    )
    status = models.CharField(
        _("état"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    # Bumped at each change that calendar clients must see (cancellation): they update, not duplicate.
    ics_sequence = models.PositiveIntegerField(_("version de l'invitation"), default=0, editable=False)

    # Annotated: managers are class variables in django-stubs, and an override must say so.
    objects: ClassVar[EventManager] = EventManager()

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["territory", "status", "starts_at"], name="event_territory_agenda")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.update_error_dict({}))
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors.setdefault("ends_at", []).append(_("La fin doit être après le début de l'événement."))
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors.setdefault("registration_closes_at", []).append(
                _("La clôture des inscriptions doit être après leur ouverture.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def places_left(self) -> int | None:
        """Free places (None: unlimited); uses `with_counts()`'s annotation when the row has it."""
        if self.capacity is None:
            return None
        count = getattr(self, "registered_count", None)
        if count is None:
            count = self.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        return max(self.capacity - count, 0)

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def registration_closes(self) -> datetime:
        return self.registration_closes_at or self.starts_at

    def registration_refusal(self, now: datetime | None = None) -> str:
        """Why nobody may register now, in French; "" when registration is open."""
        now = now or timezone.now()
        if self.status == EventStatus.CANCELLED:
            return str(_("Cet événement est annulé : les inscriptions sont fermées."))
        if self.status != EventStatus.PUBLISHED:
            return str(_("Cet événement n'est pas encore publié."))
        if self.registration_opens_at and now < self.registration_opens_at:
            return str(
                _("Les inscriptions ouvriront le %(day)s.") % {"day": french.datetime_(self.registration_opens_at)}
            )
        if now >= self.registration_closes():
            return str(_("Les inscriptions sont closes."))
        return ""


class RegistrationQuerySet(TerritoryQuerySet["Registration"]):
    def active(self) -> Self:
        return self.filter(status__in=ACTIVE_STATUSES)

    def registered(self) -> Self:
        return self.filter(status=RegistrationStatus.REGISTERED)

    def waitlisted(self) -> Self:
        return self.filter(status=RegistrationStatus.WAITLISTED)

    def waitlist_order(self) -> Self:
        return self.order_by("waitlisted_at", "pk")


RegistrationManager = models.Manager.from_queryset(RegistrationQuerySet)


class Registration(TerritoryScopedModel):
    """One person's registration to one event: a user, or a name and an e-mail without an account."""

    event = models.ForeignKey(
        Event, verbose_name=_("événement"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    name = models.CharField(_("nom"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Pour une inscription sans compte."))
    status = models.CharField(_("état"), max_length=20, choices=RegistrationStatus.choices, db_index=True)
    attended = models.BooleanField(_("présence"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(_("présence notée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # The place in the waiting list: set when the person joins it (again).
    waitlisted_at = models.DateTimeField(_("en attente depuis"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("passé de l'attente à inscrit le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    certificate = models.ForeignKey(
        "documents.GeneratedDocument",
        verbose_name=_("attestation de présence"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[RegistrationManager] = RegistrationManager()

    # Set on the rows of a person's list by selectors.registrations_of (not stored).
    waitlist_position: int | None = None
    is_past: bool = False
    may_cancel: bool = False

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(email="")) | (Q(user__isnull=True) & ~Q(email="")),
                name="registration_user_or_email",
            ),
            models.UniqueConstraint(
                fields=["territory", "event", "user"],
                condition=Q(user__isnull=False),
                name="registration_unique_user",
            ),
            models.UniqueConstraint(
                fields=["territory", "event", "email"],
                condition=~Q(email=""),
                name="registration_unique_email",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self):
        return f"{self.person_name} — {self.event}"

    @property
    def person_name(self) -> str:
        if self.user is not None:
            return self.user.get_full_name() or self.user.email
        return self.name or self.email

    @property
    def person_email(self) -> str:
        return self.user.email if self.user is not None else self.email

    @property
    def is_registered(self) -> bool:
        return self.status == RegistrationStatus.REGISTERED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
