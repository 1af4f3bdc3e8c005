"""French university semesters: winter from 1 November to 30 April, summer from 1 May to 31 October.

A semester is stored as a short code, `<year it starts>-<season>` ("2026-hiver" runs from
November 2026 to April 2027, "2027-ete" from May to October 2027): the codes sort in time order
and need no table (the calendar is national, not a territory's).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from training.enums import Season

CODE = re.compile(r"^(?P<year>\d{4})-(?P<season>hiver|ete)$")


@dataclass(frozen=True)
class Semester:
    year: int
    season: str

    @classmethod
    def from_code(cls, code: str) -> Semester:
        match = CODE.match(code or "")
        if match is None:
            raise ValidationError(_("Semestre inconnu : « %(code)s ».") % {"code": code}, code="semester")
        return cls(int(match["year"]), match["season"])

    @classmethod
    def containing(cls, day: datetime.date) -> Semester:
        if day.month >= 11:
            return cls(day.year, Season.WINTER)
        if day.month <= 4:
            return cls(day.year - 1, Season.WINTER)
        return cls(day.year, Season.SUMMER)

    @property
    def code(self) -> str:
        return f"{self.year}-{self.season}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 11 if self.season == Season.WINTER else 5, 1)

    @property
    def end(self) -> datetime.date:
        if self.season == Season.WINTER:
            return datetime.date(self.year + 1, 4, 30)
        return datetime.date(self.year, 10, 31)

    @property
    def label(self) -> str:
        if self.season == Season.WINTER:
            return _("Hiver %(start)d-%(end)d (novembre à avril)") % {"start": self.year, "end": self.year + 1}
        return _("Été %(year)d (mai à octobre)") % {"year": self.year}

    def next(self) -> Semester:
        if self.season == Season.WINTER:
            return Semester(self.year + 1, Season.SUMMER)
        return Semester(self.year, Season.WINTER)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def semester_label(code: str) -> str:
    try:
        return Semester.from_code(code).label
    except ValidationError:
        return code


def semester_choices(*, around: datetime.date, before: int = 2, after: int = 3) -> list[tuple[str, str]]:
    """Codes and labels of the semesters from `before` semesters ago to `after` ahead of `around`."""
    first = Semester.containing(around)
    for _i in range(before):
        first = _previous(first)
    semesters = [first]
    for _i in range(before + after):
        semesters.append(semesters[-1].next())
    return [(s.code, s.label) for s in semesters]


def _previous(semester: Semester) -> Semester:
    if semester.season == Season.WINTER:
        return Semester(semester.year, Season.SUMMER)
    return Semester(semester.year - 1, Season.WINTER)


def validate_semester_code(code: str) -> None:
    Semester.from_code(code)


def check_dates_in_semester(code: str, start: datetime.date | None, end: datetime.date | None) -> dict[str, str]:
    """Field errors (French) when `start`/`end` fall outside the semester `code`, or end before start."""
    errors: dict[str, str] = {}
    try:
        semester = Semester.from_code(code)
    except ValidationError:
        return errors
    bounds = {"start": semester.start.strftime("%d/%m/%Y"), "end": semester.end.strftime("%d/%m/%Y")}
    message = _("Cette date doit tomber dans le semestre choisi, du %(start)s au %(end)s.") % bounds
    if start and not semester.contains(start):
        errors["start_date"] = message
    if end and not semester.contains(end):
        errors["end_date"] = message
    if start and end and end < start and "end_date" not in errors:
        errors["end_date"] = _("La date de fin doit suivre la date de début.")
    return errors


SEMESTER_HELP = gettext_lazy("Hiver : du 1er novembre au 30 avril ; été : du 1er mai au 31 octobre.")
