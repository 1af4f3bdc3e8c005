"""Reads of the guichet unique: the coordinator's list, the applicant's space, the partner referents
of an organisation and the published opportunities (aid eligibility: installations/eligibility.py).

Every list is computed in the database with a number of queries that does not grow with the rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from installations import list_cache
from installations.enums import CaseStatus, NeedState
from installations.models import (
    ANSWERING_STATUSES,
    Case,
    CaseQuerySet,
    Need,
    Opportunity,
    PerRowExists,
    is_without_answer,
    no_answer_cutoff,
)
from portal.enums import EDITOR_ROLES, Role
from portal.models import Commune, Membership, Organisation, Territory, User
from portal.tenancy.access import territory_ids_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# --- the coordinator's list ---------------------------------------------------------------------


def annotate_case_list(queryset: CaseQuerySet, *, now: datetime.datetime | None = None) -> CaseQuerySet:
    """Adds `contact_reference` (last contact, else submission) and `no_answer` (the applicant has
    waited more than N days for the team: `CaseQuerySet.with_no_answer_flag`, the rule the filter and
    the reminders use). Both are plain columns compared with a constant: the list stays one query and
    index-friendly."""
    return queryset.with_no_answer_flag(now=now).annotate(contact_reference=Coalesce("last_contact_at", "submitted_at"))


# What the coordinators' list reads of each case and of its coordinator, in CaseRow's order.
LIST_ROW_COLUMNS = (
    "pk",
    "reference",
    "status",
    "profession",
    "applicant_first_name",
    "applicant_last_name",
    "applicant_email",
    "submitted_at",
    "awaiting_reply_since",
    "last_contact_at",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__email",
    "partner_pending",
    "territory_id",
    "possible_duplicate_of_id",
    "possible_duplicate_of__territory_id",
    "possible_duplicate_of__reference",
)


class DuplicateRef(NamedTuple):
    """The earlier request a row may duplicate, as the list links it."""

    pk: int
    reference: str


class CaseRow:
    """A case as a row of the coordinators' list: built from a `values_list(*LIST_ROW_COLUMNS)` row
    rather than a Case and its coordinator as model instances (their construction was a fifth of the
    page's query cost). `describe_case_rows` adds `no_answer`, `days_since_contact` and `waiting_on`. Rows compare
    by primary key, as model instances do."""

    __slots__ = (
        "pk",
        "reference",
        "status",
        "profession",
        "applicant_name",
        "submitted_at",
        "awaiting_reply_since",
        "no_answer",
        "contact_reference",
        "assigned_to",
        "partner_pending",
        "days_since_contact",
        "waiting_on",
        "possible_duplicate",
    )
    # Set by describe_case_rows.
    days_since_contact: int | None
    waiting_on: str

    def __init__(self, row: tuple) -> None:  # type: ignore[type-arg]
        (
            self.pk,
            self.reference,
            self.status,
            self.profession,
            first_name,
            last_name,
            email,
            self.submitted_at,
            self.awaiting_reply_since,
            last_contact_at,
            assigned_first_name,
            assigned_last_name,
            assigned_email,
            self.partner_pending,
            territory_id,
            duplicate_id,
            duplicate_territory_id,
            duplicate_reference,
        ) = row
        # As Case.applicant_name and str(User) write them; None when nobody is assigned.
        self.applicant_name = f"{first_name} {last_name}".strip() or email
        # As Case.possible_duplicate: of this territory only, whatever was stored.
        self.possible_duplicate = (
            DuplicateRef(duplicate_id, duplicate_reference)
            if duplicate_id is not None and duplicate_territory_id == territory_id
            else None
        )
        # annotate_case_list's two annotations, computed here rather than in the query (compiling
        # them was a tenth of the page query's cost); `no_answer` is set by describe_case_rows.
        self.contact_reference = last_contact_at or self.submitted_at
        self.no_answer = False
        self.assigned_to: str | None = None
        if assigned_email is not None:
            self.assigned_to = f"{assigned_first_name} {assigned_last_name}".strip() or assigned_email

    @property
    def awaiting_answer(self) -> bool:
        """As Case.awaiting_answer."""
        return self.status in ANSWERING_STATUSES and self.awaiting_reply_since is not None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CaseRow) and other.pk == self.pk

    def __hash__(self) -> int:
        return hash(self.pk)


# The columns of LIST_ROW_COLUMNS for the cases whose ids the subquery {ids} lists, in its order
# (a case `c`, its coordinator `u`, the request it may duplicate `d`), with `partner_pending` as
# PerRowExists writes it: checked row by row, only for the page's rows.
LIST_ROWS_SQL = (
    'SELECT c."id", c."reference", c."status", c."profession", c."applicant_first_name", '
    'c."applicant_last_name", c."applicant_email", c."submitted_at", c."awaiting_reply_since", '
    'c."last_contact_at", u."first_name", u."last_name", u."email", '
    'EXISTS(SELECT 1 FROM "installations_need" n WHERE n."case_id" = c."id" AND n."state" = %s '
    'AND n."territory_id" = c."territory_id" LIMIT 1 OFFSET 0), '
    'c."territory_id", c."possible_duplicate_of_id", d."territory_id", d."reference" '
    'FROM unnest(ARRAY({ids})) WITH ORDINALITY AS page("id", "position") '
    'JOIN "installations_case" c ON c."id" = page."id" '
    'LEFT OUTER JOIN "portal_user" u ON u."id" = c."assigned_to_id" '
    'LEFT OUTER JOIN "installations_case" d ON d."id" = c."possible_duplicate_of_id" '
    'ORDER BY page."position"'
)


def case_rows(queryset: QuerySet[Case]) -> list[CaseRow]:
    """The rows of `queryset` (filtered, ordered, sliced) as the coordinators' list shows them, with
    `partner_pending`: a need of the case is referred to a partner. One query: the ORM writes only
    which ids, in which order (its filters and sort); the columns and joins of the rows are fixed
    SQL (LIST_ROWS_SQL). Written by the ORM, the 18 columns, two joins and the EXISTS were a third
    of the view's own time, to build and compile at each view. `partner_pending` is checked row by
    row (as PerRowExists: as a plain EXISTS, PostgreSQL hashed every referred need of every
    territory, 40 ms at 50,000 cases), one look-up in the needs' index each, for the page's rows
    only. `case_rows_query` is the same read through the ORM (tests compare the two), and what the
    embedded SQLite database reads (the fixed SQL is PostgreSQL's: unnest, ARRAY)."""
    if connections[queryset.db].vendor != "postgresql":
        return [CaseRow(row) for row in case_rows_query(queryset)]
    try:
        sql = case_rows_sql(queryset)
    except EmptyResultSet:  # (a filter no case can match, such as no id at all: the ORM reads nothing)
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(*sql)
        return [CaseRow(row) for row in cursor.fetchall()]


def case_rows_sql(queryset: QuerySet[Case]) -> tuple[str, tuple[Any, ...]]:
    """The query `case_rows` reads, and its parameters (the benchmark prints its plan)."""
    ids = queryset.values_list("pk", flat=True)
    sql, params = ids.query.get_compiler(using=ids.db).as_sql()
    return LIST_ROWS_SQL.format(ids=sql), (str(NeedState.REFERRED), *params)


def case_rows_query(queryset: QuerySet[Case]) -> QuerySet[Case, tuple[Any, ...]]:
    """What `case_rows` reads, through the ORM (the reference its tests compare it with)."""
    referred = Need.objects.filter(territory_id=OuterRef("territory_id"), case=OuterRef("pk"), state=NeedState.REFERRED)
    return queryset.annotate(partner_pending=PerRowExists(referred)).values_list(*LIST_ROW_COLUMNS)


def waiting_on(case: Case | CaseRow, *, partner_pending: bool) -> str:
    """Who must answer next on a listed case: "applicant", "team", "partner" or "" (nobody)."""
    if case.status == CaseStatus.WAITING_APPLICANT:
        return "applicant"
    if case.awaiting_answer:
        return "team"
    return "partner" if partner_pending else ""


def describe_case_rows(cases: list[CaseRow], *, now: datetime.datetime | None = None) -> list[CaseRow]:
    """Adds to a page of the coordinator's list (`case_rows`) `no_answer`, `days_since_contact` and
    `waiting_on`."""
    now = now or timezone.now()
    cutoff = no_answer_cutoff(now=now)
    for case in cases:
        case.no_answer = is_without_answer(case.status, case.awaiting_reply_since, cutoff=cutoff)
        case.days_since_contact = days_since(case.contact_reference, now=now)
        case.waiting_on = waiting_on(case, partner_pending=case.partner_pending)
    return cases


def team_communes(user: User) -> QuerySet[Commune]:
    """The communes of the territories a staff user works for (every commune for a superuser)."""
    if user.is_superuser:
        return Commune.objects.order_by("name")
    return (
        Commune.objects.filter(territories__in=territory_ids_for(user, roles=EDITOR_ROLES)).distinct().order_by("name")
    )


class TeamMember:
    """A member of a team as the case list names them (its filter of coordinators, its "confide to"
    actions): str() as User's."""

    __slots__ = ("pk", "first_name", "last_name", "email", "is_active")

    def __init__(self, pk: int, first_name: str, last_name: str, email: str, is_active: bool) -> None:
        self.pk, self.first_name, self.last_name, self.email, self.is_active = (
            pk,
            first_name,
            last_name,
            email,
            is_active,
        )

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


@dataclass(frozen=True)
class TeamMembership:
    user: TeamMember
    territory: str  # its name


def team_memberships(user: User) -> list[TeamMembership]:
    """The coordinators' and managers' memberships of the territories a staff user works for (every
    territory for a superuser), people of former teams included (their cases are still listed).
    Only what the case list shows of them, read with values_list: as model instances (a membership,
    its user and its territory with deferred columns) this small query cost as much as the page."""
    memberships = Membership.objects.filter(role__in=EDITOR_ROLES)
    if not user.is_superuser:
        memberships = memberships.filter(territory_id__in=territory_ids_for(user, roles=EDITOR_ROLES))
    rows = memberships.order_by("territory__name", "user__last_name", "user__first_name", "user__email").values_list(
        "user_id", "user__first_name", "user__last_name", "user__email", "user__is_active", "territory__name"
    )
    return [TeamMembership(TeamMember(*row[:5]), row[5]) for row in rows]


def distinct_people(users: Iterable[TeamMember]) -> list[TeamMember]:
    """Each person once, by name (someone can be in several teams)."""
    unique = {user.pk: user for user in users}
    return sorted(unique.values(), key=lambda u: (u.last_name.lower(), u.first_name.lower(), u.email))


def days_since(moment: datetime.datetime | None, *, now: datetime.datetime | None = None) -> int | None:
    if moment is None:
        return None
    return max(0, ((now or timezone.now()) - moment).days)


def status_counts(queryset: QuerySet[Case]) -> dict[str, int]:
    """Number of cases per status of `queryset` (one GROUP BY query), every status present."""
    rows = dict(queryset.order_by().values_list("status").annotate(n=Count("*")))
    return {status: rows.get(status, 0) for status in CaseStatus.values}


def territory_status_counts(territory_ids: Iterable[int]) -> dict[str, int]:
    """Cases per status over the territories, every status present. Each territory's figures are
    cached with its version (list_cache): the coordinators' list shows them on every view, and
    counting 20,000 cases each time was a quarter of its cost."""
    return _summed_counts(territory_values(["status-counts"], territory_ids)["status-counts"].values())


@dataclass(frozen=True)
class TerritoryList:
    """What the coordinators' list shows of one territory besides its cases: the cases per status,
    the team (the filter of coordinators, the "confide to" actions) and the communes (their filter)."""

    counts: dict[str, int]
    team: list[TeamMembership]
    communes: list[tuple[int, str]]


def territory_list(territory_id: int) -> TerritoryList:
    """The everyday list of a coordinator of one territory: its counts, team and communes from the
    cache, in one round trip (each read cost about as much as the page's own query)."""
    values = territory_values(["status-counts", "team", "communes"], [territory_id])
    return TerritoryList(
        counts=_summed_counts([values["status-counts"][territory_id]]),
        team=[TeamMembership(TeamMember(*row[:5]), row[5]) for row in values["team"][territory_id]],
        communes=values["communes"][territory_id],
    )


def _summed_counts(per_territory: Iterable[dict[str, int]]) -> dict[str, int]:
    totals = dict.fromkeys(CaseStatus.values, 0)
    for counts in per_territory:
        for status, n in counts.items():
            totals[status] = totals.get(status, 0) + n
    return totals


def _status_counts_of(territory_ids: list[int]) -> dict[int, Any]:
    fresh: dict[int, Any] = {tid: dict.fromkeys(CaseStatus.values, 0) for tid in territory_ids}
    rows = (
        Case.objects.filter(territory_id__in=territory_ids)
        .order_by()
        .values_list("territory_id", "status")
        .annotate(n=Count("*"))
    )
    for tid, status, n in rows:
        fresh[tid][status] = n
    return fresh


def _teams_of(territory_ids: list[int]) -> dict[int, Any]:
    """Each territory's team as `team_memberships` reads it (plain tuples: what the cache keeps)."""
    fresh: dict[int, Any] = {tid: [] for tid in territory_ids}
    rows = (
        Membership.objects.filter(role__in=EDITOR_ROLES, territory_id__in=territory_ids)
        .order_by("territory_id", "user__last_name", "user__first_name", "user__email")
        .values_list(
            "territory_id",
            "user_id",
            "user__first_name",
            "user__last_name",
            "user__email",
            "user__is_active",
            "territory__name",
        )
    )
    for tid, *row in rows:
        fresh[tid].append(tuple(row))
    return fresh


def _communes_of(territory_ids: list[int]) -> dict[int, Any]:
    """Each territory's communes as `team_communes` lists them: (pk, name), by name."""
    fresh: dict[int, Any] = {tid: [] for tid in territory_ids}
    links = Territory.communes.through.objects.filter(territory_id__in=territory_ids)
    for tid, pk, name in links.order_by("commune__name").values_list("territory_id", "commune_id", "commune__name"):
        fresh[tid].append((pk, name))
    return fresh


def waiting_on_partner(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """The cases with a need referred to a partner who has not closed it: the list's filter "waiting
    on a partner" and the dashboard's count of it (one definition)."""
    referred = Need.objects.filter(territory_id=OuterRef("territory_id"), case=OuterRef("pk"), state=NeedState.REFERRED)
    return queryset.filter(Exists(referred))


def territory_waiting_on_partner(territory_ids: Iterable[int]) -> int:
    """Cases waiting on a partner over the territories, each territory's count cached with its
    version like the status counts (a need's change makes it stale): counting them joins every case
    of the territory (~50 ms at 20,000 cases), and the dashboard shows it on every view."""
    return sum(territory_values(["waiting-on-partner"], territory_ids)["waiting-on-partner"].values())


def _waiting_on_partner_of(territory_ids: list[int]) -> dict[int, Any]:
    fresh: dict[int, Any] = dict.fromkeys(territory_ids, 0)
    cases = waiting_on_partner(Case.objects.filter(territory_id__in=territory_ids))
    fresh.update(cases.order_by().values_list("territory_id").annotate(n=Count("*")))
    return fresh


_PER_TERRITORY = {
    "status-counts": _status_counts_of,
    "team": _teams_of,
    "communes": _communes_of,
    "waiting-on-partner": _waiting_on_partner_of,
}


def territory_values(names: list[str], territory_ids: Iterable[int]) -> dict[str, dict[int, Any]]:
    """The values `names` of each territory (`_PER_TERRITORY`), from the cache, under the
    territory's current version (list_cache) and in one round trip; those missing are computed
    (one query per name) and stored."""
    found, versions = list_cache.get_current(names, territory_ids)
    for name in names:
        missing = [tid for tid in versions if tid not in found[name]]
        if missing:
            fresh = _PER_TERRITORY[name](missing)
            list_cache.store_current(name, fresh, versions, list_cache.COUNTS_TIMEOUT)
            found[name].update(fresh)
    return found


# --- the applicant ------------------------------------------------------------------------------


def applicant_cases(user: User | AnonymousUser, territory: Territory | None = None) -> CaseQuerySet:
    """The person's own cases (of one territory, or of all: their personal space), newest first,
    with `open_needs` counted."""
    if not isinstance(user, User) or not user.is_authenticated:  # anonymous (or no one)
        return Case.objects.none()
    queryset = Case.objects.filter(applicant=user, erased_at__isnull=True)
    if territory is not None:
        queryset = queryset.for_territory(territory)
    return (
        queryset.select_related("territory", "assigned_to")
        .annotate(open_needs=Count("needs", filter=~Q(needs__state__in=[NeedState.DONE, NeedState.DROPPED])))
        .order_by("-submitted_at", "-id")
    )


def applicant_case_queryset(user: User | AnonymousUser, territory: Territory | None) -> CaseQuerySet:
    """For `get_object_or_404(applicant_case_queryset(request.user, request.territory), pk=pk)`:
    only the person's own, not erased cases of that territory."""
    if not isinstance(user, User) or not user.is_authenticated:  # anonymous (or no one)
        return Case.objects.none()
    return (
        Case.objects.for_territory(territory)
        .filter(applicant=user, erased_at__isnull=True)
        .select_related("territory", "assigned_to", "settlement_commune")
    )


# --- partners -----------------------------------------------------------------------------------


def partner_referents(territory: Territory, organisation: Organisation) -> QuerySet[User]:
    """The users who may receive a referral for `organisation` in `territory`."""
    return User.objects.filter(
        is_active=True,
        memberships__territory=territory,
        memberships__role=Role.PARTNER,
        memberships__organisation=organisation,
    ).distinct()


# --- opportunities --------------------------------------------------------------------------------


def published_opportunities(territory: Territory) -> QuerySet[Opportunity]:
    today = timezone.localdate()
    return (
        Opportunity.objects.for_territory(territory)
        .filter(published=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .select_related("commune", "organisation")
        .order_by("-published_at", "-id")
    )
