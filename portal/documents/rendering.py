"""HTML templates to PDF with WeasyPrint, reading nothing but the project's static and media files.

    pdf = render_pdf(template_name="documents/report.html", context={...})
    pdf.content  # bytes of a PDF
    pdf.pages    # number of pages

Templates extend `documents/pdf_base.html` (cover page, running header and footer with
"Page X sur Y", optional table of contents) and link `css/print.css`, whose @font-face points at
the OFL font shipped in static/fonts/. Charts are inline SVG drawn on the server
(`portal.documents.charts`): WeasyPrint runs no JavaScript.

WeasyPrint keeps memory between documents (font caches, fragmentation): run it in workers that are
recycled, see `portal.documents.tasks`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

# First: it quiets WeasyPrint's progress logger before WeasyPrint is imported.
from portal.documents.fetcher import PDF_BASE_URL, RestrictedURLFetcher  # isort: skip
from weasyprint import HTML  # isort: skip


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def render_html(*, template_name: str, context: dict) -> str:
    """The HTML given to WeasyPrint, in French whatever language the caller's thread had."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template_name, {"generated_at": timezone.localtime(), **context})


def render_pdf(*, template_name: str, context: dict, url_fetcher: RestrictedURLFetcher | None = None) -> RenderedPdf:
    html = render_html(template_name=template_name, context=context)
    fetcher = url_fetcher if url_fetcher is not None else RestrictedURLFetcher()
    with translation.override(settings.LANGUAGE_CODE):
        document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).render()
        # PDF/UA: tagged (headings, tables, reading order), titled and in French, so that a screen
        # reader reads the report an elected official is sent.
        content = document.write_pdf(pdf_variant="pdf/ua-1")
    return RenderedPdf(content=content, pages=len(document.pages))
