"""Builders: what a generated document contains.

A builder is a function `builder(*, territory, params) -> (template_name, context)` decorated with
`@document_builder`. Its dotted path is stored on the `GeneratedDocument` row and it runs in the
worker, so it must read everything it needs itself (through selectors, for `territory` only) and
keep `params` JSON-serialisable (ids, a year), never model instances.

    @document_builder
    def annual_report(*, territory, params):
        sections = collect_sections(territory=territory, year=params["year"])
        return "documents/report.html", report_context(
            title=f"Bilan annuel {params['year']}", territory=territory, sections=sections
        )

Only decorated functions run: the path comes from the database, and a row edited by mistake (or
by someone who should not) must not be able to make the worker call an arbitrary function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from portal.reporting import ReportSection

Builder = Callable[..., tuple[str, dict]]


class BuilderError(ValueError):
    pass


class DocumentBuildError(Exception):
    """Raised by a builder that cannot build its document for a reason the person can act on
    ("Aucune instance n'a ce numéro", "Pas de données pour 2031"): its message, in French, is what
    the document's page shows. Any other exception is shown as a generic reason (its detail goes
    to the log, not to the person)."""


def document_builder(func: Builder) -> Builder:
    func.is_document_builder = True  # type: ignore[attr-defined]  # marks a function as a builder
    return func


def resolve_builder(path: str) -> Builder:
    try:
        func = import_string(path)
    except ImportError as exc:
        raise BuilderError(_("Constructeur de document introuvable : %(path)s") % {"path": path}) from exc
    if not getattr(func, "is_document_builder", False):
        raise BuilderError(_("%(path)s n'est pas un constructeur de document déclaré.") % {"path": path})
    return func


def report_context(
    *,
    title: str,
    territory,
    sections: Sequence[ReportSection],
    subtitle: str = "",
    introduction: str = "",
) -> dict:
    """Context for `documents/report.html`, with a table of contents matching its anchors."""
    toc = [("introduction", _("Introduction"))] if introduction else []
    toc += [(f"section-{number}", section.title) for number, section in enumerate(sections, start=1)]
    return {
        "title": title,
        "subtitle": subtitle,
        "territory": territory,
        "introduction": introduction,
        "sections": list(sections),
        "toc": toc,
    }


@document_builder
def text_document(*, territory, params: dict) -> tuple[str, dict]:
    """A simple document: `params = {"title": ..., "text": ..., "subtitle": ...}`."""
    title = params.get("title") or _("Document")
    section = ReportSection(title=title, text=params.get("text", ""))
    return "documents/report.html", report_context(
        title=title, territory=territory, sections=[section], subtitle=params.get("subtitle", "")
    )
