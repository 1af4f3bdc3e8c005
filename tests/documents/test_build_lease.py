"""Issue 9, item 5: a PDF build whose worker died does not stay "en cours". The rules in process
(lease, take-over, sweep, retry); test_worker_crash.py kills real worker processes."""

import datetime
import socket
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.documents.enums import DocumentStatus
from portal.documents.models import GeneratedDocument
from portal.documents.services import document_retry, document_sweep
from portal.documents.tasks import MAX_INTERRUPTIONS, gave_up_reason, run_build
from tests.documents.factories import GeneratedDocumentFactory

pytestmark = pytest.mark.django_db

SAMPLE = "tests.documents.builders.sample_builder"


def a_dead_process_here() -> str:
    """host:pid of a process of this machine that has exited (what a killed pool child leaves)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{socket.gethostname()}:{child.pid}"


def running(territory, **fields):
    return GeneratedDocumentFactory(
        territory=territory, running=True, builder=SAMPLE, params={"title": "Bilan annuel 2025"}, **fields
    )


def test_a_redelivered_message_takes_over_a_build_whose_process_died_at_once(territory_a):
    # The pool child was killed a second ago: its lease still runs, but its process is gone.
    document = running(territory_a, attempts=1, worker=a_dead_process_here(), heartbeat_at=timezone.now())

    result = run_build(territory_id=territory_a.pk, document_id=document.pk)

    assert result.status == DocumentStatus.READY
    assert (result.attempts, result.interruptions) == (2, 1)
    assert result.file


def test_a_redelivered_message_takes_over_a_build_silent_for_longer_than_its_lease(territory_a):
    silent = timezone.now() - datetime.timedelta(seconds=61)
    document = running(territory_a, attempts=1, worker="autre-machine:12", heartbeat_at=silent)

    assert run_build(territory_id=territory_a.pk, document_id=document.pk).status == DocumentStatus.READY


def test_after_repeated_deaths_the_document_fails_instead_of_killing_another_worker(territory_a):
    document = running(territory_a, attempts=3, interruptions=MAX_INTERRUPTIONS, worker=a_dead_process_here())

    result = run_build(territory_id=territory_a.pk, document_id=document.pk)

    assert result.status == DocumentStatus.FAILED
    assert result.error == gave_up_reason()
    assert result.attempts == 3  # nothing started


def test_sweep_fails_a_silent_build_and_leaves_a_long_live_one_alone(territory_a):
    now = timezone.now()
    silent = running(territory_a, started_at=now - datetime.timedelta(seconds=70), heartbeat_at=None)
    long_but_alive = running(
        territory_a, started_at=now - datetime.timedelta(minutes=4), heartbeat_at=now - datetime.timedelta(seconds=10)
    )

    assert document_sweep(now=now).interrupted == 1

    silent.refresh_from_db()
    long_but_alive.refresh_from_db()
    assert silent.status == DocumentStatus.FAILED and silent.error.startswith("Préparation interrompue")
    assert long_but_alive.status == DocumentStatus.RUNNING


def test_a_person_may_retry_as_soon_as_the_build_is_dead_even_before_the_sweep(territory_a, coordinator_a):
    alive = running(territory_a, heartbeat_at=timezone.now(), worker="autre-machine:12")
    with pytest.raises(ValidationError):
        document_retry(actor=coordinator_a, document=alive)

    dead = running(territory_a, heartbeat_at=timezone.now(), worker=a_dead_process_here(), interruptions=1)
    retried = document_retry(actor=coordinator_a, document=dead)

    assert retried.status == DocumentStatus.PENDING
    row = GeneratedDocument.objects.get(pk=dead.pk)
    assert (row.status, row.interruptions, row.heartbeat_at) == (DocumentStatus.PENDING, 0, None)
