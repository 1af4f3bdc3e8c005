"""Writes of generated documents: request one, retry one, sweep the ones a worker lost."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.background import enqueue_after_commit
from portal.documents.builders import BuilderError, resolve_builder
from portal.documents.enums import DocumentAudience, DocumentKind, DocumentStatus
from portal.documents.lease import attempt_is_dead, lease
from portal.documents.models import GeneratedDocument
from portal.enums import EDITOR_ROLES
from portal.tenancy.access import has_role

if TYPE_CHECKING:
    from portal.models import Territory, User

logger = logging.getLogger("portal.documents")

# A pending row older than this never reached a worker (broker down at request time): re-queue it.
PENDING_REQUEUE_AFTER = timedelta(minutes=10)


def interrupted_reason() -> str:
    return _(
        "Préparation interrompue : le serveur qui préparait le document s'est arrêté avant la fin "
        "(redémarrage ou panne). Vous pouvez la relancer."
    )


def _check_actor(actor: User | None, territory: Territory) -> None:
    # `actor=None` is the system itself (a scheduled generation); a person must run the territory.
    if actor is not None and not has_role(actor, territory, EDITOR_ROLES):
        raise PermissionDenied(_("Vous ne pouvez pas générer de documents pour ce territoire."))


def may_retry(actor: User | None, document: GeneratedDocument) -> bool:
    """The territory's team, and the person a document is addressed to (their certificate)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if document.audience == DocumentAudience.PERSON and document.recipient_id == actor.pk:
        return True
    return has_role(actor, document.territory, EDITOR_ROLES)


def _enqueue_on_commit(document: GeneratedDocument) -> None:
    """Queue the build once the row is committed; a broker outage never fails nor holds the
    request: the sweep re-queues pending rows that never reached a worker."""
    from portal.documents.tasks import build_document

    enqueue_after_commit(build_document, document.territory_id, document.pk)


@transaction.atomic
def document_request(
    *,
    actor: User | None,
    territory: Territory,
    kind: str,
    title: str,
    builder: str,
    params: dict[str, Any] | None = None,
    audience: str = DocumentAudience.STAFF,
    recipient: User | None = None,
) -> GeneratedDocument:
    """Record a document to generate and queue its build once the row is committed.

    `audience=person` addresses it to `recipient` (a user): they may download it, and the team.
    """
    _check_actor(actor, territory)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Type de document inconnu.")})
    if audience not in DocumentAudience.values:
        raise ValidationError({"audience": _("Destinataires inconnus.")})
    if (audience == DocumentAudience.PERSON) != (recipient is not None):
        raise ValidationError(
            {
                "recipient": _(
                    "Indiquez la personne destinataire pour un document qui lui est adressé, et seulement dans ce cas."
                )
            }
        )
    try:
        resolve_builder(builder)
    except BuilderError as exc:
        raise ValidationError({"builder": str(exc)}) from exc
    document = GeneratedDocument.objects.create(
        territory=territory,
        kind=kind,
        title=title,
        builder=builder,
        params=params or {},
        audience=audience,
        recipient=recipient,
        status=DocumentStatus.PENDING,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    logger.info("Document %s (%s) requested for territory %s by %s", document.pk, kind, territory.pk, actor)
    _enqueue_on_commit(document)
    return document


@transaction.atomic
def document_retry(*, actor: User | None, document: GeneratedDocument) -> GeneratedDocument:
    """Generate a failed (or ready, to refresh it) document again; a build under way is left alone.

    Asked by the team, or by the person the document is addressed to."""
    if actor is not None and not may_retry(actor, document):
        raise PermissionDenied(_("Vous ne pouvez pas relancer la préparation de ce document."))
    locked = GeneratedDocument.objects.for_territory(document.territory).select_for_update().get(pk=document.pk)
    # A build whose worker died (its lease ran out) no longer counts as under way.
    if locked.status == DocumentStatus.RUNNING and not attempt_is_dead(locked):
        raise ValidationError(
            _(
                "Ce document est déjà en cours de préparation : attendez qu'elle se termine (cette page "
                "se met à jour toute seule) avant de la relancer."
            )
        )
    # The previous file (if any) stays until the new one is stored, then the build deletes it.
    locked.status = DocumentStatus.PENDING
    locked.error = ""
    locked.requested_at = timezone.now()
    locked.started_at = None
    locked.finished_at = None
    locked.heartbeat_at = None
    locked.interruptions = 0
    if actor is not None:
        locked.requested_by = actor
    locked.save(
        update_fields=[
            "status",
            "error",
            "requested_at",
            "started_at",
            "finished_at",
            "heartbeat_at",
            "interruptions",
            "requested_by",
        ]
    )
    logger.info("Document %s queued again by %s", locked.pk, actor)
    _enqueue_on_commit(locked)
    return locked


@dataclass(frozen=True)
class SweepResult:
    interrupted: int
    requeued: int


@transaction.atomic
def document_sweep(*, now: datetime | None = None, running_timeout: timedelta | None = None) -> SweepResult:
    """Periodic clean-up across territories (system job, no actor).

    - A `running` row whose build gave no sign of life within its lease (60 s, see lease.py)
      belongs to a worker that was killed (out of memory, deployment, lost node): it is marked
      failed with the reason "interrompu" so a person can retry it. Its half-written output, if
      any, was never referenced by the row. Run every minute, it says so within two minutes.
    - A `pending` row that waited too long never reached the broker: it is queued again (the task
      claims a row atomically, so a duplicate message does nothing).
    """
    from portal.documents.notices import notify_failed

    now = now or timezone.now()
    alive_after = now - (running_timeout or lease())
    # Rows a live build is finishing right now are skipped (locked), not waited for.
    dead = list(
        GeneratedDocument.objects.stale_running(alive_after)
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:500]
    )
    reason = interrupted_reason()
    interrupted = (
        GeneratedDocument.objects.filter(pk__in=dead)
        .stale_running(alive_after)
        .update(status=DocumentStatus.FAILED, error=reason, finished_at=now)
    )
    # The person who asked is told, as for any other failure.
    told = GeneratedDocument.objects.filter(pk__in=dead, status=DocumentStatus.FAILED, finished_at=now)
    for document in told.select_related("territory", "requested_by", "recipient"):
        notify_failed(document)
    stale = list(
        GeneratedDocument.objects.stale_pending(now - PENDING_REQUEUE_AFTER)
        .order_by("requested_at")
        .values_list("territory_id", "pk")[:500]
    )
    if stale:
        from portal.documents.tasks import build_document

        for territory_id, document_id in stale:
            enqueue_after_commit(build_document, territory_id, document_id)
    if interrupted or stale:
        logger.warning("Document sweep: %s interrupted, %s re-queued", interrupted, len(stale))
    return SweepResult(interrupted=interrupted, requeued=len(stale))
