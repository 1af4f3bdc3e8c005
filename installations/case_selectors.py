"""What the coordinator's case page reads (installations/admin/case_page.py), and what the partner's
referrals page reads (installations/admin/referrals.py): a fixed number of queries whatever the
number of needs, messages, notes and events of the case."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import Case as DbCase
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, When

from installations.eligibility import AidEligibility, case_eligible_aids
from installations.enums import NeedState
from installations.models import Aid, Case, CaseDocument, CaseEvent, FollowUp, Message, Need, Note, Opportunity
from portal.enums import EDITOR_ROLES, Role
from portal.models import Commune, Membership, User

_Row = TypeVar("_Row", Note, Message, CaseEvent, CaseDocument, FollowUp)


@dataclass
class CasePageData:
    case: Case
    needs: list[Need]
    # Notes on a need are its thread with the partner referent; the others are the team's.
    threads: dict[int, list[Note]]
    notes: list[Note]
    messages: list[Message]
    events: list[CaseEvent]
    documents: list[CaseDocument]
    follow_ups: list[FollowUp]
    aids: list[Aid]
    linked_aid_ids: list[int]
    opportunities: list[Opportunity]
    linked_opportunity_ids: list[int]
    eligibility: list[AidEligibility]
    team: list[User]
    referents: list[Membership] = field(default_factory=list)


# Of the case this one may duplicate, the page shows a link: its key, territory, reference and date.
_DUPLICATE_UNREAD = tuple(
    f"possible_duplicate_of__{field.name}"
    for field in Case._meta.concrete_fields
    if field.name not in ("id", "territory", "reference", "submitted_at")
)


def case_page_case(queryset: QuerySet[Case], pk: int | str) -> Case | None:
    """The case with what its header shows, read once: its target communes as two columns, their
    ids and their names in the communes' order (`target_commune_ids`, `target_commune_names`)."""
    targets = Case.target_communes.through.objects.filter(case_id=OuterRef("pk"))
    targets = targets.order_by("commune__name", "commune_id")
    cases = (
        queryset.select_related("territory", "assigned_to", "applicant", "settlement_commune", "possible_duplicate_of")
        .defer(*_DUPLICATE_UNREAD)
        .filter(pk=pk)
        .order_by()  # one row: no order to write
    )
    if not _arrays(queryset):
        # The embedded SQLite database has no arrays: the two columns are read by a query of their own.
        case = next(iter(cases[:1]), None)
        if case is not None:
            rows = list(
                Case.target_communes.through.objects.filter(case_id=case.pk)
                .order_by("commune__name", "commune_id")
                .values_list("commune_id", "commune__name")
            )
            case.target_commune_ids = [commune_id for commune_id, _name in rows]  # type: ignore[attr-defined]
            case.target_commune_names = [name for _id, name in rows]  # type: ignore[attr-defined]
        return case
    cases = cases.annotate(
        target_commune_ids=ArraySubquery(targets.values("commune_id")),
        target_commune_names=ArraySubquery(targets.values("commune__name")),
    )
    return next(iter(cases[:1]), None)


def _arrays(queryset: QuerySet[Any]) -> bool:
    """Whether the database reads arrays (PostgreSQL); the embedded SQLite default does not."""
    return connections[queryset.db].vendor == "postgresql"


def case_page_data(case: Case) -> CasePageData:
    territory_id = case.territory_id
    needs = list(
        Need.objects.filter(case=case, territory_id=territory_id)
        .select_related("owner", "referred_to", "referent")
        .order_by()  # sorted below (the model's order joins the case)
    )
    # The case's lists are read without an ORDER BY and sorted here as their models order them (by
    # date then key): a case has tens of rows, and writing the order costs more than sorting them.
    threads: dict[int, list[Note]] = defaultdict(list)
    notes: list[Note] = []
    for note in _in_order(Note.objects.filter(case=case, territory_id=territory_id).select_related("author")):
        if note.need_id is None:
            notes.append(note)
        else:
            threads[note.need_id].append(note)
    # The catalogue offered, and what is linked already even if withdrawn since: one query each, the
    # link read as a column (`linked`), the communes an aid is limited to as an array of ids
    # (`commune_ids`, all the eligibility asks of them: an aid may name hundreds).
    aid_links = Case.aids.through.objects.filter(case_id=case.pk, aid_id=OuterRef("pk"))
    aid_communes = Aid.communes.through.objects.filter(aid_id=OuterRef("pk")).values("commune_id")
    aid_rows: QuerySet[Any] = Aid.objects.filter(territory_id=territory_id).annotate(linked=Exists(aid_links))
    if _arrays(aid_rows):
        aid_rows = aid_rows.annotate(commune_ids=ArraySubquery(aid_communes))
    else:  # SQLite: the eligibility reads the prefetched communes instead
        aid_rows = aid_rows.prefetch_related("communes")
    aids: list[Aid] = list(aid_rows.filter(Q(active=True) | Q(linked=True)).order_by("name", "pk"))
    opportunity_links = Opportunity.cases.through.objects.filter(case_id=case.pk, opportunity_id=OuterRef("pk"))
    opportunities: list[Opportunity] = list(
        Opportunity.objects.filter(territory_id=territory_id)
        .annotate(linked=Exists(opportunity_links))
        .filter(Q(published=True) | Q(linked=True))
        .order_by("title", "pk")
    )
    team, referents = team_and_referents(territory_id)
    return CasePageData(
        case=case,
        needs=sorted(needs, key=lambda need: (need.state in (NeedState.DONE, NeedState.DROPPED), need.pk)),
        threads=dict(threads),
        notes=notes,
        messages=_in_order(Message.objects.filter(case=case, territory_id=territory_id).select_related("author")),
        # The newest first.
        events=_in_order(
            CaseEvent.objects.filter(case=case, territory_id=territory_id).select_related("actor"), reverse=True
        ),
        documents=_in_order(CaseDocument.objects.filter(case=case, territory_id=territory_id)),
        follow_ups=_in_order(FollowUp.objects.filter(case=case, territory_id=territory_id), by="due_date"),
        aids=aids,
        # `linked`: the annotation above.
        linked_aid_ids=sorted(aid.pk for aid in aids if getattr(aid, "linked", False)),
        opportunities=opportunities,
        linked_opportunity_ids=sorted(item.pk for item in opportunities if getattr(item, "linked", False)),
        eligibility=_eligibility(case, aids),
        team=team,
        referents=referents,
    )


def _in_order(queryset: QuerySet[_Row], *, by: str = "created_at", reverse: bool = False) -> list[_Row]:
    """The rows by `by` then key (the models' order), sorted in Python."""
    return sorted(queryset.order_by(), key=lambda row: (getattr(row, by), row.pk), reverse=reverse)


def _eligibility(case: Case, aids: list[Aid]) -> list[AidEligibility]:
    """The active aids of the catalogue, already read with their communes' ids; the case's first
    target commune read only when an aid may depend on it (no settlement commune)."""
    active = [aid for aid in aids if aid.active]
    target_ids = getattr(case, "target_commune_ids", None)
    if target_ids is None:  # a case not read by case_page_case
        return case_eligible_aids(case, aids=active)
    targets = []
    if active and case.settlement_commune_id is None and target_ids:
        targets = [Commune.objects.get(pk=target_ids[0])]
    return case_eligible_aids(case, aids=active, target_communes=targets)


def team_and_referents(territory_id: int) -> tuple[list[User], list[Membership]]:
    """The territory's team (the active coordinators and managers: a need's possible owners) and who
    may receive a referral (the active partner referents tied to an organisation: the "Orienter
    vers" choice lists them, and only them), read together."""
    memberships = (
        Membership.objects.filter(territory_id=territory_id, user__is_active=True)
        .filter(Q(role__in=EDITOR_ROLES) | Q(role=Role.PARTNER, organisation__isnull=False))
        .select_related("user", "organisation")
        # The referents by organisation then name; the team (no organisation key) by name.
        .order_by(
            DbCase(When(role=Role.PARTNER, then=F("organisation__name"))),
            "user__last_name",
            "user__first_name",
            "user__email",
        )
    )
    team: dict[int, User] = {}
    referents = []
    for membership in memberships:
        if membership.role == Role.PARTNER:
            referents.append(membership)
        else:
            team.setdefault(membership.user_id, membership.user)
    return list(team.values()), referents


def referrals_of(user: User, territory_ids: set[int]) -> QuerySet[Need]:
    """The needs referred to a partner referent, in the territories where they hold the role, the
    most urgent first (due date, then the oldest referral)."""
    return (
        Need.objects.filter(territory_id__in=territory_ids, referent=user, referred_at__isnull=False)
        .select_related("case", "case__territory", "referred_to", "owner", "case__assigned_to")
        .order_by("referral_answer", "due_date", "referred_at", "pk")
    )


def referral_detail(user: User, territory_ids: set[int], pk: int) -> Need | None:
    return (
        referrals_of(user, territory_ids)
        .prefetch_related(
            Prefetch("notes", queryset=Note.objects.select_related("author").order_by("created_at", "pk")),
            "case__target_communes",
        )
        .filter(pk=pk)
        .first()
    )
