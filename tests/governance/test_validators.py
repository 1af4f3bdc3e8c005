import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.validators import MAX_DOCUMENT_BYTES, validate_meeting_document
from tests.governance.factories import PDF_BYTES


def _docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_pdf_and_office_files_are_accepted():
    validate_meeting_document(SimpleUploadedFile("ordre-du-jour.pdf", PDF_BYTES))
    validate_meeting_document(SimpleUploadedFile("programme.docx", _docx_bytes()))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.exe", b"MZ\x90\x00", "Format non accepté"),
        ("faux.pdf", b"<html>not a pdf</html>", "ne correspond pas"),
        ("faux.docx", PDF_BYTES, "ne correspond pas"),
    ],
)
def test_files_whose_bytes_do_not_match_are_refused(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_meeting_document(SimpleUploadedFile(name, content))


def test_files_over_the_size_limit_are_refused():
    big = SimpleUploadedFile("gros.pdf", PDF_BYTES + b"0" * MAX_DOCUMENT_BYTES)
    with pytest.raises(ValidationError, match="taille maximale de 10 Mo"):
        validate_meeting_document(big)
