from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Events and registrations shared by every axis (training sessions, welcome evenings, the
    prevention agenda): one registration system, with capacity, waiting list and attendance."""

    name = "portal.events"
    label = "events"
    verbose_name = _("Événements et inscriptions")
