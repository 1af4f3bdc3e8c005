"""Download of generated documents, under the territory's site (`/<territory_slug>/documents/`)."""

from __future__ import annotations

import logging

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.documents.enums import DocumentAudience
from portal.documents.permissions import may_download
from portal.documents.selectors import document_for_download

logger = logging.getLogger("portal.documents")


@require_GET
def download(request, territory_slug, pk):
    document = document_for_download(territory=request.territory, pk=pk)
    if document is None:
        raise Http404
    if document.audience != DocumentAudience.PUBLIC and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_download(request.user, document):
        # Same answer as a missing document: its existence is not revealed.
        raise Http404
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
