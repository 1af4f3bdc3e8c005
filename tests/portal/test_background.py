"""portal.background: the one way to queue background work (after the commit, never blocking)."""

import ast
import socket
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from portal import background
from portal.background import enqueue_after_commit, publisher
from portal.notifications.tasks import outbox_relay, outbox_sweep

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def hung_broker(real_broker):
    """A broker that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held = []

    def accept():
        while True:
            try:
                connection, _address = server.accept()
            except OSError:
                return
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    live_url = real_broker.conf.broker_url
    real_broker.conf.broker_url = f"redis://127.0.0.1:{server.getsockname()[1]}/3"
    assert publisher.wait_idle(timeout=10)
    publisher.last_error = None
    yield real_broker
    assert publisher.wait_idle(timeout=30)
    real_broker.conf.broker_url = live_url
    server.close()
    for connection in held:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_hung_broker_never_holds_the_committing_request(hung_broker):
    started = time.monotonic()
    for _ in range(5):
        with transaction.atomic():
            enqueue_after_commit(outbox_sweep)
    # A plain delay() is still blocked after 20 s here (benchmarks/notify_broker_down.py).
    assert time.monotonic() - started < 0.5
    assert publisher.wait_idle(timeout=30)
    assert publisher.last_error is not None


@pytest.mark.django_db(transaction=True)
def test_nothing_is_queued_when_the_transaction_rolls_back(monkeypatch, real_broker):
    submitted = []
    monkeypatch.setattr(publisher, "submit", lambda task, args=(), kwargs=None: submitted.append(task.name))
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_after_commit(outbox_sweep)
        raise RuntimeError
    assert submitted == []
    with transaction.atomic():
        enqueue_after_commit(outbox_sweep)
        assert submitted == []  # not before the commit
    assert submitted == [outbox_sweep.name]


def test_identical_messages_waiting_are_published_once(monkeypatch, real_broker):
    batches = []
    first_taken = threading.Event()
    release = threading.Event()

    def fake_publish(batch):
        batches.append([(task.name, args) for task, args, _kwargs in batch])
        first_taken.set()
        release.wait(10)

    monkeypatch.setattr(background, "_publish", fake_publish)
    assert publisher.wait_idle(timeout=10)
    publisher.submit(outbox_sweep)
    assert first_taken.wait(10)  # the thread is busy publishing the first message
    for _ in range(10):
        publisher.submit(outbox_relay)
    publisher.submit(outbox_sweep, (1,))
    release.set()
    assert publisher.wait_idle(timeout=10)
    assert batches == [
        [(outbox_sweep.name, ())],
        [(outbox_relay.name, ()), (outbox_sweep.name, (1,))],
    ]


@pytest.mark.django_db
def test_eager_mode_runs_the_task_after_the_commit(django_capture_on_commit_callbacks, monkeypatch):
    from portal.notifications import outbox

    ran = []
    monkeypatch.setattr(outbox, "relay", lambda **kwargs: ran.append(True) or (0, False))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_after_commit(outbox_relay)
        assert ran == []
    assert len(callbacks) == 1 and ran == [True]


def _queueing_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr in {"delay", "apply_async", "delay_on_commit"}:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
        if isinstance(node, ast.Attribute) and node.attr == "Thread":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} threading.Thread")
    return found


# Threads that queue no work, each with its reason.
OTHER_THREADS = {
    "portal/documents/lease.py": "a PDF build's heartbeat: renews its lease while it renders, queues nothing",
}


def test_background_work_is_queued_only_through_portal_background():
    """One way to queue work: a `.delay()` elsewhere would block a request on a broker outage."""
    offenders = []
    for package in ("portal", "installations", "governance", "training", "prevention", "config"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name != "background.py" and "migrations" not in path.parts:
                offenders += _queueing_calls(path)
    offenders = [o for o in offenders if not (o.endswith("threading.Thread") and o.split(":")[0] in OTHER_THREADS)]
    assert offenders == []


def test_a_task_queueing_more_work_publishes_it_there_and_then(monkeypatch, real_broker):
    """In a worker no request waits, and a thread could die with a recycled worker process."""
    published, submitted = [], []
    monkeypatch.setattr(background, "_in_worker", lambda: True)
    monkeypatch.setattr(outbox_relay, "apply_async", lambda args=(), kwargs=None: published.append(args))
    monkeypatch.setattr(publisher, "submit", lambda *a, **k: submitted.append(a))
    background.enqueue_now(outbox_relay)
    assert published == [()] and submitted == []


def test_outside_a_task_the_request_thread_only_hands_the_message_over(monkeypatch, real_broker):
    submitted = []
    monkeypatch.setattr(publisher, "submit", lambda task, args=(), kwargs=None: submitted.append(task.name))
    assert background._in_worker() is False
    background.enqueue_now(outbox_relay)
    assert submitted == [outbox_relay.name]
