"""Reads of the training axis: the public offers, where trainees can go, a student's own placements
and bookings, a site's placements for its supervisors and managers, and the annual-report section.
Selectors never import services."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from portal.models import Commune, Territory
from portal.reporting import ReportSection, ReportTable, settled_people
from training.enums import HousingKind, PlacementStatus
from training.models import Booking, HostSite, Offer, OfferSite, Placement, WelcomeKit
from training.reporting_programmes import euros, programmes_report
from training.semesters import Semester, semester_label

# --- public pages ----------------------------------------------------------------------------------


def _sites_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "sites",
        queryset=OfferSite.objects.select_related("host_site__commune", "supervisor").order_by("start_date", "pk"),
    )


def public_offers(territory: Territory) -> QuerySet[Offer]:
    """The territory's published offers with the places already taken and their sites (an offer's
    page; the list reads only what its cards show: `offer_cards_page`)."""
    return (
        Offer.objects.for_territory(territory)
        .published()
        .annotate(taken=Count("placements", filter=~Q(placements__status="cancelled"), distinct=True))
        .order_by("semester", "title", "pk")
        .prefetch_related(_sites_prefetch())
    )


def listed_offers(territory: Territory) -> QuerySet[Offer]:
    """The territory's published offers in the list's order, nothing annotated (to filter, count and
    page: `offer_cards_page`)."""
    return Offer.objects.for_territory(territory).published().order_by("semester", "title", "pk")


class OfferCard(NamedTuple):
    """What an offer's card in the public list shows."""

    pk: int
    title: str
    level: str
    specialty: str
    semester: str
    places: int
    taken: int

    @property
    def free_places(self) -> int:
        return max(self.places - self.taken, 0)

    @property
    def semester_label(self) -> str:
        return semester_label(self.semester)


def offer_cards_page(offers: QuerySet[Offer], number: int, per_page: int) -> tuple[list[OfferCard], int | None]:
    """Page `number` of `offers` as their cards read them and the number of offers on every page, in
    one query of plain rows: the places taken counted per offer in a subquery, the total as a window
    count beside the rows (no COUNT query apart). The total is None when a page after the first has
    no row (past the last page): the caller counts then."""
    taken = (
        Placement.objects.filter(offer=OuterRef("pk"))
        .exclude(status=PlacementStatus.CANCELLED)
        .order_by()
        .values("offer")
        .annotate(count=Count("pk"))
        .values("count")
    )
    start = (number - 1) * per_page
    rows = list(
        offers.annotate(taken=Coalesce(Subquery(taken), 0), total=Window(Count("*"))).values_list(
            *OfferCard._fields, "total"
        )[start : start + per_page]
    )
    total = rows[0][-1] if rows else (0 if number == 1 else None)
    return [OfferCard(*row[:-1]) for row in rows], total


class OfferSiteRow(NamedTuple):
    site_name: str
    commune_name: str
    kind: str
    start_date: datetime.date | None
    end_date: datetime.date | None


def offer_site_rows(offer_ids: list[int]) -> dict[int, list[OfferSiteRow]]:
    """The sites of these offers as the list's cards show them, by offer, in one query of plain
    rows (no model built per site, host site and commune)."""
    rows: dict[int, list[OfferSiteRow]] = {pk: [] for pk in offer_ids}
    fields = ("offer_id", "host_site__name", "host_site__commune__name", "host_site__kind", "start_date", "end_date")
    for offer_id, *row in (
        OfferSite.objects.filter(offer_id__in=offer_ids).order_by("start_date", "pk").values_list(*fields)
    ):
        rows[offer_id].append(OfferSiteRow(*row))
    return rows


@dataclass
class CommuneSites:
    commune: Commune
    sites: list[HostSite] = field(default_factory=list)


def sites_by_commune(territory: Territory) -> list[CommuneSites]:
    """Where trainees can go: the active host sites grouped by commune, with their capacities."""
    sites = (
        HostSite.objects.for_territory(territory)
        .filter(active=True)
        .select_related("commune")
        .prefetch_related("capacities")
        .annotate(supervisor_count=Count("supervisors", distinct=True))
        .order_by("commune__name", "name")
    )
    groups: dict[int, CommuneSites] = {}
    for site in sites:
        groups.setdefault(site.commune_id, CommuneSites(commune=site.commune)).sites.append(site)
    return list(groups.values())


# --- a person's own rows -------------------------------------------------------------------------


def student_placements(*, user: Any, territory: Territory) -> list[Placement]:
    """The signed-in student's placements on this territory, with their offer's sites and bookings."""
    bookings: QuerySet[Booking] = Booking.objects.select_related("unit__commune").order_by("start_date")
    return list(
        Placement.objects.for_territory(territory)
        .of_student(user)
        .select_related("offer")
        .prefetch_related(
            Prefetch("offer__sites", queryset=OfferSite.objects.select_related("host_site__commune")),
            Prefetch("bookings", queryset=bookings),
        )
        .order_by("-start_date", "pk")
    )


def student_placement(*, user: Any, territory: Territory, pk: int) -> Placement | None:
    return Placement.objects.for_territory(territory).of_student(user).select_related("offer").filter(pk=pk).first()


def student_booking(*, user: Any, territory: Territory, pk: int) -> Booking | None:
    """One of the signed-in person's own bookings on this territory."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Booking.objects.for_territory(territory).filter(occupant=user, pk=pk).select_related("unit").first()


def sites_of(*, user: Any, territory: Territory) -> QuerySet[HostSite]:
    """The sites where `user` is a supervisor or a manager."""
    if not getattr(user, "is_authenticated", False):
        return HostSite.objects.none()
    return (
        HostSite.objects.for_territory(territory)
        .filter(Q(managers=user) | Q(supervisors__user=user))
        .distinct()
        .order_by("name")
    )


def site_placements(*, sites: QuerySet[HostSite]) -> list[Placement]:
    """The active placements at `sites` (whoever comes to one of them, joint programmes included)."""
    return list(
        Placement.objects.filter(offer__sites__host_site__in=sites)
        .active()
        .distinct()
        .select_related("offer")
        .prefetch_related(Prefetch("offer__sites", queryset=OfferSite.objects.select_related("host_site")))
        .order_by("start_date", "student_name")
    )


# --- the annual report -------------------------------------------------------------------------------


def _nights(start: datetime.date, end: datetime.date, year: int) -> int:
    first, last = max(start, datetime.date(year, 1, 1)), min(end, datetime.date(year + 1, 1, 1))
    return max((last - first).days, 0)


def trainees_who_settled(*, territory: Territory) -> int:
    """Students who had a placement on the territory and settled there afterwards (installations
    answers through the `settled_people` hook; training does not read its tables)."""
    first_start: dict[int, datetime.date] = {}
    rows = Placement.objects.for_territory(territory).active().filter(student__isnull=False)
    for student_id, start in rows.values_list("student_id", "start_date"):
        if student_id not in first_start or start < first_start[student_id]:
            first_start[student_id] = start
    settled = settled_people(territory=territory, user_ids=first_start)
    return sum(1 for user_id, day in settled.items() if day is None or day >= first_start[user_id])


def annual_report_section(*, territory: Territory, year: int) -> ReportSection | None:
    """The training axis' section of the annual report (portal.reporting contract): placements,
    housing and welcome here, then sessions, scholarships and outreach (training.reporting_programmes)."""
    section = _placements_section(territory=territory, year=year)
    figures, tables = programmes_report(territory=territory, year=year)
    has_programmes = bool(tables) or any(value not in ("0", euros(0)) for _label, value in figures)
    if not has_programmes:
        return section
    if section is None:
        section = ReportSection(title=_("Formation et accueil des internes"), order=30)
    section.figures += figures
    section.tables += tables
    return section


def _placements_section(*, territory: Territory, year: int) -> ReportSection | None:
    """Placements, trainees per site, housing and welcome kits of `year`, and the trainees who later
    settled. A fixed number of queries whatever the row counts."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    placements_of_year = (
        Placement.objects.for_territory(territory).active().filter(start_date__lte=end, end_date__gte=start)
    )
    bookings_of_year = (
        Booking.objects.for_territory(territory).holding().filter(start_date__lte=end, end_date__gt=start)
    )
    kits_of_year = WelcomeKit.objects.for_territory(territory).filter(handed_on__range=(start, end))
    # Every annual report and dashboard asks, most territories have nothing that year: one query says so.
    anything = (
        placements_of_year.order_by()
        .values("pk")
        .union(bookings_of_year.order_by().values("pk"), kits_of_year.order_by().values("pk"), all=True)
    )
    if not anything.exists():
        return None
    placements = list(placements_of_year.values("pk", "semester", "student_email", "offer_id"))
    bookings = list(bookings_of_year.values("unit__residence", "unit__kind", "start_date", "end_date"))
    kits = kits_of_year.count()
    offer_ids = {row["offer_id"] for row in placements}
    sites_per_offer: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for offer_id, site_name, commune in OfferSite.objects.filter(offer_id__in=offer_ids).values_list(
        "offer_id", "host_site__name", "host_site__commune__name"
    ):
        sites_per_offer[offer_id].append((site_name, commune))

    per_semester: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_site: dict[tuple[str, str], int] = defaultdict(int)
    for row in placements:
        sites = sites_per_offer.get(row["offer_id"], [])
        per_semester[row["semester"]][0] += 1
        if len(sites) > 1:
            per_semester[row["semester"]][1] += 1
        for where in sites:
            per_site[where] += 1
    housing: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    kind_labels = dict(HousingKind.choices)
    for stay in bookings:
        key = (stay["unit__residence"] or "—", str(kind_labels.get(stay["unit__kind"], "")))
        housing[key][0] += 1
        housing[key][1] += _nights(stay["start_date"], stay["end_date"], year)

    return ReportSection(
        title=_("Formation et accueil des internes"),
        order=30,
        text=_(
            "Les professionnels s'installent là où ils ont été formés : le territoire recense les lieux de "
            "stage et les maîtres de stage, publie les offres de chaque semestre, loge et accueille les "
            "stagiaires, puis suit ceux qui s'y installent."
        ),
        figures=[
            (_("Stages en cours dans l'année"), str(len(placements))),
            (_("Stagiaires accueillis"), str(len({row["student_email"].lower() for row in placements}))),
            (_("Nuits en logement pour internes"), str(sum(nights for _n, nights in housing.values()))),
            (_("Kits d'accueil remis"), str(kits)),
            (_("Anciens stagiaires installés sur le territoire"), str(trainees_who_settled(territory=territory))),
        ],
        tables=[
            ReportTable(
                caption=_("Stages par semestre"),
                headers=[_("Semestre"), _("Stages"), _("dont parcours ville-hôpital")],
                rows=[[semester_label(code), str(n), str(joint)] for code, (n, joint) in sorted(per_semester.items())],
            ),
            ReportTable(
                caption=_("Stagiaires par lieu de stage"),
                headers=[_("Lieu de stage"), _("Commune"), _("Stagiaires")],
                rows=[[site, commune, str(n)] for (site, commune), n in sorted(per_site.items())],
            ),
            ReportTable(
                caption=_("Logement des internes"),
                headers=[_("Résidence"), _("Type"), _("Séjours"), _("Nuits")],
                rows=[[res, kind, str(n), str(nights)] for (res, kind), (n, nights) in sorted(housing.items())],
            ),
        ],
    )


def current_semester(today: datetime.date) -> Semester:
    return Semester.containing(today)
