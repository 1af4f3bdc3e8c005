"""Checks of the files people upload (installation cases, scholarship applications…): the size, and
the type decided by the content's first bytes, never by the name or the browser's word alone."""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

DOCUMENT_MAX_SIZE = 10 * 1024 * 1024
# Content sniffing: the first bytes decide the type; the extension must agree with them.
DOCUMENT_SIGNATURES = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
)


def size_of(uploaded_file: UploadedFile) -> int:
    """The upload handlers always set an upload's size, but an `UploadedFile` built by code (an
    import, a test) may leave it None: it is measured then, rather than failing on a comparison."""
    if uploaded_file.size is None:
        uploaded_file.seek(0, os.SEEK_END)
        uploaded_file.size = uploaded_file.tell()
        uploaded_file.seek(0)
    return uploaded_file.size


def sniff_document(uploaded_file: UploadedFile) -> str:
    """The content type of an upload, decided by its first bytes and agreeing with its extension;
    raises a French ValidationError otherwise."""
    size = size_of(uploaded_file)
    if size > DOCUMENT_MAX_SIZE:
        raise ValidationError(
            _("Ce fichier pèse %(size)s Mo : la limite est de 10 Mo."),
            code="too_large",
            params={"size": f"{size / 1024 / 1024:.1f}".replace(".", ",")},
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    name = (uploaded_file.name or "").lower()
    for signature, content_type, extensions in DOCUMENT_SIGNATURES:
        if head.startswith(signature):
            if not name.endswith(extensions):
                break
            return content_type
    raise ValidationError(
        _("Seuls les fichiers PDF, PNG et JPEG sont acceptés (le contenu de ce fichier ne correspond pas)."),
        code="bad_type",
    )
