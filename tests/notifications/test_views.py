import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.enums import Role
from portal.notifications.enums import EmailMode
from portal.notifications.models import Notification, NotificationPreference
from portal.notifications.selectors import unread_count
from tests.notifications.factories import NotificationFactory
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def doctor():
    return UserFactory(first_name="Claire")


def test_list_shows_the_users_notifications_of_every_territory_unread_first(
    doctor, territory_a, territory_b, login, django_assert_max_num_queries
):
    now = timezone.now()
    for index in range(12):
        NotificationFactory(territory=territory_a, recipient=doctor, read=True, created_at=now - timedelta(hours=index))
        NotificationFactory(territory=territory_b, recipient=doctor, created_at=now - timedelta(days=1, hours=index))
    old_unread = NotificationFactory(
        territory=territory_a, recipient=doctor, subject="Ancienne non lue", created_at=now - timedelta(days=9)
    )
    newest_read = NotificationFactory(
        territory=territory_b, recipient=doctor, subject="Récente déjà lue", read=True, created_at=now
    )
    someone_elses = NotificationFactory(territory=territory_a, subject="Pour quelqu'un d'autre")
    client = login(doctor)

    # user, page count, unread count, page rows (territories joined), session save (3 with its savepoint)
    with django_assert_max_num_queries(8):  # +1: the session, read from the database (issue 9)
        response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "13 notifications non lues." in html
    assert "Territoire Alpha" in html and "Territoire Bêta" in html
    assert html.index(old_unread.subject) < html.index(newest_read.subject)
    assert someone_elses.subject not in html
    rows = list(response.context["page"].object_list)
    assert [n.unread for n in rows[:13]] == [True] * 13 and not any(n.unread for n in rows[13:])


def test_list_page_costs_the_same_with_a_second_page(doctor, territory_a, login, django_assert_max_num_queries):
    NotificationFactory.create_batch(45, territory=territory_a, recipient=doctor)
    client = login(doctor)
    with django_assert_max_num_queries(8):  # +1: the session, read from the database (issue 9)
        response = client.get(reverse("notifications:list"), {"page": 2})
    assert len(response.context["page"].object_list) == 15


def test_anonymous_visitor_is_sent_to_sign_in():
    response = Client().get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_mark_read_is_a_post_protected_by_csrf(doctor, territory_a):
    notification = NotificationFactory(territory=territory_a, recipient=doctor)
    client = Client(enforce_csrf_checks=True)
    client.force_login(doctor)
    url = reverse("notifications:mark_read", args=[notification.pk])

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_then_back_to_the_list(doctor, territory_a, login):
    notification = NotificationFactory(territory=territory_a, recipient=doctor)
    client = login(doctor)
    response = client.post(reverse("notifications:mark_read", args=[notification.pk]), {"next": "/evil.example"})
    assert response.status_code == 302
    assert response["Location"] == "/evil.example"  # a path of this site is fine
    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:list")
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread_count(doctor) == 0


def test_open_marks_read_and_follows_the_link(doctor, territory_a, login):
    notification = NotificationFactory(territory=territory_a, recipient=doctor, url="/alpha/")
    response = login(doctor).post(reverse("notifications:mark_read", args=[notification.pk]), {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/alpha/"
    notification.refresh_from_db()
    assert notification.is_read


def test_someone_elses_notification_answers_404(doctor, territory_a, coordinator_a, login):
    notification = NotificationFactory(territory=territory_a, recipient=doctor)
    # Even the territory's coordinator: notifications are personal.
    response = login(coordinator_a).post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_only_touches_the_users_notifications(doctor, territory_a, territory_b, login):
    NotificationFactory.create_batch(3, territory=territory_a, recipient=doctor)
    NotificationFactory(territory=territory_b, recipient=doctor)
    other = NotificationFactory(territory=territory_a)
    response = login(doctor).post(reverse("notifications:mark_all_read"), follow=True)
    assert "Toutes vos notifications sont marquées comme lues." in response.content.decode()
    assert unread_count(doctor) == 0
    assert unread_count(other.recipient) == 1


def test_unread_count_is_zero_for_anonymous_and_counts_only_unread(doctor, territory_a):
    from django.contrib.auth.models import AnonymousUser

    NotificationFactory.create_batch(2, territory=territory_a, recipient=doctor)
    NotificationFactory(territory=territory_a, recipient=doctor, read=True)
    assert unread_count(doctor) == 2
    assert unread_count(AnonymousUser()) == 0


def test_context_processor_counts_lazily_once(doctor, territory_a, rf, django_assert_num_queries):
    from portal.notifications.context_processors import notifications

    NotificationFactory(territory=territory_a, recipient=doctor)
    request = rf.get("/")
    request.user = doctor
    with django_assert_num_queries(0):
        context = notifications(request)
    with django_assert_num_queries(1):
        assert context["unread_notifications_count"]() == 1
        assert context["unread_notifications_count"]() == 1


def test_header_shows_the_unread_count_on_every_page(doctor, territory_a, login):
    NotificationFactory.create_batch(2, territory=territory_a, recipient=doctor)
    NotificationFactory(territory=territory_a, recipient=doctor, read=True)
    html = login(doctor).get(reverse("portal:landing")).content.decode()
    link = re.search(r'<a href="/espace/notifications/">(.*?)</a>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>|\s+", " ", link).split() == ["Notifications", "2", "non", "lues"]


def test_preferences_page_saves_the_daily_digest(doctor, login):
    client = login(doctor)
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200
    assert re.search(r'value="immediate"[^>]*checked', response.content.decode())

    response = client.post(reverse("notifications:preferences"), {"email_mode": "digest"}, follow=True)
    assert "Votre choix est enregistré." in response.content.decode()
    assert NotificationPreference.objects.get(user=doctor).email_mode == EmailMode.DIGEST
    assert re.search(r'value="digest"[^>]*checked', response.content.decode())


def test_preferences_refuses_an_unknown_choice_with_a_message_by_the_field(doctor, login):
    response = login(doctor).post(reverse("notifications:preferences"), {"email_mode": "jamais"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Votre choix n&#x27;a pas été enregistré" in html
    assert 'id="id_email_mode_error"' in html
    assert not NotificationPreference.objects.filter(user=doctor).exists()


# --- admin ---------------------------------------------------------------------------------------


def test_coordinator_sees_only_their_territorys_outbox(
    territory_a, territory_b, coordinator_a, login, django_assert_max_num_queries
):
    NotificationFactory.create_batch(20, territory=territory_a)
    NotificationFactory.create_batch(5, territory=territory_a, failed=True)
    hidden = NotificationFactory(territory=territory_b, subject="Secret de Bêta")
    client = login(coordinator_a)
    url = reverse("admin:notifications_notification_changelist")

    with django_assert_max_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secret de Bêta" not in html
    assert "Échec" in html
    assert client.get(reverse("admin:notifications_notification_change", args=[hidden.pk])).status_code == 404


def test_admin_is_read_only_but_offers_requeue(territory_a, coordinator_a, login, django_capture_on_commit_callbacks):
    from django.core import mail

    failed = NotificationFactory(territory=territory_a, failed=True)
    sent = NotificationFactory(territory=territory_a)
    client = login(coordinator_a)

    response = client.get(reverse("admin:notifications_notification_change", args=[failed.pk]))
    assert response.status_code == 200
    assert b'name="subject"' not in response.content  # no editable field
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403
    assert client.post(reverse("admin:notifications_notification_delete", args=[failed.pk])).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "requeue", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )
    assert "1 e-mail remis en file." in response.content.decode()
    failed.refresh_from_db()
    assert failed.email_state == "sent"
    assert len(mail.outbox) == 1


def test_partner_does_not_see_the_outbox(territory_a, staff_of, login):
    partner = staff_of(territory_a, Role.PARTNER)
    response = login(partner).get(reverse("admin:notifications_notification_changelist"))
    assert response.status_code == 403
    assert Notification.objects.count() == 0
