from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal.notifications import outbox, selectors, services
from portal.notifications.enums import EmailState
from portal.notifications.models import Notification
from portal.notifications.tasks import digest_send_daily, outbox_relay, outbox_sweep
from tests.concurrency import race
from tests.notifications.factories import NotificationFactory, NotificationPreferenceFactory
from tests.portal.factories import UserFactory


def _make_due(notification):
    """Time passes: the row's next attempt is due now."""
    Notification.objects.filter(pk=notification.pk).update(email_next_attempt_at=timezone.now() - timedelta(seconds=1))


# --- daily digest --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_digest_groups_a_users_notifications_of_the_day_into_one_email(territory_a, territory_b):
    reader = NotificationPreferenceFactory(user__first_name="Paul").user
    other_reader = NotificationPreferenceFactory().user
    immediate = UserFactory()
    for territory, subject in [(territory_a, "Séance plénière"), (territory_b, "Stage validé"), (territory_a, "Avis")]:
        services.notify(territory=territory, recipients=[reader], kind="test", subject=subject, body="Détail.")
    services.notify(territory=territory_a, recipients=[other_reader], kind="test", subject="Atelier", body="Détail.")
    NotificationFactory(territory=territory_a, recipient=immediate, pending=True)

    digest_send_daily.apply()

    assert len(mail.outbox) == 2
    [message] = [m for m in mail.outbox if m.to == [reader.email]]
    assert message.subject.startswith("[Guichet santé] Votre résumé du ")
    assert message.subject.endswith(" : 3 notifications")
    assert message.body.startswith("Bonjour Paul,")
    for line in ["[Territoire Alpha] Séance plénière", "[Territoire Bêta] Stage validé", "[Territoire Alpha] Avis"]:
        assert line in message.body
    assert set(Notification.objects.filter(recipient=reader).values_list("email_state", flat=True)) == {"sent"}
    # The immediate-mode user is not part of a digest.
    assert Notification.objects.get(recipient=immediate).email_state == EmailState.PENDING

    digest_send_daily.apply()
    assert len(mail.outbox) == 2  # nothing twice
    # The in-app list is unaffected by the e-mail mode.
    assert selectors.unread_count(reader) == 3


@pytest.mark.django_db
def test_digest_leaves_out_notifications_already_read_in_the_portal(territory_a):
    reader = NotificationPreferenceFactory().user
    read = NotificationFactory(territory=territory_a, recipient=reader, waiting_digest=True, read=True)
    unread = NotificationFactory(territory=territory_a, recipient=reader, waiting_digest=True)

    digest_send_daily.apply()

    [message] = mail.outbox
    assert unread.subject in message.body and read.subject not in message.body
    read.refresh_from_db()
    assert read.email_state == EmailState.SKIPPED


@pytest.mark.django_db
def test_failed_digest_is_retried_by_the_sweep_after_the_backoff(territory_a, settings):
    reader = NotificationPreferenceFactory().user
    row = NotificationFactory(territory=territory_a, recipient=reader, waiting_digest=True)
    settings.EMAIL_BACKEND = "tests.notifications.backends.DisconnectingBackend"
    digest_send_daily.apply()
    row.refresh_from_db()
    assert (row.email_state, row.email_attempts) == (EmailState.DIGEST, 1)
    assert "SMTPServerDisconnected" in row.email_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox_sweep.apply()
    assert mail.outbox == []  # not due yet
    _make_due(row)
    outbox_sweep.apply()
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.email_state == EmailState.SENT


# --- at most once --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_the_same_row_send_it_once(territory_a, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.SlowBackend"
    row = NotificationFactory(territory=territory_a, pending=True)
    results = race([lambda: outbox.deliver(row.pk)] * 2)

    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.email_state, row.email_attempts) == (EmailState.SENT, 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_relays_send_every_pending_email_exactly_once(territory_a, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.SlowBackend"
    rows = NotificationFactory.create_batch(6, territory=territory_a, pending=True)
    race([outbox.relay] * 3)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.recipient.email for r in rows)
    assert set(Notification.objects.values_list("email_state", "email_attempts")) == {(EmailState.SENT, 1)}


@pytest.mark.django_db
def test_row_left_sending_by_a_dead_worker_is_marked_unknown_and_never_resent(territory_a):
    row = NotificationFactory(territory=territory_a, pending=True)
    assert outbox.claim(row.pk)  # the worker claims the row, then dies before recording anything
    outbox_sweep.apply()
    row.refresh_from_db()
    assert row.email_state == EmailState.SENDING  # it may still be working

    Notification.objects.filter(pk=row.pk).update(email_claimed_at=timezone.now() - timedelta(minutes=16))
    outbox_sweep.apply()
    outbox_relay.apply()
    row.refresh_from_db()
    assert row.email_state == EmailState.UNKNOWN
    assert "peut-être parti" in row.email_error
    assert mail.outbox == []


# --- retries -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_send_is_retried_with_exponential_backoff_then_recorded_as_failed(territory_a, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.DisconnectingBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    row = NotificationFactory(territory=territory_a, pending=True)

    delays = []
    for attempt in range(1, 4):
        before = timezone.now()
        outbox_relay.apply()
        row.refresh_from_db()
        assert (row.email_state, row.email_attempts) == (EmailState.PENDING, attempt)
        delays.append(round((row.email_next_attempt_at - before).total_seconds() / 60))
        outbox_relay.apply()  # not due yet: nothing happens
        row.refresh_from_db()
        assert row.email_attempts == attempt
        _make_due(row)
    assert delays == [1, 2, 4]

    outbox_relay.apply()
    row.refresh_from_db()
    assert (row.email_state, row.email_attempts) == (EmailState.FAILED, 4)
    assert row.email_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert row.email_next_attempt_at is None
    outbox_sweep.apply()
    row.refresh_from_db()
    assert row.email_state == EmailState.FAILED
    assert mail.outbox == []


@pytest.mark.django_db
def test_refused_recipient_fails_at_once(territory_a, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    row = NotificationFactory(territory=territory_a, pending=True)
    outbox_relay.apply()
    row.refresh_from_db()
    assert (row.email_state, row.email_attempts) == (EmailState.FAILED, 1)
    assert "SMTPRecipientsRefused" in row.email_error


@pytest.mark.django_db
def test_requeued_failed_email_is_sent_once_the_server_is_back(
    territory_a, coordinator_a, django_capture_on_commit_callbacks
):
    row = NotificationFactory(territory=territory_a, failed=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notification_requeue(actor=coordinator_a, notifications=[row]) == 1
    [message] = mail.outbox
    assert message.to == [row.recipient.email]
    row.refresh_from_db()
    assert (row.email_state, row.email_attempts) == (EmailState.SENT, 1)


@pytest.mark.django_db
def test_coordinator_cannot_requeue_another_territorys_email(territory_b, coordinator_a):
    from django.core.exceptions import PermissionDenied

    row = NotificationFactory(territory=territory_b, failed=True)
    with pytest.raises(PermissionDenied):
        services.notification_requeue(actor=coordinator_a, notifications=[row])
    row.refresh_from_db()
    assert row.email_state == EmailState.FAILED


def test_every_email_of_the_project_goes_through_the_outbox():
    """Only portal.notifications builds and sends e-mails; other apps call notify / notify_address."""
    import ast
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    senders = {"EmailMessage", "EmailMultiAlternatives", "send_mail", "send_mass_mail", "mail_admins", "get_connection"}
    offenders = []
    for package in ("portal", "installations", "governance", "training", "prevention", "config"):
        for path in sorted((root / package).rglob("*.py")):
            if "notifications" in path.relative_to(root).parts or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                name = getattr(node, "attr", None) or getattr(node, "id", None)
                if isinstance(node, ast.alias):
                    name = node.name
                if name in senders:
                    offenders.append(f"{path.relative_to(root)}:{getattr(node, 'lineno', '?')} {name}")
    assert offenders == []
