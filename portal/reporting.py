"""The contract between the annual report (governance) and the axis apps that feed it.

An axis app contributes a section by naming a function in its AppConfig's hooks (portal/hooks.py):

    class InstallationsConfig(AppConfig):
        hooks = AppHooks(annual_report_section="installations.figures.annual_report_section", ...)

The function takes `territory` and `year` as keyword arguments and returns a `ReportSection`
(or None when it has nothing to say that year). The report builder calls every declared function
through `collect_sections`, so governance never reads another app's tables.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
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


def settled_people(*, territory, user_ids: Iterable[int]) -> dict[int, datetime.date | None]:
    """Which of `user_ids` settled on `territory`, with the date when known, as every app that
    declares a `settled_people` hook answers (installations does): an app that wants to know
    whether its people stayed (training's "from intern to settled doctor") asks here."""
    wanted = list(dict.fromkeys(user_ids))
    settled: dict[int, datetime.date | None] = {}
    if not wanted:
        return settled
    for _config, hooks in declared_hooks():
        if hooks.settled_people:
            for user_id, day in import_string(hooks.settled_people)(territory=territory, user_ids=wanted).items():
                if user_id not in settled or (day is not None and (settled[user_id] is None or day < settled[user_id])):
                    settled[user_id] = day
    return settled


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
