"""Factories of the documents app: `GeneratedDocumentFactory(territory=t)` gives a ready document
of territory t with a small stored PDF; traits give the other states."""

import factory
from django.utils import timezone

from portal.documents.enums import DocumentAudience, DocumentKind, DocumentStatus
from portal.documents.models import GeneratedDocument
from tests.portal.factories import TerritoryFactory, UserFactory

# A minimal file that starts like a PDF: the download tests only need bytes to stream.
PDF_BYTES = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


class GeneratedDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GeneratedDocument

    territory = factory.SubFactory(TerritoryFactory)
    kind = DocumentKind.ANNUAL_REPORT
    title = factory.Sequence(lambda n: f"Bilan annuel {2000 + n % 100} — document {n}")
    builder = "portal.documents.builders.text_document"
    params = factory.LazyAttribute(lambda o: {"title": o.title, "text": "Texte du document."})
    audience = DocumentAudience.STAFF
    # A document addressed to one person names them (a check constraint holds the two together).
    recipient = factory.Maybe(
        factory.LazyAttribute(lambda o: o.audience == DocumentAudience.PERSON),
        yes_declaration=factory.SubFactory(UserFactory),
        no_declaration=None,
    )
    status = DocumentStatus.READY
    file = factory.django.FileField(data=PDF_BYTES, filename="document.pdf")
    pages = 1
    size_bytes = len(PDF_BYTES)
    requested_at = factory.LazyFunction(timezone.now)
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)
    attempts = 1

    class Params:
        pending = factory.Trait(
            status=DocumentStatus.PENDING,
            file=None,
            pages=None,
            size_bytes=None,
            started_at=None,
            finished_at=None,
            attempts=0,
        )
        running = factory.Trait(status=DocumentStatus.RUNNING, file=None, pages=None, size_bytes=None, finished_at=None)
        failed = factory.Trait(
            status=DocumentStatus.FAILED,
            file=None,
            pages=None,
            size_bytes=None,
            error="TemplateSyntaxError : gabarit invalide",
        )
