"""What the person who asked for a document is told when its build ends: ready, with the link to
download it, or failed, with the reason and the page where to ask again (in-portal notification and
e-mail, through the outbox).

Told: the person who asked (`requested_by`); for a document the system asked for on a person's
behalf (an attendance certificate), the person it is addressed to.
"""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from portal import french
from portal.documents.enums import DocumentKind
from portal.documents.models import GeneratedDocument
from portal.notifications.services import notify

READY_KIND = "documents.ready"
FAILED_KIND = "documents.failed"


def status_path(document: GeneratedDocument) -> str:
    return reverse("documents:status", kwargs={"territory_slug": document.territory.slug, "pk": document.pk})


def download_path(document: GeneratedDocument) -> str:
    return reverse("documents:download", kwargs={"territory_slug": document.territory.slug, "pk": document.pk})


def ready_label(document: GeneratedDocument) -> str:
    """ "Bilan prêt", "Attestation prête"…: what the page announces and the notification's subject starts with."""
    labels: dict[str, str] = {
        DocumentKind.ANNUAL_REPORT: pgettext("document", "Bilan prêt"),
        DocumentKind.ATTENDANCE_CERTIFICATE: pgettext("document", "Attestation prête"),
        DocumentKind.MINUTES: pgettext("document", "Compte rendu prêt"),
        DocumentKind.REGISTER: pgettext("document", "Registre prêt"),
    }
    return labels.get(document.kind, pgettext("document", "Document prêt"))


def failed_label(document: GeneratedDocument) -> str:
    labels: dict[str, str] = {
        DocumentKind.ANNUAL_REPORT: pgettext("document", "Bilan non préparé"),
        DocumentKind.ATTENDANCE_CERTIFICATE: pgettext("document", "Attestation non préparée"),
        DocumentKind.MINUTES: pgettext("document", "Compte rendu non préparé"),
        DocumentKind.REGISTER: pgettext("document", "Registre non préparé"),
    }
    return labels.get(document.kind, pgettext("document", "Document non préparé"))


def _requested_on(document: GeneratedDocument) -> str:
    return french.datetime_(document.requested_at)


def _told(document: GeneratedDocument) -> list:
    return [document.requested_by or document.recipient]


def notify_ready(document: GeneratedDocument) -> None:
    size = filesizeformat(document.size_bytes or 0)
    pages = document.pages or 1
    extent = ngettext("%(pages)d page", "%(pages)d pages", pages) % {"pages": pages}
    notify(
        territory=document.territory,
        recipients=_told(document),
        kind=READY_KIND,
        subject=f"{ready_label(document)} : {document.title}",
        body=_(
            "Le document « %(title)s », demandé le %(requested)s, est prêt : un PDF de %(extent)s (%(size)s). "
            "Il reste disponible au téléchargement depuis le portail."
        )
        % {"title": document.title, "requested": _requested_on(document), "extent": extent, "size": size},
        url=download_path(document),
    )


def notify_failed(document: GeneratedDocument) -> None:
    notify(
        territory=document.territory,
        recipients=_told(document),
        kind=FAILED_KIND,
        subject=f"{failed_label(document)} : {document.title}",
        body=_("Le document « %(title)s », demandé le %(requested)s, n'a pas pu être préparé.\n\nRaison : %(reason)s")
        % {"title": document.title, "requested": _requested_on(document), "reason": document.error},
        url=status_path(document),
    )
