"""Two territories with their staff, as every tenancy test needs (see shared/GUIDE.md)."""

import os

import pytest
from django.test import Client

from portal.enums import Role
from tests.portal.factories import MembershipFactory, TerritoryFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there
# unless told that this is expected (browser tests only use the ORM to arrange data).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and sessions live in Redis: each test starts from a clean slate.
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def territory_a(db):
    return TerritoryFactory(name="Territoire Alpha", slug="alpha")


@pytest.fixture
def territory_b(db):
    return TerritoryFactory(name="Territoire Bêta", slug="beta", region="Nouvelle-Aquitaine")


def _staff_of(territory, role=Role.COORDINATOR, email=None):
    user = UserFactory(email=email or f"{role}-{territory.slug}@exemple.fr", staff=True)
    MembershipFactory(user=user, territory=territory, role=role)
    return user


@pytest.fixture
def coordinator_a(territory_a):
    return _staff_of(territory_a)


@pytest.fixture
def coordinator_b(territory_b):
    return _staff_of(territory_b)


@pytest.fixture
def staff_of():
    """Factory fixture: `staff_of(territory, role)` gives a user holding that role there."""
    return _staff_of


@pytest.fixture
def login():
    """`login(user)` gives a test client signed in as `user`, with a second factor enrolled
    when the user is staff (the admin requires one)."""

    def _login(user):
        if user.is_staff:
            from allauth.mfa.models import Authenticator

            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "test"}}
            )
        client = Client()
        client.force_login(user)
        return client

    return _login


# --- background work through the real broker -----------------------------------------------------

# Nothing listens there: a broker that is down.
DEAD_BROKER_URL = "redis://127.0.0.1:6390/3"


@pytest.fixture
def real_broker(settings):
    """Tasks go through Redis (the test settings' REDIS_URL db), routed as in production, instead
    of running eagerly. Start a worker with `celery.contrib.testing.worker.start_worker`."""
    from config.celery import app

    previous = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.CELERY_BROKER_URL
    with app.connection_for_write() as connection:
        # Leftovers of an interrupted run would be consumed by this test's worker.
        for queue in ("celery", "reports"):
            connection.default_channel.queue_purge(queue)
    yield app
    app.conf.task_always_eager, app.conf.broker_url = previous
    # A worker started with `queues=[...]` narrows the app's queue selection for good: without
    # this reset the next test's worker would not listen on the default queue.
    app.amqp.queues._consume_from = None


@pytest.fixture
def broker_down(real_broker):
    """The broker URL points at a port where nothing listens; `broker_down.come_back()` restores it."""
    from types import SimpleNamespace

    from portal.background import publisher

    live_url = real_broker.conf.broker_url
    real_broker.conf.broker_url = DEAD_BROKER_URL
    # The publisher remembers the outage it last saw; start from a clean slate.
    assert publisher.wait_idle(timeout=10)
    publisher.last_error = None

    def come_back():
        real_broker.conf.broker_url = live_url

    return SimpleNamespace(app=real_broker, come_back=come_back)


# --- a Redis that is down or hung ----------------------------------------------------------------


class HungServer:
    """A TCP server thread that accepts every connection and never answers: a frozen Redis (the
    kernel of a SIGSTOPped server still completes connections; nobody reads them)."""

    def __init__(self):
        import socket
        import threading

        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self._held = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="hung-redis", daemon=True)
        self._thread.start()
        self.url = f"redis://127.0.0.1:{self._listener.getsockname()[1]}/0"

    def _serve(self):
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._held.append(connection)  # kept open, never read, never answered

    def close(self):
        self._stopping.set()
        self._thread.join(timeout=2)
        for connection in self._held:
            connection.close()
        self._listener.close()


@pytest.fixture
def hung_redis_url():
    """The URL of a port that accepts connections and never answers."""
    server = HungServer()
    yield server.url
    server.close()
