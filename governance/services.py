"""Writes of the governance app. Each takes the acting user, checks what they may do, writes and
records the event in GovernanceEvent."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from governance import ics, selectors
from governance.enums import (
    Attendance,
    MeetingKind,
    MeetingStatus,
    Position,
    Reply,
)
from governance.models import (
    AgendaItem,
    AnnualReport,
    Body,
    Deliberation,
    GovernanceEvent,
    Indicator,
    IndicatorValue,
    Mandate,
    Meeting,
    Participation,
    ProgressNote,
    WorkingGroup,
)
from portal.enums import EDITOR_ROLES
from portal.tenancy.access import has_role

ANNUAL_REPORT_BUILDER = "governance.reports.build_annual_report"
MINUTES_BUILDER = "governance.reports.build_minutes"
REGISTER_BUILDER = "governance.reports.build_register"


# --- helpers -------------------------------------------------------------------------------
def _require_editor(actor, territory) -> None:
    if not has_role(actor, territory, EDITOR_ROLES):
        raise PermissionDenied(_("Seule l'équipe du territoire peut faire cette opération."))


def _event(*, territory, actor, verb: str, target) -> None:
    GovernanceEvent.objects.create(territory=territory, actor=actor, verb=verb, target=str(target)[:255])


def _same_territory(territory, *objects) -> None:
    for obj in objects:
        if obj is not None and obj.territory_id != territory.pk:
            raise ValidationError(_("Cet élément appartient à un autre territoire."))


def _lock_body(body: Body) -> Body:
    # Serialises the writes that count rows of a body (register numbers, overlapping mandates).
    return Body.objects.for_territory(body.territory).select_for_update().get(pk=body.pk)


def _meeting_path(meeting: Meeting) -> str:
    try:
        return reverse("governance:meeting_detail", kwargs={"territory_slug": meeting.territory.slug, "pk": meeting.pk})
    except NoReverseMatch:  # the pages are not mounted: the e-mail goes without a link
        return ""


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return formats.date_format(local, "l j F Y à H\\hi")


# --- mandates ------------------------------------------------------------------------------
def check_mandate(mandate: Mandate) -> None:
    """Field errors of a mandate: dates in order and no overlapping mandate for the same seat."""
    errors = {}
    if mandate.end_date and mandate.start_date and mandate.end_date < mandate.start_date:
        errors["end_date"] = _("La fin du mandat ne peut pas précéder son début.")
    if not (mandate.user_id or mandate.organisation_id or mandate.person_name):
        errors["user"] = _("Indiquez la personne, ou l'organisation représentée.")
    if mandate.college is not None and mandate.body_id and mandate.college.body_id != mandate.body_id:
        errors["college"] = _("Ce collège appartient à une autre instance.")
    if not errors and mandate.start_date:
        overlapping = selectors.overlapping_mandates(
            territory=mandate.territory,
            body_id=mandate.body_id,
            user_id=mandate.user_id,
            organisation_id=mandate.organisation_id,
            substitute=mandate.position == Position.SUBSTITUTE,
            start=mandate.start_date,
            end=mandate.end_date,
            exclude_pk=mandate.pk,
        ).first()
        if overlapping is not None:
            end = (
                _("au %(date)s") % {"date": formats.date_format(overlapping.end_date, "d/m/Y")}
                if overlapping.end_date
                else _("sans date de fin")
            )
            errors["start_date"] = _(
                "Ce siège est déjà occupé sur ces dates : un mandat court du %(start)s %(end)s. "
                "Terminez-le avant d'en ouvrir un nouveau."
            ) % {"start": formats.date_format(overlapping.start_date, "d/m/Y"), "end": end}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mandate_add(
    *,
    actor,
    body: Body,
    category: str,
    start_date: date,
    position: str = Position.MEMBER,
    college=None,
    user=None,
    organisation=None,
    person_name: str = "",
    is_voting: bool = True,
    end_date: date | None = None,
) -> Mandate:
    _require_editor(actor, body.territory)
    _same_territory(body.territory, college, organisation)
    body = _lock_body(body)
    mandate = Mandate(
        territory=body.territory,
        body=body,
        college=college,
        user=user,
        organisation=organisation,
        person_name=person_name,
        category=category,
        position=position,
        is_voting=is_voting and position != Position.SUBSTITUTE,
        start_date=start_date,
        end_date=end_date,
    )
    check_mandate(mandate)
    mandate.full_clean()
    mandate.save()
    _event(territory=body.territory, actor=actor, verb="mandate_add", target=mandate)
    return mandate


@transaction.atomic
def mandate_save(*, actor, mandate: Mandate) -> Mandate:
    """Create or change a mandate built by a form (the admin), with the same checks as mandate_add."""
    _require_editor(actor, mandate.territory)
    _lock_body(mandate.body)
    check_mandate(mandate)
    created = mandate.pk is None
    mandate.save()
    _event(
        territory=mandate.territory, actor=actor, verb="mandate_add" if created else "mandate_change", target=mandate
    )
    return mandate


@transaction.atomic
def mandate_end(*, actor, mandate: Mandate, end_date: date) -> Mandate:
    _require_editor(actor, mandate.territory)
    mandate.end_date = end_date
    check_mandate(mandate)
    mandate.save(update_fields=["end_date"])
    _event(territory=mandate.territory, actor=actor, verb="mandate_end", target=mandate)
    return mandate


# --- meetings ------------------------------------------------------------------------------
def check_meeting(meeting: Meeting) -> None:
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        raise ValidationError({"ends_at": _("La réunion doit se terminer après son début.")})


@transaction.atomic
def meeting_schedule(
    *,
    actor,
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
    _require_editor(actor, body.territory)
    _same_territory(body.territory, working_group)
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
    _event(territory=body.territory, actor=actor, verb="meeting_schedule", target=meeting)
    return meeting


def invited_mandates(meeting: Meeting):
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


def convocation_ics(meeting: Meeting, mandate: Mandate | None = None, agenda=None) -> str:
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
    return ics.meeting_invitation(
        uid=f"meeting-{meeting.pk}-{territory.slug}@guichet-sante",
        sequence=meeting.ics_sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"{meeting.title} — {meeting.body.name}",
        description="\n".join(description_lines),
        location=meeting.place or meeting.video_url,
        url=absolute_url(_meeting_path(meeting)),
        organizer_name=territory.name,
        organizer_email=territory.contact_email,
        attendee_name=(user.get_full_name() or user.email) if user else "",
        attendee_email=user.email if user else "",
        cancelled=meeting.status == MeetingStatus.CANCELLED,
    )


@transaction.atomic
def meeting_convene(*, actor, meeting: Meeting) -> int:
    """Send the convocations (e-mail with an ICS invitation) to the members; returns how many were
    sent. Sending again (a change of time or place) sends an updated invitation to everyone."""
    from portal.notifications.services import notify

    territory = meeting.territory
    _require_editor(actor, territory)
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
    subject = _("Convocation : %(title)s, %(when)s") % {"title": meeting.title, "when": _when(meeting.starts_at)}
    where = meeting.place or meeting.video_url or _("lieu à préciser")
    agenda_items = list(meeting.agenda.all())
    agenda = "\n".join(f"{item.order}. {item.title}" for item in agenda_items)
    body = _(
        "Vous êtes convoqué·e à la réunion « %(title)s » de l'instance %(body)s.\n\n"
        "Date : %(when)s\nLieu : %(where)s\n\nOrdre du jour :\n%(agenda)s\n\n"
        "Merci d'indiquer si vous serez présent·e, excusé·e ou représenté·e, depuis votre espace. "
        "L'invitation jointe s'ajoute à votre agenda."
    ) % {
        "title": meeting.title,
        "body": meeting.body.name,
        "when": _when(meeting.starts_at),
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
            url=_meeting_path(meeting),
            actor=None,
            attachments=[("convocation.ics", convocation_ics(meeting, mandate, agenda_items), "text/calendar")],
        )
        sent += 1
    _event(territory=territory, actor=actor, verb="meeting_convene", target=meeting)
    return sent


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting) -> int:
    """Cancel a meeting; the members convened receive the cancellation (ICS METHOD:CANCEL)."""
    from portal.notifications.services import notify

    territory = meeting.territory
    _require_editor(actor, territory)
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
                % {"title": meeting.title, "when": _when(meeting.starts_at)},
                body=_("La réunion « %(title)s » de l'instance %(body)s, prévue le %(when)s, est annulée.")
                % {"title": meeting.title, "body": meeting.body.name, "when": _when(meeting.starts_at)},
                url=_meeting_path(meeting),
                attachments=[
                    ("annulation.ics", convocation_ics(meeting, participation.mandate, agenda_items), "text/calendar")
                ],
            )
            sent += 1
    _event(territory=territory, actor=actor, verb="meeting_cancel", target=meeting)
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
                subject=_("Rappel : %(title)s, %(when)s") % {"title": meeting.title, "when": _when(meeting.starts_at)},
                body=_(
                    "Vous n'avez pas encore indiqué si vous serez présent·e à la réunion « %(title)s » de "
                    "l'instance %(body)s. Merci de répondre depuis votre espace, "
                    "ou de donner pouvoir à un autre membre."
                )
                % {"title": meeting.title, "body": meeting.body.name},
                url=_meeting_path(meeting),
            )
        sent += 1
    return sent


@transaction.atomic
def reply_record(*, actor, participation: Participation, reply: str, represented_by: Mandate | None = None):
    """A member answers a convocation (or the team records the answer for them)."""
    territory = participation.territory
    own = participation.mandate.user_id is not None and participation.mandate.user_id == getattr(actor, "pk", None)
    if not own:
        _require_editor(actor, territory)
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
    _event(territory=territory, actor=actor, verb="reply_record", target=participation)
    return participation


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, attendance: dict[int, str]) -> Meeting:
    """Attendance taken on the day: `{participation_pk: Attendance}`; the meeting is then held.

    A member counts as represented only when their representative is present."""
    territory = meeting.territory
    _require_editor(actor, territory)
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
                _("%(member)s ne peut être représenté·e que par un membre présent.")
                % {"member": participation.mandate.display_name}
            )
    Participation.objects.bulk_update(participations.values(), ["attendance"])
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    _event(territory=territory, actor=actor, verb="attendance_record", target=meeting)
    return meeting


@transaction.atomic
def minutes_publish(*, actor, meeting: Meeting, public: bool | None = None):
    """Publish the minutes to the members: a PDF is generated and the members are told."""
    from portal.documents.enums import DocumentAudience, DocumentKind
    from portal.documents.services import document_request
    from portal.notifications.services import notify

    territory = meeting.territory
    _require_editor(actor, territory)
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
            url=_meeting_path(meeting),
            actor=actor,
        )
    _event(territory=territory, actor=actor, verb="minutes_publish", target=meeting)
    return meeting


# --- register ------------------------------------------------------------------------------
def check_votes(*, meeting: Meeting | None, body: Body, decided_on: date, votes_for, votes_against, abstentions):
    total = (votes_for or 0) + (votes_against or 0) + (abstentions or 0)
    if meeting is not None:
        allowed = selectors.votes_allowed(meeting)
        what = _("membres présents ou représentés")
    else:
        allowed = Mandate.objects.for_territory(body.territory).filter(body=body, is_voting=True).on(decided_on).count()
        what = _("membres ayant voix délibérative")
    if total > allowed:
        raise ValidationError(
            {
                "votes_for": _(
                    "Les votes exprimés (%(total)s : pour, contre et abstentions) dépassent le nombre de "
                    "%(what)s (%(allowed)s)."
                )
                % {"total": total, "what": what, "allowed": allowed}
            }
        )


@transaction.atomic
def deliberation_record(
    *,
    actor,
    body: Body,
    kind: str,
    title: str,
    decided_on: date,
    outcome: str,
    votes_for: int = 0,
    votes_against: int = 0,
    abstentions: int = 0,
    text: str = "",
    meeting: Meeting | None = None,
) -> Deliberation:
    """Record a deliberation or an opinion under the next number of the body's register for the year."""
    _require_editor(actor, body.territory)
    _same_territory(body.territory, meeting)
    if meeting is not None and meeting.body_id != body.pk:
        raise ValidationError({"meeting": _("Cette séance est celle d'une autre instance.")})
    body = _lock_body(body)
    check_votes(
        meeting=meeting,
        body=body,
        decided_on=decided_on,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
    )
    last = (
        Deliberation.objects.for_territory(body.territory)
        .filter(body=body, year=decided_on.year)
        .aggregate(last=Max("number"))["last"]
    )
    deliberation = Deliberation(
        territory=body.territory,
        body=body,
        meeting=meeting,
        year=decided_on.year,
        number=(last or 0) + 1,
        kind=kind,
        title=title,
        text=text,
        decided_on=decided_on,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        outcome=outcome,
    )
    deliberation.full_clean()
    deliberation.save()
    _event(territory=body.territory, actor=actor, verb="deliberation_record", target=deliberation)
    return deliberation


@transaction.atomic
def register_request(*, actor, body: Body, year: int):
    from portal.documents.enums import DocumentAudience, DocumentKind
    from portal.documents.services import document_request

    _require_editor(actor, body.territory)
    document = document_request(
        actor=actor,
        territory=body.territory,
        kind=DocumentKind.REGISTER,
        title=_("Registre des délibérations et avis %(year)s — %(body)s") % {"year": year, "body": body.name},
        builder=REGISTER_BUILDER,
        params={"body_id": body.pk, "year": year},
        audience=DocumentAudience.MEMBERS,
    )
    _event(territory=body.territory, actor=actor, verb="register_request", target=document)
    return document


# --- working groups and the action plan ----------------------------------------------------
@transaction.atomic
def progress_note_add(*, actor, working_group: WorkingGroup, text: str, written_on: date | None = None):
    _require_editor(actor, working_group.territory)
    note = ProgressNote.objects.create(
        territory=working_group.territory,
        working_group=working_group,
        text=text,
        written_on=written_on or timezone.localdate(),
        author=actor,
    )
    _event(territory=working_group.territory, actor=actor, verb="progress_note_add", target=note)
    return note


@transaction.atomic
def indicator_value_set(*, actor, indicator: Indicator, year: int, target=None, measured=None) -> IndicatorValue:
    _require_editor(actor, indicator.territory)
    value, _created = IndicatorValue.objects.update_or_create(
        territory=indicator.territory, indicator=indicator, year=year, defaults={"target": target, "measured": measured}
    )
    _event(territory=indicator.territory, actor=actor, verb="indicator_value_set", target=value)
    return value


# --- annual report -------------------------------------------------------------------------
@transaction.atomic
def report_request(*, actor, body: Body, year: int, public: bool | None = None) -> AnnualReport:
    """(Re)generate the annual report of `body` for `year`; the PDF is built by a worker."""
    from portal.documents.enums import DocumentAudience, DocumentKind
    from portal.documents.services import document_request

    _require_editor(actor, body.territory)
    report, _created = AnnualReport.objects.get_or_create(territory=body.territory, body=body, year=year)
    if public is not None:
        report.is_public = public
    report.document = document_request(
        actor=actor,
        territory=body.territory,
        kind=DocumentKind.ANNUAL_REPORT,
        title=_("Bilan annuel %(year)s — %(body)s") % {"year": year, "body": body.name},
        builder=ANNUAL_REPORT_BUILDER,
        params={"body_id": body.pk, "year": year},
        audience=DocumentAudience.PUBLIC if report.is_public else DocumentAudience.MEMBERS,
    )
    report.save(update_fields=["document", "is_public"])
    _event(territory=body.territory, actor=actor, verb="report_request", target=report)
    return report


@transaction.atomic
def report_mark_sent(*, actor, report: AnnualReport, on: date | None = None) -> AnnualReport:
    _require_editor(actor, report.territory)
    report.sent_to_council_at = on or timezone.localdate()
    if report.noted_at and report.noted_at < report.sent_to_council_at:
        raise ValidationError(
            {"sent_to_council_at": _("La transmission ne peut pas suivre la prise d'acte du conseil communautaire.")}
        )
    report.save(update_fields=["sent_to_council_at"])
    _event(territory=report.territory, actor=actor, verb="report_mark_sent", target=report)
    return report


@transaction.atomic
def report_mark_noted(*, actor, report: AnnualReport, on: date | None = None) -> AnnualReport:
    _require_editor(actor, report.territory)
    on = on or timezone.localdate()
    if report.sent_to_council_at is None:
        raise ValidationError(
            {"noted_at": _("Indiquez d'abord la date de transmission du bilan au conseil communautaire.")}
        )
    if on < report.sent_to_council_at:
        raise ValidationError({"noted_at": _("Le conseil ne peut pas prendre acte du bilan avant de l'avoir reçu.")})
    report.noted_at = on
    report.save(update_fields=["noted_at"])
    _event(territory=report.territory, actor=actor, verb="report_mark_noted", target=report)
    return report
