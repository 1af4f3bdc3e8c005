"""Reads of the prevention axis (never imports services).

`shared_good_practices` is the ONE read that crosses the tenant wall, on purpose: the good-practice
sheets of the territories that opted in (PreventionSettings.share_good_practices), and nothing else
of theirs. Every other read here is scoped to one territory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.events.enums import EventStatus, RegistrationStatus
from portal.events.models import Event, EventQuerySet, Registration
from portal.models import Commune, Territory
from portal.reporting import ReportSection, ReportTable
from prevention.enums import AGENDA_EVENT_KIND, FundingSource, InitiativeStatus, InterventionStatus, Theme
from prevention.models import (
    Ambassador,
    Funding,
    Initiative,
    InitiativeDocument,
    Intervention,
    InterventionSite,
    PreventionSettings,
    ReplicationSheet,
)
from prevention.models.initiatives import InitiativeQuerySet

# --- the inventory ------------------------------------------------------------------------------


def initiatives(*, territory: Territory | None, public: bool) -> InitiativeQuerySet:
    """The territory's initiatives with what a list shows (carrier, communes, the original of a
    replication); the public sees only the published ones."""
    rows = Initiative.objects.for_territory(territory)
    if public:
        rows = rows.published()
    return (
        rows.select_related("carrier", "replicated_from", "replication_sheet")
        .prefetch_related(
            Prefetch("communes", queryset=Commune.objects.order_by("name").only("pk", "name", "insee_code"))
        )
        .order_by("title", "pk")
    )


def initiative_detail(*, territory: Territory | None, pk: int, public: bool) -> Initiative | None:
    found: Initiative | None = (
        initiatives(territory=territory, public=public)
        .prefetch_related(
            "partners",
            Prefetch(
                "replications",
                queryset=Initiative.objects.for_territory(territory).filter(published=True)
                if public
                else Initiative.objects.for_territory(territory),
            ),
            "replications__communes",
        )
        .filter(pk=pk)
        .first()
    )
    return found


def initiative_fundings(initiative: Initiative) -> list[Funding]:
    return list(
        Funding.objects.for_territory(initiative.territory).filter(initiative=initiative).select_related("funder")
    )


def initiative_documents(initiative: Initiative) -> list[InitiativeDocument]:
    return list(InitiativeDocument.objects.for_territory(initiative.territory).filter(initiative=initiative))


def territory_communes(territory: Territory | None) -> list[Commune]:
    if territory is None:
        return []
    return list(territory.communes.order_by("name").only("pk", "name", "insee_code"))


@dataclass
class CommuneRow:
    commune: Commune
    counts: list[int]

    @property
    def missing(self) -> int:
        return sum(1 for n in self.counts if not n)


@dataclass
class CommuneThemeTable:
    themes: list[tuple[str, str]]
    rows: list[CommuneRow]
    totals: list[int] = field(default_factory=list)

    @property
    def communes_without_any(self) -> list[Commune]:
        return [row.commune for row in self.rows if not any(row.counts)]

    @property
    def communes_without_theme(self) -> list[int]:
        """Per theme, how many communes have nothing on it."""
        return [sum(1 for row in self.rows if not row.counts[i]) for i in range(len(self.themes))]

    def with_actions_only(self) -> list[CommuneRow]:
        return [row for row in self.rows if any(row.counts)]


def commune_theme_table(*, territory: Territory | None, public: bool) -> CommuneThemeTable:
    """Commune × theme: how many live initiatives (neither abandoned nor, for the public, unpublished)
    each commune has on each theme; a 0 shows where nothing exists. Three queries whatever the size."""
    themes = [(str(value), str(label)) for value, label in Theme.choices]
    live = Initiative.objects.for_territory(territory).live()
    if public:
        live = live.published()
    links = (
        Initiative.communes.through.objects.filter(initiative__in=live)
        .values_list("commune_id", "initiative__theme")
        .annotate(n=Count("initiative_id", distinct=True))
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for commune_id, theme, n in links:
        counts[commune_id][theme] = n
    communes = territory_communes(territory)
    known = {c.pk for c in communes}
    if set(counts) - known:  # an initiative in a commune the territory does not list (yet)
        communes += list(Commune.objects.filter(pk__in=set(counts) - known).only("pk", "name", "insee_code"))
        communes.sort(key=lambda c: c.name)
    rows = [CommuneRow(commune=c, counts=[counts[c.pk].get(value, 0) for value, _label in themes]) for c in communes]
    totals = [sum(row.counts[i] for row in rows) for i in range(len(themes))]
    return CommuneThemeTable(themes=themes, rows=rows, totals=totals)


# --- good practices -----------------------------------------------------------------------------


def good_practices(*, territory: Territory | None, public: bool) -> InitiativeQuerySet:
    """The territory's good practices, each with its replications (what spread from where)."""
    replications = Initiative.objects.for_territory(territory).prefetch_related(
        Prefetch("communes", queryset=Commune.objects.order_by("name").only("pk", "name", "insee_code"))
    )
    if public:
        replications = replications.published()
    return (
        initiatives(territory=territory, public=public)
        .good_practices()
        .prefetch_related(Prefetch("replications", queryset=replications.order_by("created_at", "pk")))
    )


def sharing_territory_ids() -> list[int]:
    return list(
        PreventionSettings.objects.filter(share_good_practices=True, territory__is_active=True).values_list(
            "territory_id", flat=True
        )
    )


def shared_good_practices(*, reader: Territory) -> list[ReplicationSheet]:
    """THE crossing of the tenant wall: the good-practice sheets other territories chose to share.
    Only the sheet and its initiative's public description are read (`only`): budgets, fundings,
    notes, documents and anything else of theirs stay behind the wall."""
    return list(
        ReplicationSheet.objects.for_territories(sharing_territory_ids())
        .exclude(territory=reader)
        .filter(initiative__published=True)
        .select_related("initiative", "territory")
        .only(*SHARED_FIELDS)
        .order_by("territory__name", "initiative__title", "pk")
    )


SHARED_FIELDS = (
    "id",
    "territory_id",
    "territory__name",
    "territory__slug",
    "why_it_works",
    "key_steps",
    "resources_needed",
    "pitfalls",
    "contact",
    "updated_at",
    "initiative__id",
    "initiative__territory_id",
    "initiative__title",
    "initiative__summary",
    "initiative__theme",
    "initiative__audiences",
    "initiative__start_date",
    "initiative__end_date",
    "initiative__status",
)


def shared_good_practice(*, reader: Territory, pk: int) -> ReplicationSheet | None:
    for sheet in shared_good_practices(reader=reader):
        if sheet.pk == pk:
            return sheet
    return None


def territory_shares(territory: Territory) -> bool:
    return PreventionSettings.objects.for_territory(territory).filter(share_good_practices=True).exists()


# --- the agenda (on portal/events) --------------------------------------------------------------


THEME_LABELS = dict(Theme.choices)


def theme_label(value: str | None) -> str:
    return str(THEME_LABELS.get(value, "")) if value else ""


def agenda_events(*, territory: Territory | None) -> EventQuerySet:
    """The territory's prevention events on its public site (published and cancelled), with their
    counts, attendance and theme, in one query."""
    return (
        Event.objects.for_territory(territory)
        .public()
        .of_kind(AGENDA_EVENT_KIND)
        .with_counts()
        .annotate(
            attended_count=Count(
                "registrations",
                filter=Q(registrations__attended=True, registrations__status=RegistrationStatus.REGISTERED),
            )
        )
        .annotate(theme=F("prevention_details__theme"))
        .select_related("territory", "commune", "organiser")
        .order_by("starts_at", "pk")
    )


# --- service sanitaire ------------------------------------------------------------------------------


@dataclass
class CommunePlanning:
    commune: Commune
    interventions: list[Intervention]


def sanitary_planning(*, territory: Territory | None, year: int) -> list[CommunePlanning]:
    """The year's interventions grouped by the commune of their site, communes by name."""
    rows = (
        Intervention.objects.for_territory(territory)
        .of_year(year)
        .select_related("team", "site__commune")
        .annotate(students=Count("team__students", distinct=True))
        .order_by("site__commune__name", "starts_on", "pk")
    )
    grouped: dict[int, CommunePlanning] = {}
    for row in rows:
        commune = row.site.commune
        grouped.setdefault(commune.pk, CommunePlanning(commune=commune, interventions=[])).interventions.append(row)
    return list(grouped.values())


@dataclass
class HostingSite:
    site: InterventionSite
    teams_planned: int

    @property
    def places_left(self) -> int | None:
        if self.site.max_teams is None:
            return None
        return max(self.site.max_teams - self.teams_planned, 0)


def hosting_sites(*, territory: Territory | None, year: int) -> list[HostingSite]:
    """The sites that can host a team, by commune, with how many teams the year already sends there."""
    rows = (
        InterventionSite.objects.for_territory(territory)
        .filter(can_host=True)
        .select_related("commune")
        .annotate(
            planned=Count(
                "interventions",
                filter=Q(interventions__team__academic_year=year)
                & ~Q(interventions__status=InterventionStatus.CANCELLED),
            )
        )
        .order_by("commune__name", "name", "pk")
    )
    return [HostingSite(site=row, teams_planned=row.planned) for row in rows]


def ambassadors_by_commune(*, territory: Territory | None) -> list[tuple[Commune, list[Ambassador]]]:
    grouped: dict[int, tuple[Commune, list[Ambassador]]] = {}
    rows = (
        Ambassador.objects.for_territory(territory)
        .filter(active=True)
        .select_related("commune")
        .order_by("commune__name", "last_name", "pk")
    )
    for row in rows:
        grouped.setdefault(row.commune_id, (row.commune, []))[1].append(row)
    return list(grouped.values())


# --- annual report and dashboard ------------------------------------------------------------------


def _scalar(rows: QuerySet[Any], aggregate: Count) -> Coalesce:
    """`aggregate` over `rows` as a value of the outer query (0 when there is no row)."""
    return Coalesce(
        Subquery(rows.order_by().annotate(_one=Value(1)).values("_one").annotate(v=aggregate).values("v")[:1]),
        0,
    )


def _euros(value: Decimal | None) -> str:
    amount = value or Decimal(0)
    return f"{amount:,.0f} €".replace(",", "\u202f")


def annual_report_section(*, territory: Territory, year: int) -> ReportSection | None:
    """The prevention axis's part of the annual report and of the territory dashboard
    (portal.reporting contract): initiatives live that year by theme, the CLS envelope by action
    sheet, the agenda's attendance, the service sanitaire and the ambassadors. Three queries, two
    when the territory has no prevention that year (every report and dashboard pays them)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    live = (
        Initiative.objects.for_territory(territory)
        .exclude(status=InitiativeStatus.ABANDONED)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=end))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    )
    themes = list(
        live.order_by()
        .values_list("theme")
        .annotate(n=Count("pk"), copies=Count("pk", filter=Q(replicated_from__isnull=False)))
    )
    by_theme = {theme: n for theme, n, _copies in themes}
    replications = sum(copies for _theme, _n, copies in themes)
    # The other figures in one query: a scalar subquery per table.
    events = (
        Event.objects.for_territory(territory)
        .of_kind(AGENDA_EVENT_KIND)
        .filter(status=EventStatus.PUBLISHED, starts_at__year=year)
    )
    interventions = (
        Intervention.objects.for_territory(territory)
        .filter(starts_on__year=year)
        .exclude(status=InterventionStatus.CANCELLED)
    )
    figures = (
        Territory.objects.filter(pk=territory.pk)
        .values(
            held=_scalar(events, Count("pk")),
            attended=_scalar(
                Registration.objects.filter(event__in=events, attended=True, status=RegistrationStatus.REGISTERED),
                Count("pk"),
            ),
            interventions=_scalar(interventions, Count("pk")),
            ambassadors=_scalar(Ambassador.objects.for_territory(territory).filter(active=True), Count("pk")),
        )
        .get()
    )
    total = sum(by_theme.values())
    if not (total or figures["held"] or figures["interventions"] or figures["ambassadors"]):
        return None
    envelope = list(
        Funding.objects.for_territory(territory)
        .filter(year=year, source=FundingSource.CLS_ENVELOPE)
        .order_by("cls_action_code")
        .values_list("cls_action_code")
        .annotate(total=Sum("amount"), n=Count("initiative", distinct=True))
    )
    theme_labels = dict(Theme.choices)
    return ReportSection(
        title=_("Prévention"),
        order=40,
        text=_(
            "Les actions de prévention menées dans les communes, les bonnes pratiques reprises d'une commune "
            "à l'autre, l'agenda public et le service sanitaire des étudiants en santé."
        ),
        figures=[
            (ngettext("action de prévention", "actions de prévention", total), str(total)),
            (
                ngettext("réplique d'une bonne pratique", "répliques de bonnes pratiques", replications),
                str(replications),
            ),
            (ngettext("événement de l'agenda", "événements de l'agenda", figures["held"]), str(figures["held"])),
            (_("présences aux événements"), str(figures["attended"])),
            (
                ngettext(
                    "intervention du service sanitaire", "interventions du service sanitaire", figures["interventions"]
                ),
                str(figures["interventions"]),
            ),
            (
                ngettext("ambassadeur santé actif", "ambassadeurs santé actifs", figures["ambassadors"]),
                str(figures["ambassadors"]),
            ),
        ],
        tables=[
            ReportTable(
                caption=_("Actions de prévention par thème"),
                headers=[_("Thème"), _("Actions")],
                rows=[[str(theme_labels.get(k, k)), str(n)] for k, n in sorted(by_theme.items(), key=lambda i: -i[1])],
            ),
            ReportTable(
                caption=_("Enveloppe prévention du CLS par fiche action"),
                headers=[_("Fiche action"), _("Actions financées"), _("Montant")],
                rows=[[code, str(n), _euros(amount)] for code, amount, n in envelope],
            ),
        ],
    )
