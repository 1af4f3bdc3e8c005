"""Celery beat entries of the notifications, merged by settings into CELERY_BEAT_SCHEDULE."""

from celery.schedules import crontab

NOTIFICATIONS_BEAT_SCHEDULE = {
    "notifications-outbox-sweep": {
        "task": "portal.notifications.tasks.outbox_sweep",
        "schedule": 60.0,
        # A sweep that waited more than a minute in the queue is superseded by the next one.
        "options": {"expires": 55},
    },
    "notifications-daily-digest": {
        "task": "portal.notifications.tasks.digest_send_daily",
        # End of the working day, Europe/Paris (CELERY_TIMEZONE).
        "schedule": crontab(hour=18, minute=0),
    },
}
