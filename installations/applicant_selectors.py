"""What the applicant's own pages read (their case page, the cases of their personal space), with
as few queries as the page allows: each ORM query costs ~0.7 ms of CPU to compile, more than most
of these pages' rows cost to show."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import get_object_or_404

from installations.eligibility import AidEligibility, aid_catalogue, aid_eligibility
from installations.models import Aid, Case, CaseDocument, CaseEvent, Message, Need, Opportunity
from installations.selectors import applicant_case_queryset, applicant_cases
from portal.enums import zoning_profession
from portal.models import Commune, CommuneZoning, Territory, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


# What the case page shows of a case, of a message: the columns read (a case has some sixty, a user
# twenty; compiling them costs more than reading the rows). A column read elsewhere would cost a query
# per case: the pinned query counts (tests/installations/test_applicant_space.py) would show it.
CASE_PAGE_COLUMNS = (
    "territory_id",
    "reference",
    "status",
    "submitted_at",
    "profession",
    "specialty",
    "settlement_date",
    "household_consent",
    "household_consent_at",
    "household_retention_until",
    *("assigned_to__first_name", "assigned_to__last_name", "assigned_to__email"),
    *("settlement_commune__name", "settlement_commune__insee_code"),
)
MESSAGE_COLUMNS = (
    "case",
    "from_applicant",
    "body",
    "created_at",
    "author__first_name",
    "author__last_name",
    "author__email",
)


def applicant_case_for_page(user: User | AnonymousUser, territory: Territory, pk: int) -> Case:
    """The person's own case of this territory, with what its page shows (404 for anything else)."""
    cases = (
        applicant_case_queryset(user, territory)
        .select_related(None)
        .select_related("assigned_to", "settlement_commune")
    )
    case = get_object_or_404(cases.only(*CASE_PAGE_COLUMNS), pk=pk)
    case.territory = territory  # the request's: read already, and the case is of it
    return case


def territory_cases(user: User | AnonymousUser, territory: Territory) -> list[Case]:
    """The person's own cases of this territory for their list, newest first, with `open_needs`
    counted: the columns the list shows."""
    shown = ("reference", "status", "submitted_at", "assigned_to__first_name", "assigned_to__last_name")
    return list(applicant_cases(user, territory).select_related(None).select_related("assigned_to").only(*shown))


class ApplicantCasePage(TypedDict):
    needs: list[Need]
    events: list[CaseEvent]
    messages: list[Message]
    documents: list[CaseDocument]
    aids: list[Aid]
    eligible_aids: list[AidEligibility]
    opportunities: list[Opportunity]
    target_communes: list[Commune]


def applicant_case_page(case: Case) -> ApplicantCasePage:
    """What the applicant's case page shows: never the private notes nor the internal events.

    Keys: needs, events (public timeline), messages, documents, aids (linked by the coordinator),
    eligible_aids (AidEligibility list for the case's profession and commune), opportunities
    (published, linked to the case), target_communes. Seven queries whatever the rows.
    """
    target_communes = list(case.target_communes.all())
    commune = case.settlement_commune or (target_communes[0] if target_communes else None)
    catalogue = _case_aid_catalogue(case, commune)
    return {
        "needs": list(case.needs.all()),
        # The timeline shows when and what, never who: no actor read.
        "events": list(case.events.filter(public=True).only("case", "created_at", "summary")),
        "messages": list(case.messages.select_related("author").only(*MESSAGE_COLUMNS)),
        "documents": list(case.documents.all()),
        "aids": [aid for aid in catalogue if aid.linked],  # type: ignore[attr-defined]  # annotated
        "eligible_aids": _eligibility(case, commune, catalogue),
        "opportunities": list(case.opportunities.filter(published=True).select_related("commune")),
        "target_communes": target_communes,
    }


def _case_aid_catalogue(case: Case, commune: Commune | None) -> list[Aid]:
    """The territory's active aids in one query, each with: `linked` (the coordinator linked it to
    the case), `limited` (offered only in some communes) and, when there is a commune to judge,
    `offered_here`, `covered` (the commune is on the territory) and `zone` (its zone in the zoning of
    the case's profession, None while not imported): what `eligibility.eligible_aids` reads in four."""
    links = Aid.communes.through.objects.filter(aid_id=OuterRef("pk"))
    aids = aid_catalogue(case.territory).annotate(
        linked=Exists(Case.aids.through.objects.filter(case_id=case.pk, aid_id=OuterRef("pk"))),
        limited=Exists(links),
    )
    if commune is not None:
        zoning = zoning_profession(case.profession)
        zones = CommuneZoning.objects.filter(commune_id=commune.pk, profession=zoning).values("zone")[:1]
        covered = Territory.communes.through.objects.filter(territory_id=case.territory_id, commune_id=commune.pk)
        aids = aids.annotate(offered_here=Exists(links.filter(commune_id=commune.pk)), covered=Exists(covered))
        if zoning is not None:
            aids = aids.annotate(zone=Subquery(zones))
    return list(aids)


def _eligibility(case: Case, commune: Commune | None, catalogue: list[Aid]) -> list[AidEligibility]:
    """`eligibility.case_eligible_aids` from the annotated catalogue (the same verdicts and order)."""
    results = []
    for aid in catalogue:
        # The verdict asks only whether the aid is limited and whether the commune is among its
        # communes: a set that answers both (never the aid's whole list, hundreds for a département).
        aid_communes: set[int] = set()
        # The annotations of _case_aid_catalogue:
        limited, offered_here, covered = (getattr(aid, name, False) for name in ("limited", "offered_here", "covered"))
        if limited:
            aid_communes = {commune.pk} if commune is not None and offered_here else {0}
        covered = commune is not None and covered
        results.append(
            aid_eligibility(
                aid,
                profession=case.profession,
                commune=commune,
                covered_ids={commune.pk} if covered and commune is not None else set(),
                zone=getattr(aid, "zone", None),
                aid_communes=aid_communes,
            )
        )
    order = {True: 0, None: 1, False: 2}
    return sorted(results, key=lambda r: order[r.eligible])


def space_cases(user: User | AnonymousUser) -> list[Case]:
    """The person's own cases of every territory for their personal space, newest first, in one
    query: the list shows each one's territory, status and household consent, never a count."""
    if not isinstance(user, User) or not user.is_authenticated:  # anonymous (or no one)
        return []
    # Only the columns shown: a case has some sixty, and compiling them costs more than the query.
    shown = ("reference", "status", "household_consent", "household_consent_at", "household_retention_until")
    cases = Case.objects.filter(applicant=user, erased_at__isnull=True).select_related("territory")
    return list(cases.only(*shown, "territory__slug", "territory__name").order_by("-submitted_at", "-id"))
