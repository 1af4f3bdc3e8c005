"""Template helpers for PDF templates (`{% load documents_pdf %}`)."""

from django import template

from portal.documents.fetcher import pdf_media_url

register = template.Library()


@register.filter
def pdf_media(file_or_name) -> str:
    """URL of a stored file (an ImageField/FileField value or a storage name) for a PDF template.

    Storage URLs (S3 signed links) would be refused by the restricted fetcher; this one is served
    through the storage API instead.
    """
    name = getattr(file_or_name, "name", file_or_name)
    return pdf_media_url(name) if name else ""
