import pytest
from django.core import mail
from django.db import transaction

from portal.notifications.enums import EmailState
from portal.notifications.models import Notification
from portal.notifications.services import notify
from tests.notifications.factories import NotificationPreferenceFactory
from tests.portal.factories import UserFactory

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Guichet//FR\r\nEND:VCALENDAR\r\n"


def _notify(territory, recipients, **kwargs):
    defaults = {
        "kind": "governance.convocation",
        "subject": "Convocation à la séance plénière",
        "body": "Le Conseil de santé se réunit le 12 décembre à 18 h.",
        "url": "/alpha/gouvernance/seances/4/",
    }
    return notify(territory=territory, recipients=recipients, **{**defaults, **kwargs})


@pytest.mark.django_db
def test_notify_writes_one_row_per_recipient_in_the_territory(territory_a):
    doctor, nurse = UserFactory(), UserFactory()
    rows = _notify(territory_a, [doctor, nurse, doctor])
    assert len(rows) == 2
    assert {n.recipient for n in Notification.objects.for_territory(territory_a)} == {doctor, nurse}
    assert all(n.email_state == EmailState.PENDING and n.read_at is None for n in rows)


@pytest.mark.django_db
def test_actor_is_never_notified_of_their_own_action(territory_a, coordinator_a):
    doctor = UserFactory()
    rows = _notify(territory_a, [doctor, coordinator_a], actor=coordinator_a)
    assert [n.recipient for n in rows] == [doctor]
    assert _notify(territory_a, [coordinator_a], actor=coordinator_a) == []


@pytest.mark.django_db
def test_notify_costs_two_queries_whatever_the_number_of_recipients(territory_a, django_assert_num_queries):
    users = UserFactory.create_batch(25)
    with django_assert_num_queries(2):  # preferences, one INSERT
        _notify(territory_a, users)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["https://ailleurs.example/", "//ailleurs.example/", "espace/"])
def test_notify_refuses_a_link_outside_the_portal(territory_a, url):
    with pytest.raises(ValueError):
        _notify(territory_a, [UserFactory()], url=url)


@pytest.mark.django_db
def test_notify_refuses_no_territory():
    with pytest.raises(ValueError):
        _notify(None, [UserFactory()])


@pytest.mark.django_db(transaction=True)
def test_notifications_roll_back_with_the_callers_transaction(territory_a):
    doctor = UserFactory()

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        _notify(territory_a, [doctor])
        assert Notification.objects.count() == 1  # visible inside the caller's transaction
        raise Refused

    assert Notification.objects.count() == 0
    assert mail.outbox == []  # the relay runs on commit only


@pytest.mark.django_db
def test_on_commit_relay_sends_the_email_in_french_with_absolute_link(
    territory_a, coordinator_a, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_BASE_URL = "https://guichet.example"
    doctor = UserFactory(first_name="Anne")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [row] = _notify(
            territory_a,
            [doctor],
            actor=coordinator_a,
            attachments=[("seance.ics", ICS, "text/calendar")],
        )
        assert mail.outbox == []  # nothing is sent before the commit
    assert len(callbacks) == 1

    [message] = mail.outbox
    assert message.to == [doctor.email]
    assert message.subject == "[Guichet santé · Territoire Alpha] Convocation à la séance plénière"
    assert message.body.startswith("Bonjour Anne,")
    assert "Le Conseil de santé se réunit le 12 décembre à 18 h." in message.body
    assert "https://guichet.example/alpha/gouvernance/seances/4/" in message.body
    assert "https://guichet.example/espace/notifications/preferences/" in message.body
    assert message.reply_to == [territory_a.contact_email]
    assert message.attachments == [("seance.ics", ICS, "text/calendar")]
    row.refresh_from_db()
    assert row.email_state == EmailState.SENT
    assert row.email_sent_at is not None
    assert row.email_attempts == 1


@pytest.mark.django_db
def test_digest_subscriber_gets_no_immediate_email(territory_a, django_capture_on_commit_callbacks):
    digest_reader = NotificationPreferenceFactory().user
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [row] = _notify(territory_a, [digest_reader])
    assert row.email_state == EmailState.DIGEST
    assert callbacks == []  # nothing to relay
    assert mail.outbox == []


@pytest.mark.django_db
def test_inactive_account_is_notified_in_app_but_not_emailed(territory_a, django_capture_on_commit_callbacks):
    former = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _notify(territory_a, [former])
    assert row.email_state == EmailState.SKIPPED
    assert mail.outbox == []


# --- e-mails to an address without an account ---------------------------------------------------


def _notify_address(territory, **kwargs):
    from portal.notifications.services import notify_address

    defaults = {
        "email_address": "interne@exemple.fr",
        "kind": "installations.case_confirmation",
        "subject": "Confirmez votre demande ALP-2026-0001",
        "body": "Bonjour,\n\nPour la confirmer, ouvrez ce lien :\nhttp://testserver/alpha/confirmer/x/",
    }
    return notify_address(territory=territory, **{**defaults, **kwargs})


@pytest.mark.django_db(transaction=True)
def test_an_address_without_account_gets_the_email_as_written_through_the_outbox(territory_a):
    with transaction.atomic():
        row = _notify_address(territory_a)
        assert mail.outbox == []  # nothing leaves before the commit
    assert row.recipient is None and row.territory == territory_a
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["interne@exemple.fr"]
    assert message.subject == "[Guichet santé · Territoire Alpha] Confirmez votre demande ALP-2026-0001"
    assert message.body == "Bonjour,\n\nPour la confirmer, ouvrez ce lien :\nhttp://testserver/alpha/confirmer/x/"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    row.refresh_from_db()
    assert row.email_state == EmailState.SENT and row.email_attempts == 1


@pytest.mark.django_db
def test_an_identical_email_still_waiting_is_not_queued_twice(territory_a, territory_b):
    assert _notify_address(territory_a, coalesce=True) is not None
    assert _notify_address(territory_a, coalesce=True) is None
    assert _notify_address(territory_a, coalesce=True, subject="Autre objet") is not None
    assert _notify_address(territory_b, coalesce=True) is not None  # another territory's outbox
    Notification.objects.filter(territory=territory_a).update(email_state=EmailState.SENT)
    assert _notify_address(territory_a, coalesce=True) is not None  # the first one has gone: news again
    assert Notification.objects.count() == 4


@pytest.mark.django_db
def test_a_notification_has_a_user_or_an_address_never_both_nor_neither(territory_a):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(territory=territory_a, kind="k", subject="s", body="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            territory=territory_a,
            recipient=UserFactory(),
            email_address="x@exemple.fr",
            kind="k",
            subject="s",
            body="b",
        )


@pytest.mark.django_db
def test_withdrawing_an_addresss_emails_stays_in_its_territory(territory_a, territory_b):
    from portal.notifications.services import address_notifications_withdraw

    _notify_address(territory_a)
    _notify_address(territory_b)
    assert address_notifications_withdraw(territory=territory_a, email_address="interne@exemple.fr") == 1
    assert list(Notification.objects.values_list("territory", flat=True)) == [territory_b.pk]
