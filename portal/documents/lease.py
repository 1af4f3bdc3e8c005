"""Whether the build of a document is still alive: a lease renewed by a heartbeat.

A worker process killed mid-render (SIGKILL, out of memory, a deployment) says nothing: its row stays
`running`. So a build says it is alive: `Heartbeat` renews the row's `heartbeat_at` every quarter of
the lease (`DOCUMENTS_LEASE_SECONDS`, 60 s) from a thread of the rendering process, and the row names
that process (`worker`, host:pid). An attempt is dead when

- its heartbeat is older than the lease (any host: a lost node, a frozen process), or
- it ran on this host and its process no longer exists (a killed pool child: known at once, which
  lets the message the broker hands back right away build the document again without waiting).

Readers: the task (a redelivered message takes a dead attempt over instead of ignoring it), the
periodic sweep (marks dead attempts failed, "interrompu"), and a person's retry (accepted as soon as
the attempt is dead).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from types import TracebackType

from django.conf import settings
from django.db import connections
from django.utils import timezone

from portal.documents.enums import DocumentStatus
from portal.documents.models import GeneratedDocument

logger = logging.getLogger("portal.documents")


def lease() -> timedelta:
    return timedelta(seconds=settings.DOCUMENTS_LEASE_SECONDS)


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_gone(worker: str) -> bool:
    """True when `worker` (host:pid) ran on this host and its process no longer exists."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False


def attempt_is_dead(document: GeneratedDocument, now: datetime | None = None) -> bool:
    """A `running` document whose build gave no sign of life within the lease, or whose process is gone."""
    if document.status != DocumentStatus.RUNNING:
        return False
    now = now or timezone.now()
    last_sign = document.heartbeat_at or document.started_at
    if last_sign is None or last_sign < now - lease():
        return True
    return _process_gone(document.worker)


class Heartbeat:
    """Renews the lease of one attempt from a thread while the build runs (WeasyPrint is Python:
    the thread gets its turn). Stops at the end of the `with` block, whatever ends it."""

    def __init__(self, *, document_id: int, attempt: int) -> None:
        self.document_id = document_id
        self.attempt = attempt
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"document-{document_id}-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        interval = settings.DOCUMENTS_LEASE_SECONDS / 4
        try:
            while not self._stop.wait(interval):
                try:
                    GeneratedDocument.objects.filter(
                        pk=self.document_id, status=DocumentStatus.RUNNING, attempts=self.attempt
                    ).update(heartbeat_at=timezone.now())
                except Exception:  # a missed beat only brings the sweep closer; never kill the build
                    logger.exception("Document %s: heartbeat failed", self.document_id)
        finally:
            connections.close_all()  # this thread's connections only
