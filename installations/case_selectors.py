"""What the coordinator's case page reads (installations/admin/case_page.py), and what the partner's
referrals page reads (installations/admin/referrals.py): a fixed number of queries whatever the
number of needs, messages, notes and events of the case."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from installations.enums import NeedState
from installations.models import Aid, Case, CaseDocument, CaseEvent, FollowUp, Message, Need, Note, Opportunity
from installations.selectors import AidEligibility, case_eligible_aids
from portal.enums import EDITOR_ROLES, Role
from portal.models import Membership, User


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


def case_page_case(queryset: QuerySet[Case], pk: int | str) -> Case | None:
    """The case with what its header shows, read once."""
    return (
        queryset.select_related("territory", "assigned_to", "applicant", "settlement_commune", "possible_duplicate_of")
        .prefetch_related("target_communes")
        .filter(pk=pk)
        .first()
    )


def case_page_data(case: Case) -> CasePageData:
    territory_id = case.territory_id
    needs = list(
        Need.objects.filter(case=case, territory_id=territory_id).select_related(
            "owner", "referred_to", "referent", "referral_answered_by"
        )
    )
    threads: dict[int, list[Note]] = defaultdict(list)
    notes: list[Note] = []
    for note in Note.objects.filter(case=case, territory_id=territory_id).select_related("author"):
        if note.need_id is None:
            notes.append(note)
        else:
            threads[note.need_id].append(note)
    linked_aid_ids = sorted(case.aids.values_list("pk", flat=True))
    linked_opportunity_ids = sorted(case.opportunities.values_list("pk", flat=True))
    # The catalogue offered, and what is linked already even if withdrawn since.
    aids = Aid.objects.filter(Q(active=True) | Q(pk__in=linked_aid_ids), territory_id=territory_id)
    opportunities = Opportunity.objects.filter(
        Q(published=True) | Q(pk__in=linked_opportunity_ids), territory_id=territory_id
    )
    team = list(
        User.objects.filter(is_active=True, memberships__territory_id=territory_id, memberships__role__in=EDITOR_ROLES)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )
    return CasePageData(
        case=case,
        needs=sorted(needs, key=lambda need: (need.state in (NeedState.DONE, NeedState.DROPPED), need.pk)),
        threads=dict(threads),
        notes=notes,
        messages=list(Message.objects.filter(case=case, territory_id=territory_id).select_related("author")),
        events=list(
            CaseEvent.objects.filter(case=case, territory_id=territory_id)
            .select_related("actor")
            .order_by("-created_at", "-pk")
        ),
        documents=list(CaseDocument.objects.filter(case=case, territory_id=territory_id)),
        follow_ups=list(FollowUp.objects.filter(case=case, territory_id=territory_id)),
        aids=list(aids.order_by("name", "pk")),
        linked_aid_ids=linked_aid_ids,
        opportunities=list(opportunities.order_by("title", "pk")),
        linked_opportunity_ids=linked_opportunity_ids,
        eligibility=case_eligible_aids(case),
        team=team,
        referents=partner_referent_memberships(territory_id),
    )


def partner_referent_memberships(territory_id: int) -> list[Membership]:
    """Who may receive a referral in a territory: the active partner referents tied to an
    organisation (the "Orienter vers" choice lists them, and only them)."""
    return list(
        Membership.objects.filter(
            territory_id=territory_id, role=Role.PARTNER, organisation__isnull=False, user__is_active=True
        )
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )


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
