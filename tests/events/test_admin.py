"""The events' back office: lists with pinned query counts, actions that go through the services."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from portal.events.enums import EventStatus, RegistrationStatus
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_event_changelist_query_count_does_not_grow(territory_a, coordinator_a, login, django_assert_max_num_queries):
    client = login(coordinator_a)
    for _ in range(15):
        event = EventFactory(territory=territory_a)
        RegistrationFactory.create_batch(2, territory=territory_a, event=event)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("admin:events_event_changelist"))
    assert response.status_code == 200
    assert len(response.context_data["cl"].result_list) == 15
    assert {e.registered_count for e in response.context_data["cl"].result_list} == {2}


def test_registration_changelist_query_count_does_not_grow(
    territory_a, coordinator_a, login, django_assert_max_num_queries
):
    client = login(coordinator_a)
    for _ in range(8):
        event = EventFactory(territory=territory_a)
        RegistrationFactory.create_batch(3, territory=territory_a, event=event)
        RegistrationFactory(territory=territory_a, event=event, anonymous=True)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("admin:events_registration_changelist"))
    assert response.status_code == 200
    assert len(response.context_data["cl"].result_list) == 32


def test_event_page_with_its_registrations_opens(territory_a, coordinator_a, login, django_assert_max_num_queries):
    event = EventFactory(territory=territory_a)
    RegistrationFactory.create_batch(10, territory=territory_a, event=event)
    client = login(coordinator_a)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert response.status_code == 200


def test_cancel_action_cancels_and_tells_people(territory_a, coordinator_a, login, django_capture_on_commit_callbacks):
    from django.core import mail

    event = EventFactory(territory=territory_a)
    RegistrationFactory(territory=territory_a, event=event, user__email="inscrite@exemple.fr")
    client = login(coordinator_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:events_event_changelist"),
            {"action": "cancel_events", ACTION_CHECKBOX_NAME: [event.pk], "index": 0},
        )
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert [m.to for m in mail.outbox] == [["inscrite@exemple.fr"]]


def test_attendance_actions_record_presence_and_refuse_a_future_event(territory_a, coordinator_a, login):
    past = RegistrationFactory(territory=territory_a, event__past=True)
    future = RegistrationFactory(territory=territory_a)
    client = login(coordinator_a)
    response = client.post(
        reverse("admin:events_registration_changelist"),
        {"action": "mark_present", ACTION_CHECKBOX_NAME: [past.pk, future.pk], "index": 0},
        follow=True,
    )
    past.refresh_from_db()
    future.refresh_from_db()
    assert past.attended is True and future.attended is None
    body = response.content.decode()
    assert "1 présence notée." in body and "La présence se note à partir du début" in body


def test_raising_capacity_in_the_admin_promotes_the_waiting_list(territory_a, coordinator_a, login):
    event = EventFactory(territory=territory_a, capacity=1)
    RegistrationFactory(territory=territory_a, event=event)
    waiting = RegistrationFactory(territory=territory_a, event=event, waitlisted=True)
    client = login(coordinator_a)
    url = reverse("admin:events_event_change", args=[event.pk])
    form = client.get(url).context_data["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "capacity": 2,
            "starts_at_0": event.starts_at.astimezone().strftime("%d/%m/%Y"),
            "starts_at_1": event.starts_at.astimezone().strftime("%H:%M:%S"),
            "ends_at_0": event.ends_at.astimezone().strftime("%d/%m/%Y"),
            "ends_at_1": event.ends_at.astimezone().strftime("%H:%M:%S"),
            "registrations-TOTAL_FORMS": 2,
            "registrations-INITIAL_FORMS": 2,
            "registrations-MIN_NUM_FORMS": 0,
            "registrations-MAX_NUM_FORMS": 1000,
        }
    )
    for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at", "organiser_users"):
        data.pop(key, None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context_data["adminform"].form.errors
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_event_ending_before_it_starts_is_refused_with_a_french_message(territory_a):
    import datetime as dt

    from django.core.exceptions import ValidationError

    event = EventFactory.build(territory=territory_a)
    event.ends_at = event.starts_at - dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    assert caught.value.message_dict["ends_at"] == ["La fin doit être après le début de l'événement."]
