"""Background work of the guichet unique (periodic entries declared on InstallationsConfig).

Fan-out tasks take no argument and queue one task per territory; per-territory tasks receive the
territory id and read their rows again through scoped queries.
"""

from celery import shared_task

from installations.services.follow_ups import follow_ups_ask_due
from installations.services.reminders import cases_remind_waiting, follow_ups_remind_due
from portal.background import enqueue_after_commit
from portal.models import Territory


@shared_task(ignore_result=True, periodic=True)
def reminders_dispatch():
    """Once a day: one reminder task per active territory."""
    for territory_id in Territory.objects.filter(is_active=True).values_list("pk", flat=True):
        enqueue_after_commit(territory_reminders, territory_id)


@shared_task(ignore_result=True)
def territory_reminders(territory_id: int):
    """Cases with no answer for N days, follow-ups falling due (the professional asked, the team
    reminded when they do not answer). Household details past retention: portal.privacy's nightly
    purge."""
    territory = Territory.objects.filter(pk=territory_id, is_active=True).first()
    if territory is None:
        return
    cases_remind_waiting(territory=territory)
    follow_ups_ask_due(territory=territory)
    follow_ups_remind_due(territory=territory)
