"""Training sessions for professionals and welcome evenings: each is a shared event (portal.events),
which holds the date, place, capacity, registrations, waiting list and attendance; this table keeps
only what training adds (the theme, the trainer, the DPC reference)."""

from __future__ import annotations

from typing import ClassVar, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.tenancy.models import TerritoryQuerySet, TerritoryScopedModel
from training.enums_programmes import WELCOME_THEMES, SessionTheme, event_kind_of


class SessionQuerySet(TerritoryQuerySet["Session"]):
    def trainings(self) -> Self:
        return self.exclude(theme__in=WELCOME_THEMES)

    def welcomes(self) -> Self:
        return self.filter(theme__in=WELCOME_THEMES)


SessionManager = models.Manager.from_queryset(SessionQuerySet)


class Session(TerritoryScopedModel):
    event = models.OneToOneField(
        "events.Event", verbose_name=_("événement"), on_delete=models.CASCADE, related_name="training_session"
    )
    theme = models.CharField(_("thème"), max_length=30, choices=SessionTheme.choices, db_index=True)
    trainer = models.CharField(_("formateur ou intervenant"), max_length=200, blank=True)
    dpc_reference = models.CharField(
        _("référence DPC"),
        max_length=40,
        blank=True,
        help_text=_("Numéro de l'action de développement professionnel continu, si elle est agréée."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects: ClassVar[SessionManager] = SessionManager()

    class Meta:
        verbose_name = _("formation ou soirée")
        verbose_name_plural = _("formations et soirées")
        ordering = ["event__starts_at", "pk"]

    def __str__(self):
        return str(self.event)

    @property
    def event_kind(self) -> str:
        return event_kind_of(self.theme)

    @property
    def is_welcome(self) -> bool:
        return self.theme in WELCOME_THEMES
