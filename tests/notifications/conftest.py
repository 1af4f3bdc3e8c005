from types import SimpleNamespace

import pytest

from portal.celery import app as celery_app

# Nothing listens there: a broker that is down.
DEAD_BROKER_URL = "redis://127.0.0.1:6390/3"


@pytest.fixture
def real_broker(settings):
    """Tasks go through Redis (the test settings' REDIS_URL db) instead of running eagerly."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = settings.CELERY_BROKER_URL
    with celery_app.connection_for_write() as connection:
        # Leftovers of an interrupted run would be consumed by this test's worker.
        connection.default_channel.queue_purge("celery")
    yield celery_app
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous


@pytest.fixture
def broker_down(real_broker):
    """The broker URL points at a port where nothing listens; `broker_down.come_back()` restores it."""
    live_url = real_broker.conf.broker_url
    real_broker.conf.broker_url = DEAD_BROKER_URL

    def come_back():
        real_broker.conf.broker_url = live_url

    return SimpleNamespace(app=real_broker, come_back=come_back)
