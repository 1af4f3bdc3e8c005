"""The daily purge of personal data past its retention period (declared on PrivacyConfig.hooks)."""

from celery import shared_task

from portal.background import enqueue_after_commit
from portal.models import Territory
from portal.privacy.services import territory_retention_purge


@shared_task(ignore_result=True, periodic=True)
def retention_purge():
    """Once a day: one purge task per territory (an inactive territory's data is purged too).
    Expired sessions, where a request's draft lives, go by portal.tasks.sessions_clear_expired."""
    for territory_id in Territory.objects.values_list("pk", flat=True):
        enqueue_after_commit(territory_retention_purge_task, territory_id)


@shared_task(ignore_result=True)
def territory_retention_purge_task(territory_id: int):
    territory = Territory.objects.filter(pk=territory_id).first()
    if territory is not None:
        territory_retention_purge(territory=territory)
