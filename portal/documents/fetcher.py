"""The only way WeasyPrint may read a resource while rendering a document.

WeasyPrint's default fetcher opens any `file://` path and any `http(s)://` address, so a template
(or a value shown in it) that references `file:///etc/passwd` or an internal URL would leak into a
PDF. This fetcher serves exactly two things and refuses everything else with a logged error:

- the project's static files (`{% static %}` URLs), found through the staticfiles finders and
  then the static storage (STATIC_ROOT after collectstatic, hashed names included);
- media files, read through Django's default storage (so an S3 bucket works the same way).

Templates are rendered with `base_url=PDF_BASE_URL`, a host under the reserved `.invalid` domain
that nothing ever resolves: relative URLs like `/static/css/print.css` become
`https://documents.invalid/static/css/print.css` and are answered here, never over the network.
`data:` URLs (inline images) carry their own bytes and are decoded locally.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage

# WeasyPrint logs every layout step at INFO (dozens of lines per document in the worker's log,
# some while it is being imported): quieted unless the project's LOGGING configures this logger.
_progress_logger = logging.getLogger("weasyprint.progress")
if _progress_logger.level == logging.NOTSET:
    _progress_logger.setLevel(logging.WARNING)

from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

logger = logging.getLogger("portal.documents")

PDF_BASE_URL = "https://documents.invalid/"


class FetchRefused(ValueError):
    """A resource outside the static and media folders was asked for."""


def _prefixes(setting_value: str) -> list[str]:
    """The URL prefixes under which a STATIC_URL/MEDIA_URL value can appear in a rendered page."""
    value = setting_value or ""
    if "://" in value:
        # A CDN or bucket URL: templates using {% static %} produce absolute URLs.
        return [value]
    return [PDF_BASE_URL.rstrip("/") + "/" + value.lstrip("/")]


def _clean_relative_path(raw: str) -> str | None:
    """A storage-relative path, or None when it tries to leave its folder."""
    path = unquote(raw)
    if not path or "\x00" in path or "\\" in path:
        return None
    normalised = posixpath.normpath(path)
    if normalised.startswith(("/", "..")) or "/../" in f"/{normalised}/":
        return None
    return normalised


class RestrictedURLFetcher(URLFetcher):
    """Serves static and media files only; every refusal is logged and kept in `refused`."""

    def __init__(self, **kwargs):
        # Only `data:` URLs ever reach the base class; it also keeps WeasyPrint's error handling.
        super().__init__(allowed_protocols=("data",), allow_redirects=False, **kwargs)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            # Inline bytes: urllib's DataHandler decodes them without any I/O.
            return super().fetch(url, headers)
        bare = url.split("#", 1)[0].split("?", 1)[0]
        for prefix in _prefixes(settings.STATIC_URL):
            if bare.startswith(prefix):
                return self._static(url, bare[len(prefix) :])
        for prefix in _prefixes(settings.MEDIA_URL):
            if bare.startswith(prefix):
                return self._media(url, bare[len(prefix) :])
        return self._refuse(url, "hors des fichiers statiques et des médias")

    def _refuse(self, url: str, reason: str):
        self.refused.append(url)
        logger.error("PDF rendering refused to fetch %s (%s)", url[:300], reason)
        raise FetchRefused(f"Ressource refusée : {url[:300]} ({reason})")

    def _response(self, url: str, name: str, data: bytes) -> URLFetcherResponse:
        self.served.append(url)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if name.endswith(".woff2"):
            content_type = "font/woff2"
        elif name.endswith(".woff"):
            content_type = "font/woff"
        return URLFetcherResponse(url, body=data, headers={"Content-Type": content_type})

    def _static(self, url: str, raw_path: str):
        path = _clean_relative_path(raw_path)
        if path is None:
            return self._refuse(url, "chemin invalide")
        # Finders first (development and tests: the files as they are in the repository), then
        # the static storage (production: collected, hashed names).
        found = finders.find(path)
        if found:
            with open(found, "rb") as handle:
                return self._response(url, path, handle.read())
        try:
            if staticfiles_storage.exists(path):
                with staticfiles_storage.open(path, "rb") as handle:
                    return self._response(url, path, handle.read())
        except Exception as exc:  # a SuspiciousFileOperation or a storage outage: refuse, log why
            return self._refuse(url, f"fichier statique illisible : {exc}")
        return self._refuse(url, "fichier statique introuvable")

    def _media(self, url: str, raw_path: str):
        path = _clean_relative_path(raw_path)
        if path is None:
            return self._refuse(url, "chemin invalide")
        try:
            with default_storage.open(path, "rb") as handle:
                return self._response(url, path, handle.read())
        except Exception as exc:  # missing file, SuspiciousFileOperation, storage outage
            return self._refuse(url, f"média illisible : {exc}")


def pdf_media_url(name: str) -> str:
    """The URL under which the fetcher serves a stored file (whatever the storage's own URL is)."""
    return _prefixes(settings.MEDIA_URL)[0] + str(name).lstrip("/")
