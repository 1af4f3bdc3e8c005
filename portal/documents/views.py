"""Generated documents under the territory's site (`/<territory_slug>/documents/`): the page that
follows a document's preparation (updating itself), its retry, and the download."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.documents import notices
from portal.documents.enums import DocumentAudience, DocumentStatus
from portal.documents.models import GeneratedDocument
from portal.documents.permissions import may_download
from portal.documents.selectors import document_for_download
from portal.documents.services import document_retry, may_retry

logger = logging.getLogger("portal.documents")

# The page asks again every few seconds (static/js/document_status.js); without JavaScript, the
# browser reloads it this often.
REFRESH_SECONDS = 5


def _visible(request, pk) -> GeneratedDocument | HttpResponse:
    """The document if the person may read it; the sign-in page for an anonymous visitor; 404
    otherwise (another territory's, or not theirs: its existence is not revealed)."""
    document = document_for_download(territory=request.territory, pk=pk)
    if document is None:
        raise Http404
    if document.audience != DocumentAudience.PUBLIC and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_download(request.user, document):
        raise Http404
    return document


def _state_context(request, document: GeneratedDocument) -> dict:
    done = document.status in (DocumentStatus.READY, DocumentStatus.FAILED)
    return {
        "document": document,
        "done": done,
        "ready_label": notices.ready_label(document),
        "failed_label": notices.failed_label(document),
        "may_retry": document.status == DocumentStatus.FAILED and may_retry(request.user, document),
        "refresh_seconds": REFRESH_SECONDS,
    }


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def status(request, territory_slug, pk):
    document = _visible(request, pk)
    if isinstance(document, HttpResponse):
        return document
    return _no_store(render(request, "documents/status.html", _state_context(request, document)))


@require_GET
def status_part(request, territory_slug, pk):
    """The state alone, for the page's script to swap in without a reload."""
    document = _visible(request, pk)
    if isinstance(document, HttpResponse):
        return document
    return _no_store(render(request, "documents/_status.html", _state_context(request, document)))


@require_POST
def retry(request, territory_slug, pk):
    document = _visible(request, pk)
    if isinstance(document, HttpResponse):
        return document
    try:
        document_retry(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Préparation relancée : cette page vous dira quand le document sera prêt."))
    return redirect(notices.status_path(document))


@require_GET
def download(request, territory_slug, pk):
    document = _visible(request, pk)
    if isinstance(document, HttpResponse):
        return document
    if not document.is_ready:
        return render(request, "documents/not_ready.html", {"document": document}, status=409)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        logger.exception("Stored file of document %s is missing", document.pk)
        return render(request, "documents/not_ready.html", {"document": document, "missing": True}, status=404)
    response = FileResponse(
        handle, as_attachment=True, filename=document.download_filename(), content_type="application/pdf"
    )
    if document.audience != DocumentAudience.PUBLIC:
        response["Cache-Control"] = "private, no-store"
    return response
