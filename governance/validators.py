"""Checks on files uploaded for a meeting: what the name says must be what the bytes are."""

from __future__ import annotations

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# Office Open XML and OpenDocument files are ZIP archives; legacy Office files are OLE2 containers.
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ALLOWED_EXTENSIONS = {
    "pdf": "pdf",
    "docx": "ooxml",
    "xlsx": "ooxml",
    "pptx": "ooxml",
    "odt": "odf",
    "ods": "odf",
    "odp": "odf",
    "doc": "ole2",
    "xls": "ole2",
    "ppt": "ole2",
}


def _detect(file) -> str | None:
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_OLE2):
        return "ole2"
    if head.startswith(_ZIP):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
                if "[Content_Types].xml" in names:
                    return "ooxml"
                if "mimetype" in names and archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument"):
                    return "odf"
        except zipfile.BadZipFile:
            return None
        finally:
            file.seek(0)
    return None


def validate_meeting_document(file) -> None:
    # A stored file that is not re-uploaded (only the title is edited) was checked when it came in.
    if getattr(file, "_committed", False):
        return
    if file.size is not None and file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("Le fichier dépasse la taille maximale de %(max)s Mo.") % {"max": MAX_DOCUMENT_BYTES // (1024 * 1024)},
            code="too_large",
        )
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = ALLOWED_EXTENSIONS.get(extension)
    if expected is None:
        raise ValidationError(
            _(
                "Format non accepté : déposez un PDF ou un document bureautique "
                "(Word, Excel, PowerPoint, OpenDocument)."
            ),
            code="bad_extension",
        )
    if _detect(file) != expected:
        raise ValidationError(
            _("Le contenu du fichier ne correspond pas à son extension « .%(ext)s ».") % {"ext": extension},
            code="bad_content",
        )
