"""The contract between the annual report (governance) and the axis apps that feed it.

An axis app contributes a section by naming a function in its AppConfig's hooks (portal/hooks.py):

    class InstallationsConfig(AppConfig):
        hooks = AppHooks(annual_report_section="installations.selectors.annual_report_section", ...)

The function takes `territory` and `year` as keyword arguments and returns a `ReportSection`
(or None when it has nothing to say that year). The report builder calls every declared function
through `collect_sections`, so governance never reads another app's tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.module_loading import import_string

from portal.hooks import declared_hooks


@dataclass
class ReportTable:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class ReportSection:
    title: str
    # (label, formatted value) pairs shown as key figures.
    figures: list[tuple[str, str]] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    # Inline SVG documents drawn on the server (WeasyPrint runs no JavaScript).
    charts: list[str] = field(default_factory=list)
    text: str = ""
    order: int = 100


def collect_sections(*, territory, year) -> list[ReportSection]:
    sections = []
    for _config, hooks in declared_hooks():
        path = hooks.annual_report_section
        if not path:
            continue
        section = import_string(path)(territory=territory, year=year)
        if section is not None:
            sections.append(section)
    return sorted(sections, key=lambda s: s.order)
