"""Generated PDF documents (annual report, minutes, registers) stored through Django's storage API."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.documents.enums import DocumentAudience, DocumentKind, DocumentStatus
from portal.tenancy.models import TerritoryQuerySet, TerritoryScopedModel


def document_file_name(territory_id: int) -> str:
    """A fresh, unguessable name for each generation.

    Never the name of a previous version: a regeneration writes beside the old file, and the row
    only points at the new one once it is fully stored (see tasks.build_document).
    """
    return f"documents/{territory_id}/{uuid.uuid4().hex}.pdf"


class GeneratedDocumentQuerySet(TerritoryQuerySet["GeneratedDocument"]):
    def ready(self) -> Self:
        return self.filter(status=DocumentStatus.READY)

    def of_kind(self, kind: str) -> Self:
        return self.filter(kind=kind)

    def for_audiences(self, audiences: Iterable[str]) -> Self:
        return self.filter(audience__in=list(audiences))

    def stale_running(self, alive_after: datetime) -> Self:
        """Rows whose build gave no sign of life since `alive_after`: its worker was killed or lost
        (a live build beats every quarter of the lease, see tasks.Heartbeat)."""
        return self.filter(status=DocumentStatus.RUNNING).filter(
            models.Q(heartbeat_at__lt=alive_after)
            | models.Q(heartbeat_at__isnull=True, started_at__lt=alive_after)
            | models.Q(heartbeat_at__isnull=True, started_at__isnull=True)
        )

    def stale_pending(self, requested_before: datetime) -> Self:
        """Rows whose task never reached a worker (broker down when they were requested)."""
        return self.filter(status=DocumentStatus.PENDING, requested_at__lt=requested_before)

    def latest_first(self) -> Self:
        return self.order_by("-requested_at", "-pk")


GeneratedDocumentManager = models.Manager.from_queryset(GeneratedDocumentQuerySet)


class GeneratedDocument(TerritoryScopedModel):
    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    title = models.CharField(_("titre"), max_length=200)
    builder = models.CharField(
        _("constructeur"),
        max_length=200,
        help_text=_("Chemin de la fonction qui prépare le gabarit et ses données."),
    )
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    audience = models.CharField(
        _("destinataires"), max_length=20, choices=DocumentAudience.choices, default=DocumentAudience.STAFF
    )
    status = models.CharField(
        _("état"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.PENDING, db_index=True
    )
    error = models.TextField(_("erreur"), blank=True)
    file = models.FileField(_("fichier"), max_length=255, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("taille (octets)"), null=True, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Pour un document adressé à une personne (attestation) : elle seule le télécharge, avec l'équipe."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("demandé le"))
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    # The build under way: which process (host:pid) runs the current attempt, and when it last said
    # it was alive. A row `running` without a recent heartbeat belongs to a dead worker.
    worker = models.CharField(_("processus"), max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)
    # Attempts of this request whose worker died (reset when a person asks again): after a few, the
    # document fails rather than kill worker after worker (a render that runs out of memory).
    interruptions = models.PositiveSmallIntegerField(_("interruptions"), default=0)

    # Annotated: managers are class variables in django-stubs, and an override must say so.
    objects: ClassVar[GeneratedDocumentManager] = GeneratedDocumentManager()

    class Meta:
        verbose_name = _("document généré")
        verbose_name_plural = _("documents générés")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["territory", "kind", "-requested_at"], name="document_territory_kind")]
        constraints = [
            # A document addressed to a person names them; no other audience names anyone.
            models.CheckConstraint(
                condition=(models.Q(audience=DocumentAudience.PERSON) & models.Q(recipient__isnull=False))
                | (~models.Q(audience=DocumentAudience.PERSON) & models.Q(recipient__isnull=True)),
                name="document_person_has_recipient",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY and bool(self.file)

    def download_filename(self) -> str:
        """The name a person sees when saving the file: the French title, without path characters."""
        cleaned = "".join(ch for ch in self.title if ch.isprintable() and ch not in '/\\:*?"<>|')
        cleaned = " ".join(cleaned.split()).strip(" .")
        return f"{cleaned or 'document'}.pdf"
