"""Meetings: scheduling (with the agenda), the attendance recorded at the meeting, the minutes."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from governance.enums import Attendance, MeetingKind, MeetingStatus
from governance.models import AgendaItem, Body, Meeting, Participation, WorkingGroup
from governance.services.common import meeting_path, record_event, require_editor, same_territory
from portal.models import User

MINUTES_BUILDER = "governance.reports.build_minutes"


def check_meeting(meeting: Meeting) -> None:
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        raise ValidationError({"ends_at": _("La réunion doit se terminer après son début.")})


@transaction.atomic
def meeting_schedule(
    *,
    actor: User,
    body: Body,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    video_url: str = "",
    working_group: WorkingGroup | None = None,
    agenda: list[str] | tuple[str, ...] = (),
) -> Meeting:
    require_editor(actor, body.territory)
    same_territory(body.territory, working_group)
    if kind == MeetingKind.WORKING_GROUP and working_group is None:
        raise ValidationError({"working_group": _("Choisissez le groupe de travail qui se réunit.")})
    meeting = Meeting(
        territory=body.territory,
        body=body,
        working_group=working_group,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        video_url=video_url,
    )
    check_meeting(meeting)
    meeting.full_clean()
    meeting.save()
    AgendaItem.objects.bulk_create(
        AgendaItem(territory=body.territory, meeting=meeting, order=i, title=item)
        for i, item in enumerate(agenda, start=1)
    )
    record_event(territory=body.territory, actor=actor, verb="meeting_schedule", target=meeting)
    return meeting


@transaction.atomic
def attendance_record(*, actor: User, meeting: Meeting, attendance: dict[int, str]) -> Meeting:
    """Attendance taken on the day: `{participation_pk: Attendance}`; the meeting is then held.

    A member counts as represented only when their representative is present."""
    territory = meeting.territory
    require_editor(actor, territory)
    participations = {
        p.pk: p
        for p in Participation.objects.for_territory(territory).filter(meeting=meeting).select_related("mandate")
    }
    unknown = set(attendance) - set(participations)
    if unknown:
        raise ValidationError(_("Ces personnes ne sont pas convoquées à cette réunion."))
    for pk, value in attendance.items():
        if value not in Attendance.values:
            raise ValidationError(_("Présence inconnue : %(value)s") % {"value": value})
        participations[pk].attendance = value
    present = {p.mandate_id for p in participations.values() if p.attendance == Attendance.PRESENT}
    for participation in participations.values():
        if participation.attendance == Attendance.REPRESENTED and participation.represented_by_id not in present:
            raise ValidationError(
                _("Seul un membre présent peut recevoir le pouvoir de %(member)s.")
                % {"member": participation.mandate.display_name}
            )
    Participation.objects.bulk_update(participations.values(), ["attendance"])
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    record_event(territory=territory, actor=actor, verb="attendance_record", target=meeting)
    return meeting


@transaction.atomic
def minutes_publish(*, actor: User, meeting: Meeting, public: bool | None = None) -> Meeting:
    """Publish the minutes to the members: a PDF is generated and the members are told."""
    from portal.documents.enums import DocumentAudience, DocumentKind
    from portal.documents.services import document_request
    from portal.notifications.services import notify

    territory = meeting.territory
    require_editor(actor, territory)
    if not meeting.minutes.strip():
        raise ValidationError({"minutes": _("Rédigez le compte rendu avant de le publier.")})
    if public is not None:
        meeting.minutes_public = public
    document = document_request(
        actor=actor,
        territory=territory,
        kind=DocumentKind.MINUTES,
        title=_("Compte rendu — %(title)s (%(date)s)")
        % {"title": meeting.title, "date": formats.date_format(timezone.localtime(meeting.starts_at), "d/m/Y")},
        builder=MINUTES_BUILDER,
        params={"body_id": meeting.body_id, "meeting_id": meeting.pk},
        audience=DocumentAudience.PUBLIC if meeting.minutes_public else DocumentAudience.MEMBERS,
    )
    first_time = meeting.minutes_published_at is None
    meeting.minutes_published_at = timezone.now()
    meeting.minutes_document = document
    meeting.save(update_fields=["minutes_public", "minutes_published_at", "minutes_document"])
    if first_time:
        users = [p.mandate.user for p in meeting.participations.select_related("mandate__user") if p.mandate.user_id]
        notify(
            territory=territory,
            recipients=users,
            kind="governance.minutes",
            subject=_("Compte rendu publié : %(title)s") % {"title": meeting.title},
            body=_("Le compte rendu de la réunion « %(title)s » est disponible dans votre espace.")
            % {"title": meeting.title},
            url=meeting_path(meeting),
            actor=actor,
        )
    record_event(territory=territory, actor=actor, verb="minutes_publish", target=meeting)
    return meeting
