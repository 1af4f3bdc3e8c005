"""Celery tasks of the outbox. They take no arguments: the rows in PostgreSQL are the work list."""

from celery import shared_task

from portal.background import enqueue_after_commit
from portal.notifications import outbox


@shared_task(ignore_result=True)
def outbox_relay():
    """Send the pending e-mails; queued after each notifying commit and by the sweep."""
    _sent, more = outbox.relay()
    if more:
        # A big batch: let other workers share the rest instead of holding this one.
        enqueue_after_commit(outbox_relay)


@shared_task(ignore_result=True, periodic=True)
def outbox_sweep():
    """Every minute (celery beat): whatever the on-commit relay missed (broker down, worker lost)."""
    outbox.mark_stale()
    outbox.send_digests(retries_only=True)
    _sent, more = outbox.relay()
    if more:
        enqueue_after_commit(outbox_relay)


@shared_task(ignore_result=True, periodic=True)
def digest_send_daily():
    """Once a day: one e-mail per person who chose the daily digest."""
    outbox.send_digests()
