"""The prevention agenda lives on the shared portal/events: an event of kind "prevention.agenda"
(registration, waiting list, reminders, iCalendar are portal's), plus what prevention adds to it
here: its theme and the initiative it belongs to."""

from __future__ import annotations

from typing import ClassVar, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.events.models import Event, EventQuerySet
from portal.tenancy.models import TerritoryScopedModel
from prevention.enums import AGENDA_EVENT_KIND, Theme


class PreventionEventQuerySet(EventQuerySet):
    def agenda(self) -> Self:
        return self.of_kind(AGENDA_EVENT_KIND)


PreventionEventManager = models.Manager.from_queryset(PreventionEventQuerySet)


class PreventionEvent(Event):
    """The events of the prevention agenda, as the prevention admin edits them (same table as every
    event: a proxy, so registrations and reminders stay the shared ones)."""

    objects: ClassVar[PreventionEventManager] = PreventionEventManager()

    class Meta:
        proxy = True
        verbose_name = _("événement de prévention")
        verbose_name_plural = _("agenda de prévention")

    def save(self, *args, **kwargs):
        self.kind = AGENDA_EVENT_KIND
        super().save(*args, **kwargs)


class AgendaDetails(TerritoryScopedModel):
    event = models.OneToOneField(
        Event, verbose_name=_("événement"), on_delete=models.CASCADE, related_name="prevention_details"
    )
    theme = models.CharField(_("thème"), max_length=30, choices=Theme.choices, db_index=True)
    initiative = models.ForeignKey(
        "prevention.Initiative",
        verbose_name=_("action de prévention"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_details",
        help_text=_("L'action dont cet événement fait partie, s'il y en a une."),
    )

    class Meta:
        verbose_name = _("thème de l'événement")
        verbose_name_plural = _("thèmes des événements")

    def __str__(self):
        return f"{self.event} — {self.get_theme_display()}"
