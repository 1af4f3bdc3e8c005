"""Background work end to end: a real Celery worker on the real Redis, and a broker that is down."""

import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from portal.background import publisher
from portal.notifications.enums import EmailState
from portal.notifications.models import Notification
from portal.notifications.services import notify
from portal.notifications.tasks import outbox_sweep
from tests.portal.factories import UserFactory


def _wait_for(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _notify_and_commit(territory, user, subject):
    with transaction.atomic():
        notify(territory=territory, recipients=[user], kind="test", subject=subject, body="Détail.")


@pytest.mark.django_db(transaction=True)
def test_worker_sends_the_email_relayed_after_commit(territory_a, real_broker, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.ThreadRecordingBackend"
    doctor = UserFactory()
    with start_worker(real_broker, pool="solo", perform_ping_check=False):
        _notify_and_commit(territory_a, doctor, "Votre dossier est complet")
        # The on-commit hand-off published `outbox_relay` to Redis; the worker thread consumed it.
        assert _wait_for(lambda: len(mail.outbox) == 1), publisher.last_error
    assert mail.outbox[0].to == [doctor.email]
    assert mail.outbox[0].sent_by_thread != threading.main_thread().name  # the worker's thread sent it
    assert mail.outbox[0].subject.endswith("Votre dossier est complet")
    row = Notification.objects.get()
    assert row.email_state == EmailState.SENT


@pytest.mark.django_db(transaction=True)
def test_no_notification_lost_when_the_broker_is_down_at_submit_time(territory_a, broker_down):
    users = UserFactory.create_batch(10)

    started = time.monotonic()
    for index, user in enumerate(users):
        _notify_and_commit(territory_a, user, f"Notification {index}")
    elapsed = time.monotonic() - started
    # Sanity bound only (a plain delay() waits ~0.85 s per call here); figures: benchmarks/notify_broker_down.py.
    assert elapsed < 3.0

    assert publisher.wait_idle(timeout=10)
    assert publisher.last_error is not None  # the relay could not be published…
    assert mail.outbox == []
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.PENDING}  # …nothing lost

    broker_down.come_back()
    with start_worker(broker_down.app, pool="solo", perform_ping_check=False):
        outbox_sweep.delay()  # what celery beat does every minute
        assert _wait_for(lambda: len(mail.outbox) == len(users))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}


def test_background_publisher_starts_afresh_in_a_forked_process(broker_down):
    import os

    publisher.submit(outbox_sweep)  # a thread exists in this process (its publish fails: no matter)
    assert publisher.wait_idle(timeout=10)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: the publisher must not carry the parent's thread nor its lock state
        ok = publisher._thread is None and publisher._requested == 0
        os.write(write_end, b"1" if ok else b"0")
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read_end, 1) == b"1"
