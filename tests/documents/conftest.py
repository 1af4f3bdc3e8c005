import copy
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def documents_test_assets(settings, tmp_path):
    """Test-only templates and static files, and a fresh media folder for each test."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], HERE / "templates"]
    settings.TEMPLATES = templates
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, HERE / "static"]
    settings.MEDIA_ROOT = tmp_path / "media"
    yield


# Nothing listens there: a broker that is down.
DEAD_BROKER_URL = "redis://127.0.0.1:6391/5"


@pytest.fixture
def real_broker(settings):
    """Tasks go through Redis (this suite's REDIS_URL db), routed as in production, instead of
    running eagerly."""
    from portal.celery import app
    from portal.documents.celery_config import TASK_ROUTES

    previous = app.conf.task_always_eager, app.conf.broker_url, app.conf.task_routes
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.CELERY_BROKER_URL
    app.conf.task_routes = TASK_ROUTES
    with app.connection_for_write() as connection:
        # Leftovers of an interrupted run would be consumed by this test's worker.
        for queue in ("celery", "reports"):
            connection.default_channel.queue_purge(queue)
    yield app
    app.conf.task_always_eager, app.conf.broker_url, app.conf.task_routes = previous


@pytest.fixture
def broker_down(real_broker):
    real_broker.conf.broker_url = DEAD_BROKER_URL
    yield real_broker
