"""Celery tasks of the shared core itself."""

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(ignore_result=True, periodic=True)
def sessions_clear_expired():
    """Once a night: delete the expired sessions. They live in the database (SESSION_ENGINE = db,
    docs/adr/0005), where nothing else removes them; an expired row is never read back anyway."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
