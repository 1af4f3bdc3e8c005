"""Celery beat entries of the guichet unique, to merge into CELERY_BEAT_SCHEDULE."""

from celery.schedules import crontab

INSTALLATIONS_BEAT_SCHEDULE = {
    "installations-daily-reminders": {
        "task": "installations.tasks.reminders_dispatch",
        # Early morning, Europe/Paris (CELERY_TIMEZONE): coordinators find the reminders at work.
        "schedule": crontab(hour=7, minute=30),
        "options": {"expires": 6 * 3600},
    },
    "installations-confirmations-sweep": {
        "task": "installations.tasks.confirmations_sweep",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
}
