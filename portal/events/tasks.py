"""Background work of the events: a thin interface over the services."""

from celery import shared_task

from portal.events import services


@shared_task(name="portal.events.tasks.reminders_send", ignore_result=True, periodic=True)
def reminders_send() -> int:
    """Periodic (every 15 minutes): remind the people registered to events starting soon."""
    return services.registration_reminders_send()
