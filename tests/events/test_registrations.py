"""Registering, the waiting list and its automatic promotion, cancelling, attendance, reminders."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.enums import Role
from portal.events import services
from portal.events.enums import EventStatus, RegistrationStatus
from portal.events.models import Registration
from portal.events.selectors import registrations_of, waitlist_position
from tests.events.factories import EventFactory, RegistrationFactory
from tests.portal.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the service, then the outbox relay after its commit (eager in tests): `sent(fn)` returns
    the e-mails that left."""

    def _sent(action):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return list(mail.outbox)

    return _sent


def _register(event, user):
    return services.registration_create(actor=user, event=event, user=user)


def test_a_person_registers_while_places_remain_then_joins_the_waiting_list(territory_a):
    event = EventFactory(territory=territory_a, capacity=2)
    first, second, third, fourth = UserFactory.create_batch(4)
    assert _register(event, first).status == RegistrationStatus.REGISTERED
    assert _register(event, second).status == RegistrationStatus.REGISTERED
    late = _register(event, third)
    later = _register(event, fourth)
    assert late.status == later.status == RegistrationStatus.WAITLISTED
    assert (waitlist_position(late), waitlist_position(later)) == (1, 2)


def test_registration_confirmation_email_carries_the_invitation(territory_a, sent):
    event = EventFactory(territory=territory_a, title="Formation aux gestes de premiers secours")
    person = UserFactory(email="claire@exemple.fr")
    [message] = sent(lambda: _register(event, person))
    assert message.to == ["claire@exemple.fr"]
    assert "Inscription confirmée" in message.subject
    assert "Formation aux gestes de premiers secours" in message.body
    assert [(name, mimetype) for name, _content, mimetype in message.attachments] == [
        ("invitation.ics", "text/calendar")
    ]


def test_cancelling_frees_the_place_for_the_first_waiting_person_who_is_told_by_email(territory_a, sent):
    event = EventFactory(territory=territory_a, capacity=1, title="Soirée d'accueil des internes")
    holder = UserFactory(email="titulaire@exemple.fr")
    first_waiting = UserFactory(email="premiere@exemple.fr")
    second_waiting = UserFactory(email="seconde@exemple.fr")
    holding = _register(event, holder)
    waiting = _register(event, first_waiting)
    _register(event, second_waiting)

    emails = sent(lambda: services.registration_cancel(actor=holder, registration=holding))

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED and waiting.promoted_at is not None
    assert Registration.objects.get(event=event, user=second_waiting).status == RegistrationStatus.WAITLISTED
    holding.refresh_from_db()
    assert holding.status == RegistrationStatus.CANCELLED and holding.cancelled_at is not None
    # (The outbox also relays the confirmations of the registrations above, still waiting.)
    [message] = [m for m in emails if "Une place s'est libérée" in m.subject]
    assert message.to == ["premiere@exemple.fr"]
    assert "Soirée d'accueil des internes" in message.body


def test_a_person_cannot_register_twice_nor_cancel_twice(territory_a):
    event = EventFactory(territory=territory_a)
    person = UserFactory()
    registration = _register(event, person)
    with pytest.raises(ValidationError, match="déjà enregistrée"):
        _register(event, person)
    services.registration_cancel(actor=person, registration=registration)
    with pytest.raises(ValidationError, match="déjà annulée"):
        services.registration_cancel(actor=person, registration=registration)
    # Coming back after cancelling reuses the row: one registration per person and event.
    again = _register(event, person)
    assert again.pk == registration.pk and again.status == RegistrationStatus.REGISTERED


@pytest.mark.parametrize(
    ("event_kwargs", "message"),
    [
        ({"status": EventStatus.CANCELLED}, "annulé"),
        ({"status": EventStatus.DRAFT}, "pas encore publié"),
        ({"registration_closes_at": timezone.now() - dt.timedelta(hours=1)}, "closes"),
        ({"registration_opens_at": timezone.now() + dt.timedelta(days=1)}, "ouvriront le"),
        ({"past": True}, "closes"),
    ],
)
def test_registration_is_refused_with_a_french_reason(territory_a, event_kwargs, message):
    event = EventFactory(territory=territory_a, **event_kwargs)
    with pytest.raises(ValidationError, match=message):
        _register(event, UserFactory())
    assert not Registration.objects.exists()


def test_a_person_registers_only_themself(territory_a):
    event = EventFactory(territory=territory_a)
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=UserFactory(), event=event, user=UserFactory())


def test_registration_without_account_needs_the_event_to_allow_it(territory_a):
    closed = EventFactory(territory=territory_a)
    with pytest.raises(ValidationError, match="demande un compte"):
        services.registration_create(actor=None, event=closed, name="Paul Martin", email="paul@exemple.fr")
    open_event = EventFactory(territory=territory_a, open_to_all=True)
    registration = services.registration_create(
        actor=None, event=open_event, name="  Paul   Martin ", email="Paul@Exemple.fr"
    )
    assert (registration.person_name, registration.email) == ("Paul Martin", "paul@exemple.fr")
    with pytest.raises(ValidationError, match="déjà enregistrée"):
        services.registration_create(actor=None, event=open_event, name="Paul", email="paul@exemple.fr")


def test_another_person_cannot_cancel_my_registration(territory_a):
    registration = RegistrationFactory(territory=territory_a)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(actor=UserFactory(), registration=registration)


def test_organiser_records_attendance_once_the_event_has_started(territory_a, staff_of):
    coordinator = staff_of(territory_a)
    registration = RegistrationFactory(territory=territory_a, event__past=True)
    services.attendance_record(actor=coordinator, registration=registration, attended=True)
    registration.refresh_from_db()
    assert registration.attended is True and registration.attendance_recorded_at is not None

    upcoming = RegistrationFactory(territory=territory_a)
    with pytest.raises(ValidationError, match="à partir du début"):
        services.attendance_record(actor=coordinator, registration=upcoming, attended=True)


def test_an_event_organiser_user_may_record_attendance_but_not_an_attendee(territory_a):
    organiser = UserFactory()
    event = EventFactory(territory=territory_a, past=True)
    event.organiser_users.add(organiser)
    registration = RegistrationFactory(territory=territory_a, event=event)
    other = RegistrationFactory(territory=territory_a, event=event)
    services.attendance_record(actor=organiser, registration=registration, attended=False)
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=other.user, registration=other, attended=True)


@pytest.mark.parametrize("role", [Role.STUDENT, Role.SUPERVISOR, Role.HOST_SITE_MANAGER, Role.PARTNER])
def test_training_roles_and_partners_may_not_record_attendance(territory_a, role):
    user = UserFactory()
    MembershipFactory(user=user, territory=territory_a, role=role)
    registration = RegistrationFactory(territory=territory_a, event__past=True)
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=user, registration=registration, attended=True)


def test_waitlisted_person_cannot_be_marked_present(territory_a, staff_of):
    registration = RegistrationFactory(territory=territory_a, event__past=True, waitlisted=True)
    with pytest.raises(ValidationError, match="inscrites"):
        services.attendance_record(actor=staff_of(territory_a), registration=registration, attended=True)


def test_cancelling_an_event_tells_everyone_registered_or_waiting(territory_a, staff_of, sent):
    event = EventFactory(territory=territory_a, capacity=1, title="Conférence de l'Université de la santé")
    registered = RegistrationFactory(territory=territory_a, event=event, user__email="a@exemple.fr")
    RegistrationFactory(territory=territory_a, event=event, user__email="b@exemple.fr", waitlisted=True)
    RegistrationFactory(territory=territory_a, event=event, user__email="c@exemple.fr", status="cancelled")
    coordinator = staff_of(territory_a)

    emails = sent(lambda: services.event_cancel(actor=coordinator, event=event, reason="Salle indisponible"))

    assert sorted(m.to[0] for m in emails) == ["a@exemple.fr", "b@exemple.fr"]
    assert all("Événement annulé" in m.subject and "Salle indisponible" in m.body for m in emails)
    ics_text = emails[0].attachments[0][1]
    assert "METHOD:CANCEL" in ics_text and "SEQUENCE:1" in ics_text
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    with pytest.raises(PermissionDenied):
        services.event_cancel(actor=registered.user, event=event)


def test_raising_the_capacity_gives_the_new_places_to_the_waiting_list(territory_a, staff_of):
    event = EventFactory(territory=territory_a, capacity=1)
    RegistrationFactory(territory=territory_a, event=event)
    waiting = RegistrationFactory(territory=territory_a, event=event, waitlisted=True)
    event.capacity = 2
    event.save()
    services.event_places_fill(actor=staff_of(territory_a), event=event)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_reminder_is_sent_once_to_registered_people_of_events_starting_within_a_day(territory_a, sent):
    soon = EventFactory(territory=territory_a, starts_at=timezone.now() + dt.timedelta(hours=5), title="Café santé")
    later = EventFactory(territory=territory_a, starts_at=timezone.now() + dt.timedelta(days=3))
    reminded = RegistrationFactory(territory=territory_a, event=soon, user__email="vient@exemple.fr")
    RegistrationFactory(territory=territory_a, event=soon, waitlisted=True)
    RegistrationFactory(territory=territory_a, event=soon, status=RegistrationStatus.CANCELLED)
    RegistrationFactory(territory=territory_a, event=later)

    emails = sent(lambda: services.registration_reminders_send())

    assert [m.to for m in emails] == [["vient@exemple.fr"]]
    assert "Rappel" in emails[0].subject and "Café santé" in emails[0].subject
    reminded.refresh_from_db()
    assert reminded.reminded_at is not None
    assert sent(lambda: services.registration_reminders_send()) == []


def test_reminder_task_runs_the_service(territory_a, sent):
    from portal.events.tasks import reminders_send

    RegistrationFactory(territory=territory_a, event__starts_at=timezone.now() + dt.timedelta(hours=2))
    assert len(sent(lambda: reminders_send.apply())) == 1


def test_my_registrations_show_waiting_positions_upcoming_first(territory_a):
    person = UserFactory()
    full = EventFactory(territory=territory_a, capacity=1)
    RegistrationFactory(territory=territory_a, event=full)
    RegistrationFactory(territory=territory_a, event=full, waitlisted=True)
    mine_waiting = RegistrationFactory(territory=territory_a, event=full, user=person, waitlisted=True)
    past = RegistrationFactory(territory=territory_a, user=person, event__past=True)
    rows = registrations_of(user=person)
    assert [r.pk for r in rows] == [mine_waiting.pk, past.pk]
    assert rows[0].waitlist_position == 2 and rows[0].may_cancel
    assert rows[1].is_past and not rows[1].may_cancel


def test_reminders_are_scheduled_by_celery_beat():
    from portal.hooks import beat_schedule

    entry = beat_schedule()["events-reminders"]
    assert entry["task"] == "portal.events.tasks.reminders_send"
    assert entry["schedule"] <= 3600  # often enough for "N hours before" to mean something
