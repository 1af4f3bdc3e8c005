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
  `visibility_timeout` (3600 s in settings) must stay above the hard limit, or Redis hands the
  message to a second worker while the first is still rendering;
- routing is in `portal.documents.celery_config`; the periodic sweep is declared on DocumentsConfig;
- `celery -A config beat` must run for the sweep.

A worker killed mid-render (OOM, deployment) leaves its row `running`: the periodic sweep marks it
failed ("interrompu") once it is older than the hard time limit, so a person can retry it.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import timezone

from portal.documents.builders import resolve_builder
from portal.documents.enums import DocumentStatus
from portal.documents.models import GeneratedDocument, document_file_name
from portal.documents.rendering import render_pdf

logger = logging.getLogger("portal.documents")

SOFT_TIME_LIMIT = 300
HARD_TIME_LIMIT = 360
ERROR_MAX_LENGTH = 2000


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
    # Claim the row atomically: a duplicate message (sweep re-queue, broker redelivery) finds it
    # no longer pending and does nothing.
    claimed = scoped.filter(pk=document_id, status=DocumentStatus.PENDING).update(
        status=DocumentStatus.RUNNING,
        started_at=timezone.now(),
        finished_at=None,
        error="",
        attempts=F("attempts") + 1,
    )
    if not claimed:
        logger.info("Document %s of territory %s is not pending: nothing to do", document_id, territory_id)
        return None
    document = scoped.get(pk=document_id)
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
    ignore_result=True,
)
def build_document(territory_id: int, document_id: int) -> None:
    run_build(territory_id=territory_id, document_id=document_id)


@shared_task(name="documents.sweep_documents", ignore_result=True, periodic=True)
def sweep_documents() -> None:
    from portal.documents.services import document_sweep

    document_sweep()
