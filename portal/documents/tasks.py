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
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.documents import lease, notices
from portal.documents.builders import BuilderError, DocumentBuildError, resolve_builder
from portal.documents.enums import DocumentStatus
from portal.documents.models import GeneratedDocument, document_file_name
from portal.documents.rendering import render_pdf

logger = logging.getLogger("portal.documents")

SOFT_TIME_LIMIT = 300
HARD_TIME_LIMIT = 360
ERROR_MAX_LENGTH = 2000
# Deaths of the rendering process tolerated for one request before the document fails.
MAX_INTERRUPTIONS = 2


# The reasons a person reads on the document's page and in the notification: what happened and
# what to do, in French, never a traceback (the detail goes to the `portal.documents` log).
def gave_up_reason() -> str:
    return _(
        "Préparation interrompue à plusieurs reprises : le serveur s'est arrêté à chaque essai, "
        "sans doute faute de mémoire. Relancez-la plus tard ; si l'échec se répète, signalez-le à l'équipe technique."
    )


def timeout_reason() -> str:
    return _(
        "La préparation a pris plus de %(minutes)d minutes et a été arrêtée. Relancez-la ; si l'échec se "
        "répète, signalez-le à l'équipe technique."
    ) % {"minutes": SOFT_TIME_LIMIT // 60}


def failure_reason(exc: BaseException) -> str:
    """What the person is told of a builder's or the renderer's exception."""
    if isinstance(exc, (DocumentBuildError, BuilderError)) and str(exc).strip():
        # Written for people by the builder: "Instance introuvable dans ce territoire."
        text = _("Le document n'a pas pu être préparé : %(reason)s") % {"reason": str(exc).strip()}
    else:
        text = _(
            "Une erreur s'est produite pendant la mise en page du document. Relancez la préparation ; si "
            "l'échec se répète, signalez-le à l'équipe technique (le détail est dans le journal du serveur)."
        )
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
            logger.error("Document %s: its build died %s times; failed", document_id, current.interruptions + 1)
            return _fail(same_attempt, scoped, document_id, gave_up_reason(), now=now)
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
    except SoftTimeLimitExceeded:
        _discard(stored_name)
        logger.error("Document %s timed out after %s s", document_id, SOFT_TIME_LIMIT)
        return _fail(ours, scoped, document_id, timeout_reason()) or scoped.get(pk=document_id)
    except Exception as exc:
        _discard(stored_name)
        logger.exception("Document %s failed", document_id)
        return _fail(ours, scoped, document_id, failure_reason(exc)) or scoped.get(pk=document_id)

    with transaction.atomic():
        # The one update that presents the document as ready, after the file is fully stored; the
        # person who asked for it is told in the same transaction.
        finished = ours.update(
            status=DocumentStatus.READY,
            file=stored_name,
            pages=pdf.pages,
            size_bytes=len(pdf.content),
            finished_at=timezone.now(),
            error="",
        )
        if finished:
            ready = _for_notice(scoped, document_id)
            notices.notify_ready(ready)
    if not finished:
        # The sweep declared this run interrupted (or a retry started) meanwhile: keep its verdict.
        _discard(stored_name)
        logger.warning("Document %s changed while it was rendered; output discarded", document_id)
        return scoped.get(pk=document_id)
    previous = document.file.name
    if previous and previous != stored_name:
        _discard(previous)
    return ready


def _for_notice(scoped, document_id: int) -> GeneratedDocument:
    return scoped.select_related("territory", "requested_by", "recipient").get(pk=document_id)


def _fail(attempt, scoped, document_id: int, reason: str, now=None) -> GeneratedDocument | None:
    """Mark this attempt failed with `reason` and tell the person who asked; None when the row was
    no longer this attempt's (the sweep or a retry got there first: its verdict stands)."""
    with transaction.atomic():
        if not attempt.update(status=DocumentStatus.FAILED, error=reason, finished_at=now or timezone.now()):
            return None
        document = _for_notice(scoped, document_id)
        notices.notify_failed(document)
    return document


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
