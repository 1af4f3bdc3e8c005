"""PDF builders of the governance app: the annual report, the minutes and the register.

Each runs in the documents worker with `territory` and JSON `params` (ids and a year) and reads
everything itself through scoped queries. The annual report's data collection runs a fixed number
of queries whatever the number of members, meetings, groups or actions (tests pin it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance import selectors
from governance.enums import ActionStatus, Attendance, MeetingKind, MeetingStatus, MemberCategory
from governance.models import ActionSheet, Body, Deliberation, Indicator, IndicatorValue, Mandate, Meeting
from portal.documents.builders import DocumentBuildError, document_builder
from portal.documents.charts import bar_chart_svg, format_number
from portal.reporting import collect_sections

# Chart labels must fit under a bar.
SHORT_CATEGORY_LABELS: dict[str, Promise] = {
    MemberCategory.HOSPITAL: gettext_lazy("Hôpital"),
    MemberCategory.SALARIED: gettext_lazy("Salarié"),
    MemberCategory.LIBERAL: gettext_lazy("Libéral"),
    MemberCategory.PSLA_MSP: gettext_lazy("PSLA/MSP"),
    MemberCategory.MEDICO_SOCIAL: gettext_lazy("Médico-soc."),
    MemberCategory.COORDINATION: gettext_lazy("Coordination"),
    MemberCategory.INSTITUTION: gettext_lazy("Institution"),
    MemberCategory.ELECTED: gettext_lazy("Élus"),
}


class ReportDataError(DocumentBuildError, ValueError):
    pass


def _body(territory, params) -> Body:
    body = Body.objects.for_territory(territory).filter(pk=params.get("body_id")).first()
    if body is None:
        # Another territory's body (or a deleted one) is as absent as a missing one.
        raise ReportDataError(_("Instance introuvable dans ce territoire."))
    return body


@dataclass
class MeetingRow:
    meeting: Meeting
    invited: int
    present: int
    represented: int
    excused: int

    @property
    def rate(self) -> int | None:
        return round(100 * (self.present + self.represented) / self.invited) if self.invited else None


@dataclass
class AnnualReportData:
    body: Body
    year: int
    composition: list[Mandate]
    members_by_category: list[tuple[str, int]]  # (category value, count)
    meetings: list[MeetingRow]
    deliberations: list[Deliberation]
    working_groups: list
    actions: list[ActionSheet]
    actions_by_status: list[tuple[str, int]]
    sections: list = field(default_factory=list)


def collect_annual_report_data(*, territory, body_id: int | None, year: int) -> AnnualReportData:
    """Everything the annual report shows, in a fixed number of queries."""
    body = _body(territory, {"body_id": body_id})
    start, end = date(year, 1, 1), date(year, 12, 31)
    composition = list(
        Mandate.objects.for_territory(territory)
        .filter(body=body)
        .during(start, end)
        .select_related("user", "organisation", "college")
        .order_by("college__name", "position", "organisation__name", "person_name", "pk")
    )
    categories = Counter(m.category for m in composition)
    meetings = [
        MeetingRow(
            meeting=m, invited=m.n_invited, present=m.n_present, represented=m.n_represented, excused=m.n_excused
        )
        for m in Meeting.objects.for_territory(territory)
        .filter(body=body, starts_at__year=year, status=MeetingStatus.HELD)
        .select_related("working_group")
        .annotate(
            n_invited=Count("participations"),
            n_present=Count("participations", filter=Q(participations__attendance=Attendance.PRESENT)),
            n_represented=Count("participations", filter=Q(participations__attendance=Attendance.REPRESENTED)),
            n_excused=Count("participations", filter=Q(participations__reply="excused")),
        )
        .order_by("starts_at")
    ]
    deliberations = list(Deliberation.objects.for_territory(territory).filter(body=body, year=year).order_by("number"))
    working_groups = list(selectors.working_groups_with_progress(body=body, year=year))
    values = IndicatorValue.objects.filter(year__lte=year).order_by("year")
    actions = list(
        ActionSheet.objects.for_territory(territory)
        .select_related("axis")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("name").prefetch_related(
                    Prefetch("values", queryset=values, to_attr="values_to_year")
                ),
            )
        )
        .order_by("axis__number", "code")
    )
    statuses = Counter(a.status for a in actions)
    return AnnualReportData(
        body=body,
        year=year,
        composition=composition,
        members_by_category=[(value, categories[value]) for value in MemberCategory.values],
        meetings=meetings,
        deliberations=deliberations,
        working_groups=working_groups,
        actions=actions,
        actions_by_status=[(str(label), statuses[value]) for value, label in ActionStatus.choices],
        sections=collect_sections(territory=territory, year=year),
    )


def _indicator_rows(actions, year: int) -> list[list[str]]:
    rows = []
    for action in actions:
        for indicator in action.indicators.all():
            by_year = {v.year: v for v in indicator.values_to_year}
            current = by_year.get(year)
            previous = by_year.get(year - 1)

            def fmt(value, unit=indicator.unit):
                if value is None:
                    return "—"
                return f"{format_number(float(value))}{(' ' + unit) if unit else ''}"

            rows.append(
                [
                    action.code,
                    indicator.name,
                    fmt(previous.measured if previous else None),
                    fmt(current.target if current else None),
                    fmt(current.measured if current else None),
                ]
            )
    return rows


def annual_report_context(*, territory, data: AnnualReportData) -> dict:
    year = data.year
    plenaries = [row for row in data.meetings if row.meeting.kind == MeetingKind.PLENARY]
    charts = {
        "categories": bar_chart_svg(
            title=_("Membres par catégorie"),
            labels=[str(SHORT_CATEGORY_LABELS[value]) for value, _n in data.members_by_category],
            values=[n for _label, n in data.members_by_category],
        ),
    }
    if data.actions:  # a territory without a CLS action plan gets no empty chart
        charts["actions"] = bar_chart_svg(
            title=_("Fiches actions par état"),
            labels=[label for label, _n in data.actions_by_status],
            values=[n for _label, n in data.actions_by_status],
            colour="#009e73",
        )
    if plenaries:
        charts["attendance"] = bar_chart_svg(
            title=_("Taux de présence aux séances plénières"),
            labels=[formats.date_format(row.meeting.starts_at, "d/m") for row in plenaries],
            values=[row.rate or 0 for row in plenaries],
            unit="%",
        )
    total_invited = sum(row.invited for row in data.meetings)
    total_counted = sum(row.present + row.represented for row in data.meetings)
    figures = [
        (_("membres sur l'année"), str(len(data.composition))),
        (_("séances plénières"), str(len(plenaries))),
        (_("réunions de groupes de travail"), str(len(data.meetings) - len(plenaries))),
        (_("taux de présence"), f"{round(100 * total_counted / total_invited)} %" if total_invited else "—"),
        (_("délibérations et avis"), str(len(data.deliberations))),
        (_("fiches actions"), str(len(data.actions))),
    ]
    toc = [
        ("chiffres", _("L'année en chiffres")),
        ("composition", _("Composition")),
        ("seances", _("Séances et présence")),
        ("registre", _("Délibérations et avis")),
        ("groupes", _("Groupes de travail")),
        ("cls", _("Plan d'action du Contrat local de santé")),
    ]
    toc += [(f"section-{i}", section.title) for i, section in enumerate(data.sections, start=1)]
    return {
        "title": _("Bilan annuel %(year)s") % {"year": year},
        "subtitle": data.body.name,
        "territory": territory,
        "body": data.body,
        "year": year,
        "toc": toc,
        "figures": figures,
        "charts": charts,
        "composition": data.composition,
        "meetings": data.meetings,
        "deliberations": data.deliberations,
        "working_groups": data.working_groups,
        "actions": data.actions,
        "indicator_rows": _indicator_rows(data.actions, year),
        "sections": data.sections,
    }


@document_builder
def build_annual_report(*, territory, params: dict[str, Any]) -> tuple[str, dict]:
    year = int(params["year"])
    data = collect_annual_report_data(territory=territory, body_id=params.get("body_id"), year=year)
    return "governance/annual_report.html", annual_report_context(territory=territory, data=data)


@document_builder
def build_minutes(*, territory, params: dict[str, Any]) -> tuple[str, dict]:
    meeting_id = params.get("meeting_id")
    meeting = (
        None
        if meeting_id is None
        else Meeting.objects.for_territory(territory)
        .select_related("body", "working_group")
        .prefetch_related("agenda")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise ReportDataError(_("Réunion introuvable dans ce territoire."))
    participations = list(
        meeting.participations.select_related("mandate__user", "mandate__organisation", "represented_by__user")
        .select_related("represented_by__organisation")
        .order_by("attendance", "mandate__person_name", "pk")
    )
    deliberations = list(meeting.deliberations.order_by("number"))
    quorum = selectors.quorum_status(meeting) if meeting.kind == MeetingKind.PLENARY else None
    return "governance/minutes.html", {
        "title": _("Compte rendu"),
        "subtitle": f"{meeting.title} — {meeting.body.name}",
        "territory": territory,
        "meeting": meeting,
        "present": [p for p in participations if p.attendance == Attendance.PRESENT],
        "represented": [p for p in participations if p.attendance == Attendance.REPRESENTED],
        "absent": [p for p in participations if p.attendance in (Attendance.ABSENT, Attendance.UNKNOWN)],
        "deliberations": deliberations,
        "quorum": quorum,
    }


@document_builder
def build_register(*, territory, params: dict) -> tuple[str, dict]:
    body = _body(territory, params)
    year = int(params["year"])
    deliberations = list(
        Deliberation.objects.for_territory(territory)
        .filter(body=body, year=year)
        .select_related("meeting")
        .order_by("number")
    )
    return "governance/register.html", {
        "title": _("Registre des délibérations et avis %(year)s") % {"year": year},
        "subtitle": body.name,
        "territory": territory,
        "body": body,
        "year": year,
        "deliberations": deliberations,
    }
