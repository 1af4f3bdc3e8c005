"""Celery beat entries of the events, merged by settings into CELERY_BEAT_SCHEDULE."""

EVENTS_BEAT_SCHEDULE = {
    "events-reminders": {
        "task": "portal.events.tasks.reminders_send",
        # Every quarter of an hour: a reminder leaves about EVENTS_REMINDER_HOURS before the start.
        "schedule": 900.0,
        "options": {"expires": 840},
    },
}
