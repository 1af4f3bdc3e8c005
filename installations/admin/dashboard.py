"""The installation support's dashboard in the admin: a territory's figures over a year (or all time)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from installations import selectors
from installations.admin.common import team_ids
from installations.enums import CaseStatus, NeedKind
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
        year = request.GET.get("year", "")
        start = end = None
        if year.isdigit() and 2000 <= int(year) <= 2100:
            start, end = datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)
        figures = selectors.dashboard_figures(territory=territory, start=start, end=end)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Tableau de bord de l'accompagnement — %(territory)s") % {"territory": territory.name},
            "territory": territory,
            "territories": territories,
            "year": year,
            "figures": figures,
            "status_rows": [(CaseStatus(s).label, n) for s, n in figures.status_counts.items()],
            "profession_rows": selectors.labelled(figures.by_profession, Profession.choices),
            "need_rows": selectors.labelled(figures.by_need, NeedKind.choices),
            "month_rows": [(month.strftime("%m/%Y"), n) for month, n in figures.per_month],
            "chart": selectors.requests_chart(figures),
        }
        return TemplateResponse(request, "admin/installations/dashboard.html", context)
