"""Reads of the governance app: compositions, quorum, what a member or an elected official sees,
and the figures of the annual report."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext, npgettext

from governance.enums import ActionStatus, Attendance, MeetingKind, MeetingStatus
from governance.models import (
    ActionSheet,
    AnnualReport,
    Body,
    Deliberation,
    Mandate,
    MandateQuerySet,
    Meeting,
    Participation,
    ProgressNote,
    WorkingGroup,
)
from portal.enums import EDITOR_ROLES, Role
from portal.models import Territory, User
from portal.reporting import ReportSection
from portal.tenancy.access import has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import WithAnnotations  # a development dependency: for mypy only


# --- composition ---------------------------------------------------------------------------
def composition_on(body: Body, day: date) -> MandateQuerySet:
    """The mandates running on `day`: who sat on the body that day (past compositions included)."""
    return (
        Mandate.objects.for_territory(body.territory)
        .filter(body=body)
        .on(day)
        .select_related("user", "organisation", "college")
        .order_by("college__name", "position", "organisation__name", "person_name", "pk")
    )


def overlapping_mandates(
    *,
    territory: Territory,
    body_id: int,
    user_id: int | None,
    organisation_id: int | None,
    substitute: bool,
    start: date,
    end: date | None,
    exclude_pk: int | None = None,
) -> MandateQuerySet:
    """Mandates of the same seat whose dates cross [start, end] (end None = open-ended).

    The seat is the person when the mandate names a user account; otherwise the organisation (its
    titular seat and its substitute seat are two seats).
    """
    queryset = Mandate.objects.for_territory(territory).filter(body_id=body_id)
    if user_id:
        queryset = queryset.filter(user_id=user_id)
    elif organisation_id:
        queryset = queryset.filter(user__isnull=True, organisation_id=organisation_id)
        queryset = queryset.filter(position="substitute") if substitute else queryset.exclude(position="substitute")
    else:
        return queryset.none()
    if end is not None:
        queryset = queryset.filter(start_date__lte=end)
    queryset = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset


def member_body_ids(
    user: User | AnonymousUser | None, territory: Territory | None, day: date | None = None
) -> set[int]:
    """Bodies of `territory` where `user` holds a mandate on `day` (today by default)."""
    if territory is None or not isinstance(user, User) or not user.is_authenticated:  # anonymous (or no one)
        return set()
    day = day or timezone.localdate()
    return set(Mandate.objects.for_territory(territory).filter(user=user).on(day).values_list("body_id", flat=True))


def is_body_member(*, user: User | AnonymousUser | None, territory: Territory | None, body_id: int | str) -> bool:
    """Hook for portal.documents.permissions (`document_member_check`)."""
    try:
        return int(body_id) in member_body_ids(user, territory)
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class Reader:
    """What a signed-in person may read of a territory's governance."""

    sees_all: bool  # staff and elected officials: every body of the territory
    is_staff: bool
    body_ids: frozenset[int]

    def may_read_body(self, body_id: int) -> bool:
        return self.sees_all or body_id in self.body_ids


def reader_for(user: User | AnonymousUser | None, territory: Territory) -> Reader:
    is_staff = has_role(user, territory, EDITOR_ROLES)
    sees_all = is_staff or has_role(user, territory, (Role.ELECTED_OFFICIAL,))
    body_ids = (
        frozenset()
        if sees_all
        else frozenset(member_body_ids(user, territory) if has_role(user, territory, (Role.COUNCIL_MEMBER,)) else ())
    )
    return Reader(sees_all=sees_all, is_staff=is_staff, body_ids=body_ids)


def visible_bodies(reader: Reader, territory: Territory) -> QuerySet[Body]:
    bodies = Body.objects.for_territory(territory).filter(is_active=True)
    return bodies if reader.sees_all else bodies.filter(pk__in=reader.body_ids)


# --- meetings ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Quorum:
    voting_members: int
    required: int
    present: int
    represented: int

    @property
    def counted(self) -> int:
        return self.present + self.represented

    @property
    def reached(self) -> bool:
        return self.voting_members > 0 and self.counted >= self.required


def quorum_status(meeting: Meeting) -> Quorum:
    """The body's rule: `numerator/denominator` of its voting members (on the meeting's day),
    present or, when the body allows it, represented by a member who is present."""
    body = meeting.body
    day = timezone.localtime(meeting.starts_at).date()
    voting = (
        Mandate.objects.for_territory(meeting.territory).filter(body=body, is_voting=True).on(day).count()
        if meeting.kind == MeetingKind.PLENARY
        else Participation.objects.for_territory(meeting.territory).filter(meeting=meeting).count()
    )
    counts = (
        Participation.objects.for_territory(meeting.territory)
        .filter(meeting=meeting, mandate__is_voting=True)
        .aggregate(
            present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
            represented=Count("pk", filter=Q(attendance=Attendance.REPRESENTED)),
        )
    )
    represented = counts["represented"] if body.quorum_counts_represented else 0
    required = math.ceil(voting * body.quorum_numerator / body.quorum_denominator)
    return Quorum(voting_members=voting, required=required, present=counts["present"], represented=represented)


class QuorumCounts(TypedDict):
    """The annotations of `with_quorum_counts`."""

    q_day: date
    q_voting: int | None  # NULL when the body has no voting member that day
    q_invited: int
    q_present: int
    q_represented: int


def with_quorum_counts(meetings: QuerySet[Meeting]) -> QuerySet[WithAnnotations[Meeting, QuorumCounts]]:
    """Annotate meetings with what `quorum_from_counts` needs, in the same query (admin list)."""
    voting_on_the_day = (
        Mandate.objects.filter(body=OuterRef("body"), is_voting=True, start_date__lte=OuterRef("q_day"))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("q_day")))
        .order_by()
        .values("body")
        .annotate(n=Count("pk"))
        .values("n")
    )
    voting = Q(participations__mandate__is_voting=True)
    return meetings.annotate(q_day=TruncDate("starts_at")).annotate(
        q_voting=Subquery(voting_on_the_day, output_field=IntegerField()),
        q_invited=Count("participations", distinct=True),
        q_present=Count(
            "participations", filter=voting & Q(participations__attendance=Attendance.PRESENT), distinct=True
        ),
        q_represented=Count(
            "participations", filter=voting & Q(participations__attendance=Attendance.REPRESENTED), distinct=True
        ),
    )


def quorum_from_counts(meeting: WithAnnotations[Meeting, QuorumCounts]) -> Quorum:
    """The same result as `quorum_status`, from the annotations of `with_quorum_counts`."""
    body = meeting.body
    voting = (meeting.q_voting or 0) if meeting.kind == MeetingKind.PLENARY else meeting.q_invited
    represented = meeting.q_represented if body.quorum_counts_represented else 0
    required = math.ceil(voting * body.quorum_numerator / body.quorum_denominator)
    return Quorum(voting_members=voting, required=required, present=meeting.q_present, represented=represented)


def votes_allowed(meeting: Meeting) -> int:
    """Most votes a deliberation of `meeting` can count: voting members present or represented."""
    return (
        Participation.objects.for_territory(meeting.territory)
        .filter(meeting=meeting, mandate__is_voting=True, attendance__in=[Attendance.PRESENT, Attendance.REPRESENTED])
        .count()
    )


def upcoming_meetings(reader: Reader, territory: Territory, *, limit: int = 10) -> QuerySet[Meeting]:
    meetings = (
        Meeting.objects.for_territory(territory)
        .filter(starts_at__gte=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("body", "working_group")
        .prefetch_related("agenda")
        .order_by("starts_at")
    )
    if not reader.sees_all:
        meetings = meetings.filter(body_id__in=reader.body_ids)
    return meetings[:limit]


def published_minutes(reader: Reader, territory: Territory, *, year: int | None = None) -> QuerySet[Meeting]:
    meetings = (
        Meeting.objects.for_territory(territory)
        .filter(minutes_published_at__isnull=False)
        .select_related("body", "minutes_document")
        .order_by("-starts_at")
    )
    if year:
        meetings = meetings.filter(starts_at__year=year)
    if not reader.sees_all:
        meetings = meetings.filter(Q(body_id__in=reader.body_ids) | Q(minutes_public=True))
    return meetings


def visible_reports(reader: Reader, territory: Territory) -> QuerySet[AnnualReport]:
    reports = AnnualReport.objects.for_territory(territory).select_related("body", "document").order_by("-year")
    if not reader.sees_all:
        reports = reports.filter(Q(body_id__in=reader.body_ids) | Q(is_public=True))
    return reports


def reader_may_see_meeting(reader: Reader, meeting: Meeting) -> bool:
    return reader.may_read_body(meeting.body_id)


def participation_of(user: User, meeting: Meeting) -> Participation | None:
    return (
        Participation.objects.for_territory(meeting.territory)
        .filter(meeting=meeting, mandate__user=user)
        .select_related("mandate", "represented_by")
        .first()
    )


# --- figures -------------------------------------------------------------------------------
class YearFigures(TypedDict):
    members: int
    plenary_sessions: int
    group_meetings: int
    attendance_rate: int | None  # None: nobody was invited to a meeting held that year
    deliberations: int
    working_groups: int
    actions_total: int
    actions_in_progress: int
    actions_done: int


def year_figures(*, territory: Territory, year: int) -> YearFigures:
    """Key figures of the governance of `territory` in `year` (a constant number of queries)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    meetings = Meeting.objects.for_territory(territory).filter(starts_at__year=year)
    meeting_counts = meetings.aggregate(
        plenary=Count("pk", filter=Q(kind=MeetingKind.PLENARY, status=MeetingStatus.HELD)),
        group=Count("pk", filter=Q(kind=MeetingKind.WORKING_GROUP, status=MeetingStatus.HELD)),
    )
    attendance = (
        Participation.objects.for_territory(territory)
        .filter(meeting__starts_at__year=year, meeting__status=MeetingStatus.HELD)
        .aggregate(
            invited=Count("pk"),
            present=Count("pk", filter=Q(attendance__in=[Attendance.PRESENT, Attendance.REPRESENTED])),
        )
    )
    actions = ActionSheet.objects.for_territory(territory).aggregate(
        total=Count("pk"),
        in_progress=Count("pk", filter=Q(status=ActionStatus.IN_PROGRESS)),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
    )
    return {
        "members": Mandate.objects.for_territory(territory).during(start, end).count(),
        "plenary_sessions": meeting_counts["plenary"],
        "group_meetings": meeting_counts["group"],
        "attendance_rate": round(100 * attendance["present"] / attendance["invited"])
        if attendance["invited"]
        else None,
        "deliberations": Deliberation.objects.for_territory(territory).filter(year=year).count(),
        "working_groups": WorkingGroup.objects.for_territory(territory).filter(is_active=True).count(),
        "actions_total": actions["total"],
        "actions_in_progress": actions["in_progress"],
        "actions_done": actions["done"],
    }


SECTION_TITLE = _lazy("Gouvernance et Contrat local de santé")


def annual_report_section(*, territory: Territory, year: int) -> ReportSection | None:
    """This app's part of portal.reporting.collect_sections: the governance key figures."""
    figures = year_figures(territory=territory, year=year)
    if not any(value for key, value in figures.items() if key != "attendance_rate"):
        return None
    rate = figures["attendance_rate"]
    return ReportSection(
        title=str(SECTION_TITLE),
        order=10,
        figures=[
            (ngettext("membre des instances", "membres des instances", figures["members"]), str(figures["members"])),
            (
                ngettext("séance plénière tenue", "séances plénières tenues", figures["plenary_sessions"]),
                str(figures["plenary_sessions"]),
            ),
            (
                ngettext("réunion de groupe de travail", "réunions de groupes de travail", figures["group_meetings"]),
                str(figures["group_meetings"]),
            ),
            (_("taux de présence"), f"{rate} %" if rate is not None else "—"),
            (
                npgettext("key figure", "délibération ou avis", "délibérations et avis", figures["deliberations"]),
                str(figures["deliberations"]),
            ),
            (
                ngettext("fiche action en cours", "fiches actions en cours", figures["actions_in_progress"]),
                str(figures["actions_in_progress"]),
            ),
            (
                ngettext("fiche action réalisée", "fiches actions réalisées", figures["actions_done"]),
                str(figures["actions_done"]),
            ),
        ],
    )


def working_groups_with_progress(*, body: Body, year: int) -> QuerySet[WorkingGroup]:
    return (
        WorkingGroup.objects.for_territory(body.territory)
        .filter(body=body)
        .select_related("agent_pilot", "professional_pilot__user", "professional_pilot__organisation")
        .annotate(
            meeting_count=Count(
                "meetings", filter=Q(meetings__starts_at__year=year, meetings__status=MeetingStatus.HELD), distinct=True
            ),
            member_count=Count("members", distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "progress_notes",
                queryset=ProgressNote.objects.filter(written_on__year=year).order_by("written_on"),
                to_attr="notes_of_year",
            )
        )
        .order_by("name")
    )
