from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.hooks import AppHooks, PeriodicTask, RetentionRule


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    hooks = AppHooks(
        periodic_tasks=(
            PeriodicTask(
                "notifications-outbox-sweep",
                task="portal.notifications.tasks.outbox_sweep",
                schedule=60.0,
                # A sweep that waited more than a minute in the queue is superseded by the next one.
                options={"expires": 55},
            ),
            PeriodicTask(
                "notifications-daily-digest",
                task="portal.notifications.tasks.digest_send_daily",
                # End of the working day, Europe/Paris (CELERY_TIMEZONE).
                schedule=crontab(hour=18, minute=0),
            ),
        ),
        retention=(
            RetentionRule(
                "notifications.messages",
                label=_("Notifications du site et e-mails envoyés"),
                outcome=_("supprimés"),
                purge="portal.notifications.services.notifications_purge",
            ),
        ),
    )
