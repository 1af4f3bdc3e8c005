import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance import selectors
from governance.enums import Attendance, MeetingKind, MeetingStatus, Reply
from governance.models import Meeting, Participation
from governance.services.convocations import meeting_cancel, meeting_convene, reply_record
from governance.services.meetings import attendance_record, meeting_schedule, minutes_publish
from portal.notifications.models import Notification
from tests.events.test_ics import ics_properties, ics_unescape
from tests.governance.factories import MandateFactory, MeetingFactory, ParticipationFactory
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


def _future(days=20, hour=18):
    return (timezone.localtime() + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def test_meeting_ending_before_it_starts_is_refused_next_to_the_end(body_a, coordinator_a):
    start = _future()
    with pytest.raises(ValidationError) as error:
        meeting_schedule(
            actor=coordinator_a,
            body=body_a,
            kind=MeetingKind.PLENARY,
            title="Séance plénière",
            starts_at=start,
            ends_at=start - dt.timedelta(hours=1),
        )
    assert error.value.message_dict["ends_at"] == ["La réunion doit se terminer après son début."]
    assert not Meeting.objects.for_territory(body_a.territory).exists()


def test_admin_keeps_what_was_typed_and_shows_the_error_next_to_the_end(body_a, coordinator_a, login):
    response = login(coordinator_a).post(
        "/admin/governance/meeting/add/",
        {
            "territory": body_a.territory.pk,
            "body": body_a.pk,
            "kind": "plenary",
            "title": "Séance de printemps",
            "starts_at_0": "12/03/2030",
            "starts_at_1": "18:00",
            "ends_at_0": "12/03/2030",
            "ends_at_1": "17:00",
            "status": "scheduled",
            **{
                f"{prefix}-{key}": value
                for prefix in ("agenda", "documents", "participations")
                for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
            },
        },
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["ends_at"] == ["La réunion doit se terminer après son début."]
    assert 'value="Séance de printemps"' in response.content.decode()


def test_convening_writes_a_notification_with_an_ics_invitation_per_member(body_a, coordinator_a):
    meeting = meeting_schedule(
        actor=coordinator_a,
        body=body_a,
        kind=MeetingKind.PLENARY,
        title="Séance plénière de printemps",
        starts_at=_future(),
        ends_at=_future() + dt.timedelta(hours=2),
        place="Salle du conseil, Cherbourg",
        agenda=["Adoption du programme de travail", "Avis sur le projet de MSP"],
    )
    with_account = MandateFactory(territory=body_a.territory, body=body_a, user=UserFactory(email="anne@exemple.fr"))
    MandateFactory(territory=body_a.territory, body=body_a, organisation_seat=True)  # no account: no e-mail
    MandateFactory(territory=body_a.territory, body=body_a, ended=True)  # no longer a member

    sent = meeting_convene(actor=coordinator_a, meeting=meeting)

    assert sent == 1
    assert Participation.objects.for_territory(body_a.territory).filter(meeting=meeting).count() == 2
    notification = Notification.objects.for_territory(body_a.territory).get(recipient=with_account.user)
    assert notification.kind == "governance.convocation"
    assert "Séance plénière de printemps" in notification.subject
    assert "Adoption du programme de travail" in notification.body
    [[filename, content, mimetype]] = notification.attachments
    assert (filename, mimetype) == ("convocation.ics", "text/calendar")
    props = ics_properties(content)
    assert ics_unescape(props["SUMMARY"]).startswith("Séance plénière de printemps")
    assert ics_unescape(props["LOCATION"]) == "Salle du conseil, Cherbourg"
    assert props["ATTENDEE"].endswith("mailto:anne@exemple.fr")
    assert "1. Adoption du programme de travail" in ics_unescape(props["DESCRIPTION"])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONVENED


def test_convening_again_bumps_the_invitation_sequence(body_a, coordinator_a):
    meeting = MeetingFactory(territory=body_a.territory, body=body_a)
    member = MandateFactory(territory=body_a.territory, body=body_a)
    meeting_convene(actor=coordinator_a, meeting=meeting)
    meeting_convene(actor=coordinator_a, meeting=meeting)
    sequences = sorted(
        ics_properties(n.attachments[0][1])["SEQUENCE"]
        for n in Notification.objects.for_territory(body_a.territory).filter(recipient=member.user)
    )
    assert sequences == ["0", "1"]


def test_a_member_replies_represented_by_another_convened_member(body_a):
    meeting = MeetingFactory(territory=body_a.territory, body=body_a)
    mine = ParticipationFactory(territory=body_a.territory, meeting=meeting)
    other = ParticipationFactory(territory=body_a.territory, meeting=meeting)
    reply_record(actor=mine.mandate.user, participation=mine, reply=Reply.REPRESENTED, represented_by=other.mandate)
    mine.refresh_from_db()
    assert (mine.reply, mine.represented_by) == (Reply.REPRESENTED, other.mandate)
    with pytest.raises(ValidationError, match="Indiquez le membre"):
        reply_record(actor=mine.mandate.user, participation=mine, reply=Reply.REPRESENTED)


def test_quorum_counts_present_and_represented_voting_members(body_a, coordinator_a):
    body_a.quorum_numerator, body_a.quorum_denominator = 1, 2
    body_a.save()
    meeting = MeetingFactory(territory=body_a.territory, body=body_a)
    participations = [ParticipationFactory(territory=body_a.territory, meeting=meeting) for _ in range(6)]
    MandateFactory(territory=body_a.territory, body=body_a, substitute=True)  # not a voting member
    reply_record(
        actor=coordinator_a,
        participation=participations[2],
        reply=Reply.REPRESENTED,
        represented_by=participations[0].mandate,
    )
    attendance = {p.pk: Attendance.ABSENT for p in participations}
    attendance[participations[0].pk] = Attendance.PRESENT
    attendance[participations[1].pk] = Attendance.PRESENT
    attendance[participations[2].pk] = Attendance.REPRESENTED
    attendance_record(actor=coordinator_a, meeting=meeting, attendance=attendance)

    quorum = selectors.quorum_status(meeting)
    assert (quorum.voting_members, quorum.required, quorum.present, quorum.represented) == (6, 3, 2, 1)
    assert quorum.reached

    body_a.quorum_counts_represented = False
    body_a.save()
    meeting.refresh_from_db()
    assert not selectors.quorum_status(meeting).reached


def test_represented_member_needs_a_representative_present(body_a, coordinator_a):
    meeting = MeetingFactory(territory=body_a.territory, body=body_a)
    a = ParticipationFactory(territory=body_a.territory, meeting=meeting)
    b = ParticipationFactory(territory=body_a.territory, meeting=meeting)
    reply_record(actor=coordinator_a, participation=a, reply=Reply.REPRESENTED, represented_by=b.mandate)
    with pytest.raises(ValidationError, match="Seul un membre présent peut recevoir le pouvoir"):
        attendance_record(
            actor=coordinator_a, meeting=meeting, attendance={a.pk: Attendance.REPRESENTED, b.pk: Attendance.ABSENT}
        )


def test_publishing_minutes_notifies_the_convened_members(body_a, coordinator_a, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(territory=body_a.territory, body=body_a, held=True, minutes="Le conseil a adopté…")
    p = ParticipationFactory(territory=body_a.territory, meeting=meeting)
    minutes_publish(actor=coordinator_a, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is not None
    assert meeting.minutes_document.kind == "minutes"
    assert (
        Notification.objects.for_territory(body_a.territory)
        .filter(recipient=p.mandate.user, kind="governance.minutes")
        .exists()
    )


def test_minutes_cannot_be_published_empty(body_a, coordinator_a):
    meeting = MeetingFactory(territory=body_a.territory, body=body_a, held=True)
    with pytest.raises(ValidationError, match="Rédigez le compte rendu"):
        minutes_publish(actor=coordinator_a, meeting=meeting)


def _inline_management(prefix, total):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}


def test_admin_creates_a_meeting_with_its_agenda_then_convenes_it(body_a, coordinator_a, login):
    member = MandateFactory(territory=body_a.territory, body=body_a)
    client = login(coordinator_a)
    start = _future()
    response = client.post(
        "/admin/governance/meeting/add/",
        {
            "territory": body_a.territory.pk,
            "body": body_a.pk,
            "kind": "plenary",
            "title": "Séance d'installation",
            "starts_at_0": start.strftime("%d/%m/%Y"),
            "starts_at_1": "18:00",
            "ends_at_0": start.strftime("%d/%m/%Y"),
            "ends_at_1": "20:00",
            "status": "scheduled",
            **_inline_management("agenda", 1),
            "agenda-0-order": "1",
            "agenda-0-title": "Installation du conseil",
            **_inline_management("documents", 0),
            **_inline_management("participations", 0),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.for_territory(body_a.territory).get(title="Séance d'installation")
    item = meeting.agenda.get()
    assert item.territory_id == body_a.territory.pk

    client.post(
        "/admin/governance/meeting/",
        {"action": "convene", "_selected_action": [meeting.pk], "index": 0},
    )
    assert (
        Notification.objects.for_territory(body_a.territory)
        .filter(recipient=member.user, kind="governance.convocation")
        .exists()
    )


def test_cancelling_a_convened_meeting_sends_an_ics_cancel_with_a_higher_sequence(body_a, coordinator_a):
    meeting = MeetingFactory(territory=body_a.territory, body=body_a)
    member = MandateFactory(territory=body_a.territory, body=body_a)
    meeting_convene(actor=coordinator_a, meeting=meeting)
    assert meeting_cancel(actor=coordinator_a, meeting=meeting) == 1
    cancel = Notification.objects.for_territory(body_a.territory).get(
        recipient=member.user, kind="governance.cancellation"
    )
    props = ics_properties(cancel.attachments[0][1])
    assert (props["METHOD"], props["STATUS"], props["SEQUENCE"]) == ("CANCEL", "CANCELLED", "1")
    assert props["UID"] == f"meeting-{meeting.pk}-{body_a.territory.slug}@guichet-sante"


def test_members_who_have_not_answered_are_reminded_once(body_a, coordinator_a):
    from governance.tasks import send_convocation_reminders

    meeting = MeetingFactory(territory=body_a.territory, body=body_a, starts_at=_future(days=2))
    silent = MandateFactory(territory=body_a.territory, body=body_a)
    answered = MandateFactory(territory=body_a.territory, body=body_a)
    meeting_convene(actor=coordinator_a, meeting=meeting)
    reply_record(
        actor=answered.user,
        participation=Participation.objects.get(meeting=meeting, mandate=answered),
        reply=Reply.ATTENDING,
    )
    assert send_convocation_reminders.delay().get() == 1
    assert send_convocation_reminders.delay().get() == 0
    reminders = Notification.objects.for_territory(body_a.territory).filter(kind="governance.reminder")
    assert [n.recipient for n in reminders] == [silent.user]


def test_meeting_changelist_shows_quorum_without_a_query_per_meeting(
    body_a, coordinator_a, login, django_assert_max_num_queries
):
    mandates = [MandateFactory(territory=body_a.territory, body=body_a) for _ in range(4)]
    for i in range(20):
        meeting = MeetingFactory(territory=body_a.territory, body=body_a, held=True, title=f"Séance {i}")
        for mandate in mandates[: 1 + i % 4]:
            ParticipationFactory(
                territory=body_a.territory, meeting=meeting, mandate=mandate, attendance=Attendance.PRESENT
            )
    client = login(coordinator_a)
    with django_assert_max_num_queries(20):
        response = client.get("/admin/governance/meeting/")
    assert response.status_code == 200
    page = response.content.decode()
    # 1 present of 4 voting members (quorum 2) is short; 2, 3 and 4 present reach it.
    assert page.count("non atteint (1/2)") == 5
    assert page.count("atteint (4/2)") == 5
    meeting = Meeting.objects.for_territory(body_a.territory).get(title="Séance 3")
    assert selectors.quorum_status(meeting).counted == 4
