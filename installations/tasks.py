"""Background work of the guichet unique (periodic entries in installations.schedule).

Fan-out tasks take no argument and queue one task per territory; per-territory tasks receive the
territory id and read their rows again through scoped queries.
"""

import logging
import threading

from celery import current_app, shared_task

from installations.services.applicant_mail import (
    applicant_news_deliver,
    case_confirmation_deliver,
    pending_news_ids,
    unsent_confirmation_ids,
)
from installations.services.personal_data import household_purge_expired
from installations.services.reminders import cases_remind_waiting, follow_ups_remind_due
from portal.models import Territory

logger = logging.getLogger(__name__)


def publish_in_background(task, *args) -> None:
    """Queues `task` without making the caller wait for the broker: `delay()` can block for a long
    time when Redis is unreachable, so the publish happens in a daemon thread with no retry. A lost
    publish is caught up by the periodic sweep. Eager mode (tests, embedded demo) runs it inline."""
    if current_app.conf.task_always_eager:
        task.apply(args=args)
        return

    def _publish():
        try:
            task.apply_async(args=args, retry=False)
        except Exception:
            logger.warning("could not publish %s%s; the sweep will catch up", task.name, args, exc_info=True)

    threading.Thread(target=_publish, name="installations-publish", daemon=True).start()


@shared_task(ignore_result=True)
def case_confirmation_send(territory_id: int, case_id: int, link: str = ""):
    case_confirmation_deliver(territory_id=territory_id, case_id=case_id, link=link)


@shared_task(ignore_result=True)
def applicant_news_send(territory_id: int, case_id: int):
    applicant_news_deliver(territory_id=territory_id, case_id=case_id)


@shared_task(ignore_result=True)
def confirmations_sweep():
    """Every few minutes: the e-mails to applicants without an account (confirmation links, news)
    whose after-commit publish was lost."""
    for territory_id, case_id in unsent_confirmation_ids():
        case_confirmation_deliver(territory_id=territory_id, case_id=case_id)
    for territory_id, case_id in pending_news_ids():
        applicant_news_deliver(territory_id=territory_id, case_id=case_id)


@shared_task(ignore_result=True)
def reminders_dispatch():
    """Once a day: one reminder task per active territory."""
    for territory_id in Territory.objects.filter(is_active=True).values_list("pk", flat=True):
        territory_reminders.delay(territory_id)


@shared_task(ignore_result=True)
def territory_reminders(territory_id: int):
    """Cases with no answer for N days, follow-ups falling due, household details past retention."""
    territory = Territory.objects.filter(pk=territory_id, is_active=True).first()
    if territory is None:
        return
    cases_remind_waiting(territory=territory)
    follow_ups_remind_due(territory=territory)
    household_purge_expired(territory=territory)
