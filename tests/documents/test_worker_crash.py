"""Issue 9, item 5, end to end: a real reports worker (`celery worker -Q reports`, prefork, in its own
process group, on the test Redis and database) killed with SIGKILL mid-render.

The lease is shortened to 2 s (production: 60 s, the sweep every minute) so that the test waits
seconds, not minutes; the sweep is called here as celery beat would call it."""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection, transaction

from portal.documents.enums import DocumentStatus
from portal.documents.models import GeneratedDocument
from portal.documents.services import document_retry, document_sweep, interrupted_reason
from tests.documents.test_tasks import _request, _stored_text

LEASE_SECONDS = 2
SLOW = "tests.documents.builders.slow_builder"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reports_worker(real_broker, tmp_path, settings):
    """`start()` launches a reports worker process (one prefork child) and returns it."""
    settings.DOCUMENTS_LEASE_SECONDS = LEASE_SECONDS
    # The test settings, with this test's media folder (where the test reads the PDF back).
    (tmp_path / "crash_worker_settings.py").write_text(
        f"from config.settings.test import *  # noqa\nMEDIA_ROOT = {str(settings.MEDIA_ROOT)!r}\n"
    )
    db = connection.settings_dict
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
        "DJANGO_SETTINGS_MODULE": "crash_worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.CACHES["default"]["LOCATION"],
        "CELERY_BROKER_URL": real_broker.conf.broker_url,
        "DOCUMENTS_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    started = []

    def start():
        log = tmp_path / f"worker-{len(started)}.log"
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "reports", "--pool", "prefork"]
        command += ["--concurrency", "1", "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["-n", f"reports-{uuid.uuid4().hex[:8]}@%h"]
        with log.open("w") as output:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(  # noqa: S603  (arguments written here)
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches the pool child too
            )
        process.log = log
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_for(condition, timeout, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    return None


def row(document):
    return GeneratedDocument.objects.get(pk=document.pk)


def rendering_in_child(document, worker):
    """The pid of the pool child rendering `document`, once it has started."""
    current = row(document)
    if current.status != DocumentStatus.RUNNING or not current.worker:
        return None
    pid = int(current.worker.rpartition(":")[2])
    return pid if pid != worker.pid else None


def request_slow_document(coordinator, territory, seconds):
    with transaction.atomic():
        return _request(coordinator, territory, builder=SLOW, params={"title": "Bilan annuel 2025", "seconds": seconds})


def test_pool_child_killed_mid_render_the_message_comes_back_and_the_document_is_built(
    territory_a, coordinator_a, reports_worker
):
    worker = reports_worker()
    document = request_slow_document(coordinator_a, territory_a, seconds=4)
    child = wait_for(lambda: rendering_in_child(document, worker), timeout=60)
    assert child, worker.log.read_text()[-3000:]

    os.kill(child, signal.SIGKILL)

    # The worker hands the message back at once (acks_late, reject_on_worker_lost); its next child
    # sees the process named on the row gone and builds the document again, without waiting for
    # the lease or the sweep.
    built = wait_for(lambda: row(document).status == DocumentStatus.READY, timeout=60)
    assert built, worker.log.read_text()[-3000:]
    document.refresh_from_db()
    assert (document.attempts, document.interruptions) == (2, 1)
    assert "Bilan annuel 2025" in _stored_text(document)
    assert "died; building it again" in worker.log.read_text()


def test_whole_worker_killed_mid_render_the_document_fails_within_the_lease_and_a_retry_builds_it(
    territory_a, coordinator_a, reports_worker
):
    worker = reports_worker()
    document = request_slow_document(coordinator_a, territory_a, seconds=30)
    assert wait_for(lambda: rendering_in_child(document, worker), timeout=60), worker.log.read_text()[-3000:]

    os.killpg(worker.pid, signal.SIGKILL)  # the worker and its child, as `docker kill` or the OOM killer
    worker.wait(timeout=10)
    killed_at = time.monotonic()
    assert row(document).status == DocumentStatus.RUNNING

    # Celery beat runs the sweep every minute; here every half second.
    assert wait_for(lambda: document_sweep().interrupted, timeout=LEASE_SECONDS + 10, every=0.5)
    assert time.monotonic() - killed_at < LEASE_SECONDS + 3
    failed = row(document)
    assert (failed.status, failed.error) == (DocumentStatus.FAILED, interrupted_reason())

    # "Générer à nouveau" is accepted at once; a new worker builds it, renewing its lease all along
    # (the render outlasts the lease, and the sweep keeps running without declaring it dead).
    GeneratedDocument.objects.filter(pk=document.pk).update(params={"title": "Bilan annuel 2025", "seconds": 5})
    with transaction.atomic():
        document_retry(actor=coordinator_a, document=failed)
    assert row(document).status == DocumentStatus.PENDING
    replacement = reports_worker()

    def ready_and_never_swept():
        assert document_sweep().interrupted == 0
        return row(document).status == DocumentStatus.READY

    assert wait_for(ready_and_never_swept, timeout=90, every=0.5), replacement.log.read_text()[-3000:]
    document.refresh_from_db()
    assert document.attempts == 2 and document.error == ""
    assert "Bilan annuel 2025" in _stored_text(document)
    assert settings.DOCUMENTS_LEASE_SECONDS == LEASE_SECONDS
