"""The territory's figures (reads): the coordinators' dashboard, the follow-ups' totals, the annual
report's section and the settled people that training counts. Split from selectors.py, which keeps
the lists, the applicant's pages and the aids."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
)
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from installations import list_cache
from installations.enums import CaseStatus, NeedKind
from installations.models import (
    Case,
    FollowUp,
    Need,
)
from portal.enums import Profession
from portal.models import Territory
from portal.reporting import ReportSection, ReportTable

if TYPE_CHECKING:
    pass

from installations.selectors import status_counts

# --- dashboard ----------------------------------------------------------------------------------


class _MedianDays(Aggregate):
    """Median of a duration, in days, computed by PostgreSQL (PERCENTILE_CONT)."""

    function = "PERCENTILE_CONT"
    template = "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s) / 86400.0)"
    output_field = FloatField()


def _median_days(queryset: QuerySet[Case], start: str, end: str) -> float | None:
    duration = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    queryset = queryset.filter(**{f"{end}__isnull": False}).order_by()
    if connection.vendor == "postgresql":
        median: float | None = queryset.aggregate(median=_MedianDays(duration))["median"]
        return median
    # The embedded SQLite demo has no percentile function: same figure, computed here.
    values = [d.total_seconds() / 86400 for d in queryset.annotate(d=duration).values_list("d", flat=True)]
    return statistics.median(values) if values else None


def _every_month(rows: Iterable[tuple[datetime.date, int]]) -> list[tuple[datetime.date, int]]:
    """(month, count) rows with the months without any request filled in with 0."""
    counts = {(m.date() if isinstance(m, datetime.datetime) else m).replace(day=1): n for m, n in rows}
    if not counts:
        return []
    month, last, result = min(counts), max(counts), []
    while month <= last:
        result.append((month, counts.get(month, 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return result


@dataclass
class DashboardFigures:
    total: int
    status_counts: dict[str, int]
    per_month: list[tuple[datetime.date, int]]
    by_profession: list[tuple[str, int]]
    by_need: list[tuple[str, int]]
    median_days_to_first_contact: float | None
    median_days_to_settlement: float | None
    settled_per_year: list[tuple[int, int]]


def dashboard_figures(
    *, territory: Territory, start: datetime.date | None = None, end: datetime.date | None = None
) -> DashboardFigures:
    """The territory's figures over requests submitted in [start, end] (all time if not given):
    seven queries, whatever the number of cases. Unconfirmed requests are not counted."""
    cases = Case.objects.for_territory(territory).exclude(status=CaseStatus.UNCONFIRMED)
    if start:
        cases = cases.filter(submitted_at__date__gte=start)
    if end:
        cases = cases.filter(submitted_at__date__lte=end)
    counts = status_counts(cases)
    per_month = list(
        cases.order_by()
        .annotate(month=TruncMonth("submitted_at"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    by_profession = list(
        cases.order_by().values_list("profession").annotate(n=Count("pk")).order_by("-n", "profession")
    )
    by_need = list(
        Need.objects.for_territory(territory)
        .filter(case__in=cases)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by("-n", "kind")
    )
    settled = Case.objects.for_territory(territory).filter(status=CaseStatus.SETTLED, settlement_date__isnull=False)
    if start:
        settled = settled.filter(settlement_date__gte=start)
    if end:
        settled = settled.filter(settlement_date__lte=end)
    settled_per_year = list(
        settled.order_by()
        .annotate(year=ExtractYear("settlement_date"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return DashboardFigures(
        total=sum(counts.values()),
        status_counts=counts,
        per_month=_every_month(per_month),
        by_profession=by_profession,
        by_need=by_need,
        median_days_to_first_contact=_median_days(cases, "submitted_at", "first_contact_at"),
        median_days_to_settlement=_median_days(settled, "submitted_at", "settled_at"),
        settled_per_year=settled_per_year,
    )


@dataclass(frozen=True)
class TerritoryDashboard:
    figures: DashboardFigures
    previous: YearTotals | None  # the year before's totals, when a year is chosen


def territory_dashboard(*, territory: Territory, year: int | None) -> TerritoryDashboard:
    """The dashboard's figures of the territory for `year` (all time if None), from the cache.

    They are the same for every coordinator, manager and elected official of the territory, and
    computing them reads every case and need of it (~180 ms of SQL at 20,000 cases). They are kept
    under the territory's version (list_cache), which every saved or deleted case or need (and the
    commit of the transaction that made it) replaces: the first view after a change computes them
    again, so they are never older than the list's own counts. Nothing in them depends on the day:
    only on the stored cases and needs. Aggregates only, nothing personal."""
    name = f"dashboard-{year or 'all'}"
    found, versions = list_cache.get_current([name], [territory.pk])
    cached = found[name].get(territory.pk)
    if isinstance(cached, TerritoryDashboard):
        return cached
    start = end = None
    if year:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    fresh = TerritoryDashboard(
        figures=dashboard_figures(territory=territory, start=start, end=end),
        previous=year_totals(territory=territory, year=year - 1) if year else None,
    )
    list_cache.store_current(name, {territory.pk: fresh}, versions, list_cache.COUNTS_TIMEOUT)
    return fresh


def due_follow_ups(queryset: QuerySet[FollowUp], *, today: datetime.date | None = None) -> QuerySet[FollowUp]:
    """The follow-ups whose date has come and that nobody recorded yet (the dashboard counts them,
    the follow-ups' list filters them: one definition)."""
    return queryset.filter(done_at__isnull=True, due_date__lte=today or timezone.localdate())


@dataclass
class FollowUpTotals:
    years: int
    answered: int
    still_practising: int


def follow_up_totals(*, territory: Territory) -> list[FollowUpTotals]:
    """At 1, 3 and 5 years after settlement: how many follow-ups were recorded, and how many of those
    professionals still practise on the territory — the figure elected officials ask about (one query)."""
    rows = (
        FollowUp.objects.for_territory(territory)
        .filter(done_at__isnull=False, still_practising__isnull=False)
        .order_by()
        .values_list("years")
        .annotate(answered=Count("pk"), still=Count("pk", filter=Q(still_practising=True)))
    )
    found = {years: (answered, still) for years, answered, still in rows}
    return [FollowUpTotals(years, *found.get(years, (0, 0))) for years in (1, 3, 5)]


def follow_up_totals_text(totals: list[FollowUpTotals]) -> str:
    """Such as "4 sur 5 à 1 an, 2 sur 2 à 3 ans, — à 5 ans", or "aucun suivi enregistré"."""
    if not any(row.answered for row in totals):
        return _("aucun suivi enregistré")
    parts = []
    for row in totals:
        when = ngettext("à %(years)s an", "à %(years)s ans", row.years) % {"years": row.years}
        if row.answered:
            parts.append(
                _("%(still)s sur %(answered)s %(when)s")
                % {"still": row.still_practising, "answered": row.answered, "when": when}
            )
        else:
            parts.append(_("— %(when)s") % {"when": when})
    return ", ".join(parts)


@dataclass
class YearTotals:
    requests: int
    settled: int


def year_totals(*, territory: Territory, year: int) -> YearTotals:
    """Requests submitted and professionals settled in `year` (two queries): the dashboard's
    comparison with the year before."""
    cases = Case.objects.for_territory(territory).exclude(status=CaseStatus.UNCONFIRMED)
    return YearTotals(
        requests=cases.filter(submitted_at__year=year).count(),
        settled=cases.filter(status=CaseStatus.SETTLED, settlement_date__year=year).count(),
    )


def requests_chart(figures: DashboardFigures) -> str:
    """A bar chart (SVG drawn on the server) of the requests per month, or "" without the charts module."""
    try:
        from portal.documents.charts import bar_chart_svg
    except ImportError:
        return ""
    if not figures.per_month:
        return ""
    return bar_chart_svg(
        title=_("Demandes d'accompagnement par mois"),
        labels=[month.strftime("%m/%Y") for month, _n in figures.per_month],
        values=[n for _month, n in figures.per_month],
    )


def labelled(rows: Iterable[tuple[str, int]], choices: Iterable[tuple[str, object]]) -> list[tuple[str, int]]:
    names = dict(choices)
    return [(str(names.get(key, key)), n) for key, n in rows]


# --- annual report ------------------------------------------------------------------------------

MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


def _days(value: float | None) -> str:
    if value is None:
        return "—"
    return _("%(days)s jours") % {"days": f"{value:.1f}".replace(".", ",")}


def annual_report_section(*, territory: Territory, year: int) -> ReportSection | None:
    """The installation support's part of the annual report (portal.reporting contract)."""
    figures = dashboard_figures(territory=territory, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
    settled_this_year = dict(figures.settled_per_year).get(year, 0)
    if not figures.total and not settled_this_year:
        return None
    per_month = dict((month.month, n) for month, n in figures.per_month)
    month_values = [per_month.get(m, 0) for m in range(1, 13)]
    section = ReportSection(
        title=_("Accompagnement à l'installation"),
        order=10,
        text=_(
            "Le guichet unique accompagne les professionnels de santé qui souhaitent s'installer sur le "
            "territoire, de la première demande à l'installation, puis les suit à 1, 3 et 5 ans."
        ),
        figures=[
            (ngettext("Demande reçue", "Demandes reçues", figures.total), str(figures.total)),
            (
                ngettext("Professionnel installé", "Professionnels installés", settled_this_year),
                str(settled_this_year),
            ),
            (_("Délai médian avant le premier contact"), _days(figures.median_days_to_first_contact)),
            (_("Délai médian jusqu'à l'installation"), _days(figures.median_days_to_settlement)),
            (
                _("Toujours en exercice sur le territoire (suivis enregistrés)"),
                follow_up_totals_text(follow_up_totals(territory=territory)),
            ),
        ],
        tables=[
            ReportTable(
                caption=_("Demandes par profession"),
                headers=[_("Profession"), _("Demandes")],
                rows=[[label, str(n)] for label, n in labelled(figures.by_profession, Profession.choices)],
            ),
            ReportTable(
                caption=_("Besoins exprimés"),
                headers=[_("Besoin"), _("Demandes")],
                rows=[[label, str(n)] for label, n in labelled(figures.by_need, NeedKind.choices)],
            ),
            ReportTable(
                caption=_("Demandes par mois"),
                headers=[_("Mois"), _("Demandes")],
                rows=[[f"{MONTHS[m - 1]} {year}", str(month_values[m - 1])] for m in range(1, 13)],
            ),
        ],
    )
    from portal.documents.charts import bar_chart_svg

    section.charts.append(
        bar_chart_svg(
            title=_("Demandes d'accompagnement par mois en %(year)s") % {"year": year},
            labels=MONTHS,
            values=month_values,
        )
    )
    return section


def settled_people(*, territory: Territory, user_ids: Iterable[int]) -> dict[int, datetime.date | None]:
    """Which of these people (user ids) settled on the territory through the guichet, and when: the
    `settled_people` hook (portal.reporting.settled_people), read by the training axis."""
    rows = (
        Case.objects.for_territory(territory)
        .filter(status=CaseStatus.SETTLED, applicant_id__in=list(user_ids))
        .order_by("applicant_id", "settlement_date")
        .values_list("applicant_id", "settlement_date", "settled_at")
    )
    settled: dict[int, datetime.date | None] = {}
    for user_id, settlement_date, settled_at in rows:
        day = settlement_date or (timezone.localdate(settled_at) if settled_at else None)
        settled.setdefault(user_id, day)
    return settled
