from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.hooks import AppHooks, PeriodicTask, PublicEntry, RetentionRule


class EventsConfig(AppConfig):
    """Events and registrations shared by every axis (training sessions, welcome evenings, the
    prevention agenda): one registration system, with capacity, waiting list and attendance."""

    name = "portal.events"
    label = "events"
    verbose_name = _("Événements et inscriptions")
    # What portal reads of this app (see portal/hooks.py).
    hooks = AppHooks(
        # Shown on anonymous public pages: a change makes them stale (portal/public_cache.py).
        public_models=("Event", "Registration"),
        public_entry=PublicEntry(
            title=_("Agenda des événements"),
            text=_(
                "Formations, soirées d'accueil des internes, actions de prévention : inscrivez-vous en ligne, "
                "recevez le rappel et ajoutez l'événement à votre agenda."
            ),
            url_name="events:list",
        ),
        demo_data="portal.events.demo.build",
        periodic_tasks=(
            PeriodicTask(
                "events-reminders",
                task="portal.events.tasks.reminders_send",
                # Every quarter of an hour: a reminder leaves about EVENTS_REMINDER_HOURS before the start.
                schedule=900.0,
                options={"expires": 840},
            ),
        ),
        retention=(
            RetentionRule(
                "events.anonymous_registrations",
                label=_(
                    "Inscriptions aux événements faites sans compte (nom, e-mail), à compter de la fin de l'événement"
                ),
                outcome=_("nom, e-mail et attestation de présence effacés"),
                purge="portal.events.services.anonymous_registrations_erase",
            ),
        ),
    )
