"""The installation support's dashboard in the admin: a territory's figures over a year (or all time)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from installations.admin.common import partner_ids, team_ids
from installations.enums import CaseStatus, NeedKind
from installations.figures import (
    due_follow_ups,
    follow_up_totals,
    labelled,
    requests_chart,
    territory_dashboard,
)
from installations.filters import NO_ANSWER, WAITING_ON_PARTNER
from installations.models import FollowUp, no_answer_days
from installations.selectors import territory_waiting_on_partner
from portal.enums import Profession
from portal.models import Territory


class CaseDashboardMixin:
    """CaseAdmin's dashboard page."""

    def dashboard_view(self, request):
        ids = team_ids(request)
        territories = Territory.objects.all() if request.user.is_superuser else Territory.objects.filter(pk__in=ids)
        territories = list(territories.order_by("name"))
        if not territories:
            raise PermissionDenied
        chosen = request.GET.get("territory", "")
        territory = next((t for t in territories if str(t.pk) == chosen), territories[0])
        list_url = reverse("admin:installations_case_changelist")
        year = request.GET.get("year", "")
        start = None
        if year.isdigit() and 2000 <= int(year) <= 2100:
            start = datetime.date(int(year), 1, 1)
        # The same for everyone of the territory: kept in the cache under its version.
        dashboard = territory_dashboard(territory=territory, year=start.year if start else None)
        figures, previous = dashboard.figures, dashboard.previous
        settled = dict(figures.settled_per_year).get(start.year, 0) if start else None
        # Where the cases are now, whatever the year: the case list's own counts over the list's own
        # scope (every territory of the user), each a link to its tab — the two always agree.
        now_counts = self._status_counts(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Tableau de bord de l'accompagnement — %(territory)s") % {"territory": territory.name},
            "territory": territory,
            "territories": territories,
            "year": year,
            "figures": figures,
            "to_do": self._to_do(request, now_counts),
            "follow_up_rows": follow_up_totals(territory=territory),
            "several_territories": len(territories) > 1,
            "previous": previous,
            "requests_change": _change(figures.total, previous.requests) if previous else None,
            "requests_compared": _compared(figures.total, previous.requests, year=start.year - 1) if previous else "",
            "settled": settled,
            "settled_compared": _compared(settled, previous.settled, year=start.year - 1) if previous else "",
            "status_rows": [(CaseStatus(s).label, now_counts[s], f"{list_url}?status={s}") for s in CaseStatus.values],
            "profession_rows": labelled(figures.by_profession, Profession.choices),
            "need_rows": labelled(figures.by_need, NeedKind.choices),
            "month_rows": [(month.strftime("%m/%Y"), n) for month, n in figures.per_month],
            "chart": requests_chart(figures),
        }
        return TemplateResponse(request, "admin/installations/dashboard.html", context)

    def _to_do(self, request, now_counts):
        """What waits for the team, each count made by the case list's own filters over the list's
        own scope (every territory of the user), so that the count and the list it links to agree."""
        list_url = reverse("admin:installations_case_changelist")
        rows = [(_("Nouvelles demandes à prendre en charge"), now_counts[CaseStatus.SUBMITTED], "status=submitted")]
        for label, query in (
            (
                _("Sans réponse de l'équipe depuis plus de %(days)s jours") % {"days": no_answer_days()},
                f"waiting_on={NO_ANSWER}",
            ),
            (_("Orientations en attente d'un partenaire"), f"waiting_on={WAITING_ON_PARTNER}"),
        ):
            rows.append((label, self._waiting_count(request, query), query))
        todo = [(label, n, f"{list_url}?{query}") for label, n, query in rows]
        follow_ups = due_follow_ups(FollowUp.objects.for_territories(team_ids(request)))
        todo.append(
            (
                _("Suivis après installation à faire"),
                follow_ups.count(),
                reverse("admin:installations_followup_changelist") + "?state=due",
            )
        )
        return todo

    def _waiting_count(self, request, query):
        """The list's count for `query`. "Waiting on a partner" changes only with a need (it does not
        age): for a team's own scope it is counted per territory once per change, cached under the
        territory's version like the status counts; "no answer" ages with the clock: counted."""
        if query == f"waiting_on={WAITING_ON_PARTNER}" and not request.user.is_superuser:
            teams = team_ids(request)
            if not partner_ids(request) - teams:
                return territory_waiting_on_partner(teams)
        return self.case_filterset(request, QueryDict(query)).qs.count()


def _change(now: int, before: int) -> str:
    """ "+22 %" / "−10 %" / "=" from one year to the next ("" when there was nothing to compare)."""
    if not before:
        return ""
    percent = round((now - before) * 100 / before)
    if percent == 0:
        return "="
    return f"{'+' if percent > 0 else '−'}{abs(percent)}\u202f%"


def _compared(now: int, before: int, *, year: int) -> str:
    """ "4 en 2025, +25 %": last year's figure and the change."""
    text = _("%(before)s en %(year)s") % {"before": before, "year": year}
    change = _change(now, before)
    return f"{text}, {change}" if change else text
