"""Background generation of PDF documents.

Run report builds in their own workers, away from e-mails and notifications: WeasyPrint does not
give memory back between documents, and one big annual report can take a minute. Recommended::

    celery -A config worker -Q reports --concurrency=1 --max-tasks-per-child=20 \\
        --max-memory-per-child=800000 -n reports@%h

- `--max-tasks-per-child=20` (and `--max-memory-per-child`, in KiB) recycle the process before its
  memory grows without bound (a 33-page report with 20 charts and 530 table rows peaks at
  ~250 MiB RSS and the process keeps ~235 MiB afterwards: benchmarks/documents_render.py);
- `--concurrency=1` on a 2-core machine leaves a core to the web processes;
- the task's soft/hard time limits (below) stop a runaway render; the broker's
  `visibility_timeout` (900 s in settings) must stay above the hard limit, or Redis hands the
  message to a second worker while the first is still rendering;
- routing is in `portal.documents.celery_config`; the periodic sweep is declared on DocumentsConfig;
- `celery -A config beat` must run for the sweep.

A worker killed mid-render (OOM, deployment) leaves its row `running`, and says nothing. The build
renews a lease on the row while it runs (portal/documents/lease.py), so that

- when only the pool child dies, the message is handed back at once (`acks_late` with
  `reject_on_worker_lost`) and the next child, seeing the process named on the row gone, builds
  the document again (a redelivered message never ignores a dead attempt); after
  `MAX_INTERRUPTIONS` such deaths the document fails instead of killing child after child;
- when the whole worker dies, the sweep (every minute) marks the document failed ("interrompu")
  once its lease has run out (60 s), and a person may generate it again at once.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import timezone

from portal.documents import lease
from portal.documents.builders import resolve_builder
from portal.documents.enums import DocumentStatus
from portal.documents.models import GeneratedDocument, document_file_name
from portal.documents.rendering import render_pdf

logger = logging.getLogger("portal.documents")

SOFT_TIME_LIMIT = 300
HARD_TIME_LIMIT = 360
ERROR_MAX_LENGTH = 2000
# Deaths of the rendering process tolerated for one request before the document fails.
MAX_INTERRUPTIONS = 2
GAVE_UP_REASON = (
    "interrompu à plusieurs reprises : le processus de génération s'est arrêté à chaque essai "
    "(mémoire insuffisante ?) ; réessayez plus tard ou signalez-le"
)


def _error_text(exc: BaseException) -> str:
    message = str(exc).strip()
    text = f"{type(exc).__name__} : {message}" if message else type(exc).__name__
    return text[:ERROR_MAX_LENGTH]


def run_build(*, territory_id: int, document_id: int) -> GeneratedDocument | None:
    """Build one document; returns the row as it ended, or None when there was nothing to do.

    Exceptions of the builder or the renderer are recorded on the row (status failed), not raised:
    the message would only be redelivered and fail the same way, while the person can read the
    reason in the admin and retry once it is fixed.
    """
    from portal.models import Territory

    territory = Territory.objects.filter(pk=territory_id).first()
    scoped = GeneratedDocument.objects.for_territory(territory)
    document = _claim(scoped, document_id)
    if document is None or document.status != DocumentStatus.RUNNING:
        return document  # nothing to do, or failed after too many interruptions
    with lease.Heartbeat(document_id=document_id, attempt=document.attempts):
        return _build(document, territory=territory, scoped=scoped)


def _claim(scoped, document_id: int) -> GeneratedDocument | None:
    """This attempt's row, now `running` under this process; None when there is nothing to do.

    A pending row is claimed atomically: a duplicate message finds it no longer pending. A running
    row whose attempt is dead (lease.attempt_is_dead) is taken over, compared on its attempt number
    so that two redelivered messages cannot both win; a live attempt is left alone.
    """
    now = timezone.now()
    claim = {
        "status": DocumentStatus.RUNNING,
        "started_at": now,
        "heartbeat_at": now,
        "worker": lease.this_process(),
        "finished_at": None,
        "error": "",
        "attempts": F("attempts") + 1,
    }
    if not scoped.filter(pk=document_id, status=DocumentStatus.PENDING).update(**claim):
        current = scoped.filter(pk=document_id).first()
        if current is None or not lease.attempt_is_dead(current, now):
            logger.info("Document %s is neither pending nor abandoned: nothing to do", document_id)
            return None
        same_attempt = scoped.filter(pk=document_id, status=DocumentStatus.RUNNING, attempts=current.attempts)
        if current.interruptions >= MAX_INTERRUPTIONS:
            same_attempt.update(status=DocumentStatus.FAILED, error=GAVE_UP_REASON, finished_at=now)
            logger.error("Document %s: its build died %s times; failed", document_id, current.interruptions + 1)
            return scoped.filter(pk=document_id, status=DocumentStatus.FAILED).first()
        if not same_attempt.update(**claim, interruptions=F("interruptions") + 1):
            return None
        logger.warning(
            "Document %s: attempt %s (%s) died; building it again", document_id, current.attempts, current.worker
        )
    return scoped.get(pk=document_id)


def _build(document: GeneratedDocument, *, territory, scoped) -> GeneratedDocument:
    document_id, territory_id = document.pk, document.territory_id
    # Every write of this attempt: once the sweep declared it dead or another attempt took the row
    # over, they change nothing.
    ours = scoped.filter(pk=document_id, status=DocumentStatus.RUNNING, attempts=document.attempts)
    stored_name = None
    try:
        builder = resolve_builder(document.builder)
        template_name, context = builder(territory=territory, params=document.params)
        pdf = render_pdf(template_name=template_name, context=context)
        # A fresh name nobody points at yet: until the update below, this file is invisible.
        stored_name = default_storage.save(document_file_name(territory_id), ContentFile(pdf.content))
    except SoftTimeLimitExceeded as exc:
        _discard(stored_name)
        reason = f"délai dépassé : génération arrêtée après {SOFT_TIME_LIMIT} s ({_error_text(exc)})"
        ours.update(status=DocumentStatus.FAILED, error=reason, finished_at=timezone.now())
        logger.error("Document %s timed out", document_id)
        return scoped.get(pk=document_id)
    except Exception as exc:
        _discard(stored_name)
        ours.update(status=DocumentStatus.FAILED, error=_error_text(exc), finished_at=timezone.now())
        logger.exception("Document %s failed", document_id)
        return scoped.get(pk=document_id)

    # The one update that presents the document as ready, after the file is fully stored.
    finished = ours.update(
        status=DocumentStatus.READY,
        file=stored_name,
        pages=pdf.pages,
        size_bytes=len(pdf.content),
        finished_at=timezone.now(),
        error="",
    )
    if not finished:
        # The sweep declared this run interrupted (or a retry started) meanwhile: keep its verdict.
        _discard(stored_name)
        logger.warning("Document %s changed while it was rendered; output discarded", document_id)
        return scoped.get(pk=document_id)
    previous = document.file.name
    if previous and previous != stored_name:
        _discard(previous)
    return scoped.get(pk=document_id)


def _discard(name: str | None) -> None:
    if not name:
        return
    try:
        default_storage.delete(name)
    except Exception:
        logger.exception("Could not delete stored file %s", name)


@shared_task(
    name="documents.build_document",
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=HARD_TIME_LIMIT,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def build_document(territory_id: int, document_id: int) -> None:
    run_build(territory_id=territory_id, document_id=document_id)


@shared_task(name="documents.sweep_documents", ignore_result=True, periodic=True)
def sweep_documents() -> None:
    from portal.documents.services import document_sweep

    document_sweep()
