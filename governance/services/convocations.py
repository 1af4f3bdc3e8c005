"""Convening a meeting's members (e-mail with an iCalendar invitation), cancelling it, the members'
replies, and the reminder to those who have not answered."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.enums import MeetingKind, MeetingStatus, Reply
from governance.models import AgendaItem, Mandate, MandateQuerySet, Meeting, Participation
from governance.services.common import meeting_path, meeting_when, record_event, require_editor
from portal.events import ics
from portal.models import User


def invited_mandates(meeting: Meeting) -> MandateQuerySet:
    """Who is convened: the body's members on the meeting's day (plenary), or the group's members
    and its professional co-pilot (working group)."""
    day = timezone.localtime(meeting.starts_at).date()
    mandates = Mandate.objects.for_territory(meeting.territory).filter(body_id=meeting.body_id).on(day)
    group = meeting.working_group if meeting.kind == MeetingKind.WORKING_GROUP else None
    if group is not None:
        ids = set(group.members.values_list("pk", flat=True))
        if group.professional_pilot_id:
            ids.add(group.professional_pilot_id)
        mandates = mandates.filter(pk__in=ids)
    return mandates.select_related("user", "organisation")


def convocation_ics(
    meeting: Meeting, mandate: Mandate | None = None, agenda: Sequence[AgendaItem] | None = None
) -> str:
    from portal.notifications.emails import absolute_url

    territory = meeting.territory
    description_lines = [meeting.body.name]
    agenda = list(meeting.agenda.all()) if agenda is None else agenda
    if agenda:
        description_lines.append(_("Ordre du jour :"))
        description_lines += [f"{item.order}. {item.title}" for item in agenda]
    if meeting.video_url:
        description_lines.append(_("Visioconférence : %(url)s") % {"url": meeting.video_url})
    user = mandate.user if mandate is not None and mandate.user_id else None
    return ics.invitation(
        uid=f"meeting-{meeting.pk}-{territory.slug}@guichet-sante",
        sequence=meeting.ics_sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"{meeting.title} — {meeting.body.name}",
        description="\n".join(description_lines),
        location=meeting.place or meeting.video_url,
        url=absolute_url(meeting_path(meeting)),
        organizer_name=territory.name,
        organizer_email=territory.contact_email,
        attendee_name=(user.get_full_name() or user.email) if user else "",
        attendee_email=user.email if user else "",
        cancelled=meeting.status == MeetingStatus.CANCELLED,
    )


@transaction.atomic
def meeting_convene(*, actor: User, meeting: Meeting) -> int:
    """Send the convocations (e-mail with an ICS invitation) to the members; returns how many were
    sent. Sending again (a change of time or place) sends an updated invitation to everyone."""
    from portal.notifications.services import notify

    territory = meeting.territory
    require_editor(actor, territory)
    meeting = (
        Meeting.objects.for_territory(territory)
        .select_related("body", "territory", "working_group")
        .select_for_update(of=("self",))
        .get(pk=meeting.pk)
    )
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
        raise ValidationError(_("On ne convoque pas à une réunion tenue ou annulée."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("Cette réunion a déjà commencé : les convocations ne peuvent plus partir."))
    now = timezone.now()
    mandates = list(invited_mandates(meeting))
    existing = set(
        Participation.objects.for_territory(territory).filter(meeting=meeting).values_list("mandate_id", flat=True)
    )
    Participation.objects.bulk_create(
        Participation(territory=territory, meeting=meeting, mandate=m, convened_at=now)
        for m in mandates
        if m.pk not in existing
    )
    Participation.objects.for_territory(territory).filter(meeting=meeting, mandate_id__in=existing).update(
        convened_at=now
    )
    meeting.ics_sequence += 1 if meeting.convened_at else 0
    meeting.convened_at = now
    meeting.status = MeetingStatus.CONVENED
    meeting.save(update_fields=["ics_sequence", "convened_at", "status"])
    subject = _("Convocation : %(title)s, %(when)s") % {"title": meeting.title, "when": meeting_when(meeting.starts_at)}
    where = meeting.place or meeting.video_url or _("lieu à préciser")
    agenda_items = list(meeting.agenda.all())
    agenda = "\n".join(f"{item.order}. {item.title}" for item in agenda_items)
    body = _(
        "Nous vous convoquons à la réunion « %(title)s » de l'instance %(body)s.\n\n"
        "Date : %(when)s\nLieu : %(where)s\n\nOrdre du jour :\n%(agenda)s\n\n"
        "Merci d'indiquer depuis votre espace si vous viendrez, si vous vous excusez ou si vous donnez "
        "pouvoir à un autre membre. "
        "L'invitation jointe s'ajoute à votre agenda."
    ) % {
        "title": meeting.title,
        "body": meeting.body.name,
        "when": meeting_when(meeting.starts_at),
        "where": where,
        "agenda": agenda or _("(à venir)"),
    }
    sent = 0
    for mandate in mandates:
        if not mandate.user_id:
            continue
        notify(
            territory=territory,
            recipients=[mandate.user],
            kind="governance.convocation",
            subject=subject,
            body=body,
            url=meeting_path(meeting),
            actor=None,
            attachments=[("convocation.ics", convocation_ics(meeting, mandate, agenda_items), "text/calendar")],
        )
        sent += 1
    record_event(territory=territory, actor=actor, verb="meeting_convene", target=meeting)
    return sent


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting) -> int:
    """Cancel a meeting; the members convened receive the cancellation (ICS METHOD:CANCEL)."""
    from portal.notifications.services import notify

    territory = meeting.territory
    require_editor(actor, territory)
    meeting = (
        Meeting.objects.for_territory(territory)
        .select_related("body", "territory")
        .select_for_update(of=("self",))
        .get(pk=meeting.pk)
    )
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
        raise ValidationError(_("Cette réunion est déjà tenue ou annulée."))
    was_convened = meeting.convened_at is not None
    meeting.status = MeetingStatus.CANCELLED
    meeting.ics_sequence += 1
    meeting.save(update_fields=["status", "ics_sequence"])
    sent = 0
    if was_convened:
        agenda_items = list(meeting.agenda.all())
        participations = meeting.participations.select_related("mandate__user", "mandate__organisation")
        for participation in participations:
            if not participation.mandate.user_id:
                continue
            notify(
                territory=territory,
                recipients=[participation.mandate.user],
                kind="governance.cancellation",
                subject=_("Annulation : %(title)s, %(when)s")
                % {"title": meeting.title, "when": meeting_when(meeting.starts_at)},
                body=_("La réunion « %(title)s » de l'instance %(body)s, prévue le %(when)s, est annulée.")
                % {"title": meeting.title, "body": meeting.body.name, "when": meeting_when(meeting.starts_at)},
                url=meeting_path(meeting),
                attachments=[
                    ("annulation.ics", convocation_ics(meeting, participation.mandate, agenda_items), "text/calendar")
                ],
            )
            sent += 1
    record_event(territory=territory, actor=actor, verb="meeting_cancel", target=meeting)
    return sent


def convocation_reminders_send(*, now: datetime | None = None, days_before: int = 3) -> int:
    """System job (beat, daily): remind the members who have not answered a convocation, once,
    `days_before` days before the meeting. Runs across territories; each notification stays in its own."""
    from portal.notifications.services import notify

    now = now or timezone.now()
    pending = (
        Participation.objects.filter(
            reply=Reply.PENDING,
            reminded_at__isnull=True,
            convened_at__isnull=False,
            mandate__user__isnull=False,
            meeting__status=MeetingStatus.CONVENED,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + timedelta(days=days_before),
        )
        .select_related("meeting__body", "meeting__territory", "mandate__user")
        .order_by("meeting_id", "pk")
    )
    sent = 0
    for participation in pending:
        meeting = participation.meeting
        with transaction.atomic():
            claimed = Participation.objects.filter(pk=participation.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:  # another run took it
                continue
            notify(
                territory=meeting.territory,
                recipients=[participation.mandate.user],
                kind="governance.reminder",
                subject=_("Rappel : %(title)s, %(when)s")
                % {"title": meeting.title, "when": meeting_when(meeting.starts_at)},
                body=_(
                    "Vous n'avez pas encore indiqué si vous viendrez à la réunion « %(title)s » de "
                    "l'instance %(body)s. Merci de répondre depuis votre espace, "
                    "ou de donner pouvoir à un autre membre."
                )
                % {"title": meeting.title, "body": meeting.body.name},
                url=meeting_path(meeting),
            )
        sent += 1
    return sent


@transaction.atomic
def reply_record(
    *, actor: User, participation: Participation, reply: str, represented_by: Mandate | None = None
) -> Participation:
    """A member answers a convocation (or the team records the answer for them)."""
    territory = participation.territory
    own = participation.mandate.user_id is not None and participation.mandate.user_id == getattr(actor, "pk", None)
    if not own:
        require_editor(actor, territory)
    if participation.meeting.status in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
        raise ValidationError(_("Cette réunion est close : la réponse ne peut plus changer."))
    if reply not in Reply.values:
        raise ValidationError({"reply": _("Réponse inconnue.")})
    if reply == Reply.REPRESENTED:
        if represented_by is None:
            raise ValidationError({"represented_by": _("Indiquez le membre qui vous représente.")})
        if represented_by.pk == participation.mandate_id:
            raise ValidationError({"represented_by": _("Un membre ne peut pas se représenter lui-même.")})
        if not (
            Participation.objects.for_territory(territory)
            .filter(meeting_id=participation.meeting_id, mandate=represented_by)
            .exists()
        ):
            raise ValidationError({"represented_by": _("Ce membre n'est pas convoqué à cette réunion.")})
    else:
        represented_by = None
    participation.reply = reply
    participation.represented_by = represented_by
    participation.replied_at = timezone.now()
    participation.save(update_fields=["reply", "represented_by", "replied_at"])
    record_event(territory=territory, actor=actor, verb="reply_record", target=participation)
    return participation
