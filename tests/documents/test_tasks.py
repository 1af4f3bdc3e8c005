import datetime
import io
import logging
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from portal.background import publisher
from portal.documents.enums import DocumentAudience, DocumentKind, DocumentStatus
from portal.documents.models import GeneratedDocument
from portal.documents.services import document_request, document_retry, document_sweep
from portal.documents.tasks import build_document, run_build
from portal.enums import Role
from tests.documents.builders import Switch, WorkerKilled
from tests.documents.factories import GeneratedDocumentFactory
from tests.portal.factories import MembershipFactory

SAMPLE = "tests.documents.builders.sample_builder"


def _request(actor, territory, builder=SAMPLE, **kwargs):
    return document_request(
        actor=actor,
        territory=territory,
        kind=kwargs.pop("kind", DocumentKind.ANNUAL_REPORT),
        title=kwargs.pop("title", "Bilan annuel 2025"),
        builder=builder,
        params=kwargs.pop("params", {"title": "Bilan annuel 2025"}),
        audience=kwargs.pop("audience", DocumentAudience.ELECTED),
    )


def _stored_text(document) -> str:
    with default_storage.open(document.file.name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_requested_document_is_built_after_commit_and_stored_as_ready(
    territory_a, coordinator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document = _request(coordinator_a, territory_a)
        assert document.status == DocumentStatus.PENDING  # nothing runs before the commit
    # The build, then the relay of the "prêt" notification it wrote.
    assert len(callbacks) == 2

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.error == ""
    assert document.attempts == 1
    assert document.requested_by == coordinator_a
    assert document.started_at <= document.finished_at
    assert document.file.name.startswith(f"documents/{territory_a.pk}/")
    assert document.size_bytes == default_storage.size(document.file.name)
    text = _stored_text(document)
    assert "Bilan annuel 2025" in text
    assert coordinator_a.email in text
    assert document.pages == text.count("Page ") + 1  # every page but the cover carries "Page X sur Y"


def test_builder_error_marks_the_document_failed_with_its_reason_and_a_retry_makes_it_ready(
    territory_a, coordinator_a, django_capture_on_commit_callbacks
):
    Switch.broken = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            document = _request(coordinator_a, territory_a, builder="tests.documents.builders.flaky_builder")
        document.refresh_from_db()
        assert document.status == DocumentStatus.FAILED
        # An unexpected exception: a generic reason for the person, its detail only in the log.
        assert document.error.startswith("Une erreur s'est produite pendant la mise en page du document.")
        assert "RuntimeError" not in document.error and "indisponibles" not in document.error
        assert not document.file
        folder = f"documents/{territory_a.pk}"
        assert not default_storage.exists(folder) or default_storage.listdir(folder)[1] == []
    finally:
        Switch.broken = False

    with django_capture_on_commit_callbacks(execute=True):
        document_retry(actor=coordinator_a, document=document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.error == ""
    assert document.attempts == 2
    assert "Gouvernance du contrat local de santé" in _stored_text(document)


def test_template_error_is_recorded_on_the_document(territory_a, coordinator_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = _request(coordinator_a, territory_a, builder="tests.documents.builders.broken_template_builder")
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error.startswith("Une erreur s'est produite pendant la mise en page")
    assert "TemplateSyntaxError" not in document.error
    assert document.finished_at is not None


def test_killed_worker_leaves_a_running_row_that_the_sweep_marks_interrupted(
    territory_a, coordinator_a, login, settings
):
    document = _request(coordinator_a, territory_a, builder="tests.documents.builders.killed_builder")
    with pytest.raises(WorkerKilled):
        run_build(territory_id=territory_a.pk, document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.RUNNING
    assert not document.file

    result = document_sweep()

    assert result.interrupted == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "interrompu" in document.error
    assert not document.file
    # Nothing is presented as ready: the download page says so in French.
    settings.ROOT_URLCONF = "tests.documents.urls"
    response = login(coordinator_a).get(
        reverse("documents:download", kwargs={"territory_slug": territory_a.slug, "pk": document.pk})
    )
    assert response.status_code == 409
    assert "n'a pas pu être généré" in response.content.decode()


def test_sweep_leaves_a_recent_running_row_alone(territory_a):
    recent = GeneratedDocumentFactory(territory=territory_a, running=True, started_at=timezone.now())
    assert document_sweep().interrupted == 0
    recent.refresh_from_db()
    assert recent.status == DocumentStatus.RUNNING


def test_output_of_a_run_declared_interrupted_is_discarded(territory_a, coordinator_a, caplog):
    """A slow worker finishing after the sweep gave up on it must not present its file as ready."""
    caplog.set_level(logging.WARNING, logger="portal.documents")
    document = _request(coordinator_a, territory_a, builder="tests.documents.builders.declared_dead_builder")
    result = run_build(territory_id=territory_a.pk, document_id=document.pk)
    assert result.status == DocumentStatus.FAILED and "interrompu" in result.error
    assert not result.file
    assert "output discarded" in caplog.text


def test_a_message_for_a_build_still_alive_elsewhere_does_nothing(territory_a, coordinator_a):
    document = _request(coordinator_a, territory_a)
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.RUNNING, attempts=1, worker="autre-machine:4242", heartbeat_at=timezone.now()
    )
    assert run_build(territory_id=territory_a.pk, document_id=document.pk) is None
    document.refresh_from_db()
    assert (document.status, document.attempts, document.file.name) == (DocumentStatus.RUNNING, 1, "")


def test_a_duplicate_message_builds_the_document_once(territory_a, coordinator_a):
    document = _request(coordinator_a, territory_a)
    first = run_build(territory_id=territory_a.pk, document_id=document.pk)
    second = run_build(territory_id=territory_a.pk, document_id=document.pk)
    assert first.status == DocumentStatus.READY
    assert second is None
    document.refresh_from_db()
    assert document.attempts == 1


def test_a_task_given_another_territory_id_finds_nothing(territory_a, territory_b, coordinator_a):
    document = _request(coordinator_a, territory_a)
    assert run_build(territory_id=territory_b.pk, document_id=document.pk) is None
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING


def test_regenerating_a_ready_document_replaces_its_file_and_deletes_the_old_one(
    territory_a, coordinator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = _request(coordinator_a, territory_a)
    document.refresh_from_db()
    old_name = document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        document_retry(actor=coordinator_a, document=document)

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.file.name != old_name
    assert default_storage.exists(document.file.name)
    assert not default_storage.exists(old_name)


def test_retry_of_a_document_being_generated_is_refused(territory_a, coordinator_a):
    document = GeneratedDocumentFactory(territory=territory_a, running=True)
    with pytest.raises(ValidationError):
        document_retry(actor=coordinator_a, document=document)


def test_only_the_territory_staff_may_request_or_retry(territory_a, territory_b, coordinator_b, staff_of):
    elected = staff_of(territory_a, Role.ELECTED_OFFICIAL)
    with pytest.raises(PermissionDenied):
        _request(coordinator_b, territory_a)
    with pytest.raises(PermissionDenied):
        _request(elected, territory_a)
    document = GeneratedDocumentFactory(territory=territory_a, failed=True)
    with pytest.raises(PermissionDenied):
        document_retry(actor=coordinator_b, document=document)
    assert GeneratedDocument.objects.for_territory(territory_a).count() == 1


@pytest.mark.parametrize("builder", ["os.system", "tests.documents.builders.not_a_builder", "nowhere.at_all"])
def test_only_declared_builders_may_be_requested(territory_a, coordinator_a, builder):
    with pytest.raises(ValidationError):
        _request(coordinator_a, territory_a, builder=builder)
    assert not GeneratedDocument.objects.exists()


def test_a_row_pointing_at_an_undeclared_function_fails_instead_of_running_it(territory_a):
    document = GeneratedDocumentFactory(territory=territory_a, pending=True, builder="os.getcwd")
    run_build(territory_id=territory_a.pk, document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "n'est pas un constructeur de document déclaré" in document.error


def test_build_queries_do_not_grow_with_the_report_rows(territory_a, coordinator_a, django_assert_max_num_queries):
    for index in range(40):
        MembershipFactory(territory=territory_a, role=Role.COUNCIL_MEMBER, user__email=f"membre{index}@exemple.fr")
    document = _request(coordinator_a, territory_a)
    # territory, claim, row, builder's one query, final update, the row with the person to tell,
    # the notification (preferences, insert), and the savepoint around the last four (tests only).
    with django_assert_max_num_queries(10):
        run_build(territory_id=territory_a.pk, document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert "membre39@exemple.fr" in _stored_text(document)


def test_sweep_requeues_pending_rows_that_never_reached_a_worker(
    territory_a, coordinator_a, django_capture_on_commit_callbacks
):
    stale = _request(coordinator_a, territory_a)
    fresh = _request(coordinator_a, territory_a)
    GeneratedDocument.objects.filter(pk=stale.pk).update(requested_at=timezone.now() - datetime.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        result = document_sweep()

    assert result.requeued == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == DocumentStatus.READY
    assert fresh.status == DocumentStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_broker_outage_does_not_fail_the_request_and_the_sweep_recovers_it(
    territory_a, coordinator_a, broker_down, caplog
):
    # A test worker started earlier in the session leaves the root logger at ERROR.
    caplog.set_level(logging.WARNING, logger="portal.background")
    started = time.monotonic()
    with transaction.atomic():
        document = _request(coordinator_a, territory_a)
    elapsed = time.monotonic() - started

    assert elapsed < 5
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING
    assert publisher.wait_idle(timeout=10)
    assert publisher.last_error is not None  # the build could not be queued…
    assert any("documents.build_document" in r.getMessage() for r in caplog.records)  # …and it says which

    broker_down.come_back()
    GeneratedDocument.objects.filter(pk=document.pk).update(requested_at=timezone.now() - datetime.timedelta(hours=1))
    with start_worker(broker_down.app, pool="solo", perform_ping_check=False, queues=["celery", "reports"]):
        with transaction.atomic():
            assert document_sweep().requeued == 1
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            document.refresh_from_db()
            if document.status == DocumentStatus.READY:
                break
            time.sleep(0.1)
    assert document.status == DocumentStatus.READY
    assert default_storage.exists(document.file.name)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_the_reports_queue_builds_the_document(territory_a, coordinator_a, real_broker):
    assert real_broker.amqp.router.route({}, build_document.name)["queue"].name == "reports"
    with start_worker(real_broker, pool="solo", perform_ping_check=False, queues=["reports"]):
        with transaction.atomic():
            document = _request(coordinator_a, territory_a)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            document.refresh_from_db()
            if document.status == DocumentStatus.READY:
                break
            time.sleep(0.1)
    assert document.status == DocumentStatus.READY, document.error
    assert "Bilan annuel 2025" in _stored_text(document)
