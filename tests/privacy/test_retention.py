"""Each kind of personal data goes after its retention period (settings.PERSONAL_DATA_RETENTION_DAYS)
and younger rows stay; the nightly job is declared like every periodic task."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from installations.enums import CaseStatus, EventKind
from installations.models import Case
from portal.events.models import Registration
from portal.hooks import beat_schedule, retention_rules
from portal.notifications.enums import EmailState
from portal.notifications.models import Notification
from portal.privacy import tasks
from portal.privacy.models import AccessLog
from portal.privacy.services import territory_retention_purge
from tests.events.factories import EventFactory, RegistrationFactory
from tests.installations.factories import (
    CaseDocumentFactory,
    CaseFactory,
    FollowUpFactory,
    MessageFactory,
    NeedFactory,
    NoteFactory,
)
from tests.notifications.factories import NotificationFactory
from tests.privacy.factories import AccessLogFactory
from tests.privacy.markers import files_containing, tables_containing

pytestmark = pytest.mark.django_db


def days_ago(days, hours=0):
    return timezone.now() - datetime.timedelta(days=days, hours=hours)


def test_every_declared_rule_has_a_duration_and_the_job_is_scheduled(settings):
    keys = [rule.key for rule in retention_rules()]
    assert sorted(keys) == sorted(settings.PERSONAL_DATA_RETENTION_DAYS)
    assert beat_schedule()["privacy-retention-purge"]["task"] == "portal.privacy.tasks.retention_purge"


def test_unconfirmed_requests_go_after_their_period_and_younger_ones_stay(territory_a):
    old = CaseFactory(
        territory=territory_a,
        status=CaseStatus.UNCONFIRMED,
        applicant=None,
        confirmed_at=None,
        applicant_email="oublie-MARQUE@exemple.fr",
        submitted_at=days_ago(31),
    )
    young = CaseFactory(territory=territory_a, status=CaseStatus.UNCONFIRMED, applicant=None, submitted_at=days_ago(29))
    confirmed = CaseFactory(territory=territory_a, submitted_at=days_ago(400))
    assert territory_retention_purge(territory=territory_a)["installations.unconfirmed_requests"] == 1
    assert not Case.objects.filter(pk=old.pk).exists()
    assert set(Case.objects.values_list("pk", flat=True)) == {young.pk, confirmed.pk}
    assert tables_containing("oublie-MARQUE") == []


def test_closed_cases_are_anonymised_after_their_period_files_included(
    territory_a, coordinator_a, login, django_capture_on_commit_callbacks
):
    old = CaseFactory(
        territory=territory_a,
        status=CaseStatus.CLOSED,
        closed_at=days_ago(3 * 365 + 1),
        applicant_last_name="Vieuxnom-MARQUE",
        applicant_phone="06 00 00 00 01",
    )
    MessageFactory(territory=territory_a, case=old, body="Mon message MARQUE-MSG")
    NoteFactory(territory=territory_a, case=old, body="Note MARQUE-NOTE")
    NeedFactory(territory=territory_a, case=old, details="Précision MARQUE-BESOIN")
    document = CaseDocumentFactory(territory=territory_a, case=old, file__data=b"%PDF-1.4 MARQUE-FICHIER")
    young = CaseFactory(
        territory=territory_a,
        status=CaseStatus.SETTLED,
        closed_at=days_ago(3 * 365 - 1),
        applicant_last_name="Recent-GARDE",
    )
    followed = CaseFactory(
        territory=territory_a, status=CaseStatus.SETTLED, closed_at=days_ago(4 * 365), applicant_last_name="Suivi-GARDE"
    )
    FollowUpFactory(territory=territory_a, case=followed, years=5, due_date=(days_ago(-365)).date())
    open_case = CaseFactory(territory=territory_a, submitted_at=days_ago(5 * 365), applicant_last_name="Ouvert-GARDE")
    assert files_containing(b"MARQUE-FICHIER") == [document.file.path]

    with django_capture_on_commit_callbacks(execute=True):
        purged = territory_retention_purge(territory=territory_a)

    assert purged["installations.closed_cases"] == 1
    assert tables_containing("MARQUE") == []
    assert files_containing(b"MARQUE-FICHIER") == []
    old.refresh_from_db()
    assert old.erased_at and old.status == CaseStatus.CLOSED and old.needs.count() == 1  # the kind stays
    assert old.events.filter(kind=EventKind.DATA_ERASED, actor=None).exists()
    # The coordinators' export no longer holds anything of it; the younger and open cases stay whole.
    response = login(coordinator_a).get(reverse("admin:installations_case_export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert "MARQUE" not in text and any("Recent-GARDE" in row for row in rows)
    assert any("Ouvert-GARDE" in row for row in rows)
    young.refresh_from_db()
    followed.refresh_from_db()
    assert young.erased_at is None and open_case.erased_at is None
    assert followed.erased_at is None, "the 5-year follow-up still needs the person"


def test_registrations_without_account_lose_name_and_email_after_their_period(territory_a):
    past = EventFactory(territory=territory_a, starts_at=days_ago(366, hours=3))
    recent = EventFactory(territory=territory_a, starts_at=days_ago(300))
    old = RegistrationFactory(
        territory=territory_a, event=past, anonymous=True, name="Habitante MARQUE", email="marque@exemple.fr"
    )
    with_account = RegistrationFactory(territory=territory_a, event=past)
    young = RegistrationFactory(territory=territory_a, event=recent, anonymous=True, name="Jeune GARDE")
    assert territory_retention_purge(territory=territory_a)["events.anonymous_registrations"] == 1
    assert tables_containing("MARQUE") == [] and tables_containing("marque@") == []
    old.refresh_from_db()
    assert old.name == "" and old.email == f"efface-{old.pk}@invalid" and old.status == with_account.status
    assert Registration.objects.get(pk=young.pk).name == "Jeune GARDE"
    assert territory_retention_purge(territory=territory_a)["events.anonymous_registrations"] == 0


def test_notifications_go_after_their_period_unless_still_to_send(territory_a):
    old = NotificationFactory(
        territory=territory_a, created_at=days_ago(366), body="MARQUE", email_state=EmailState.SENT
    )
    waiting = NotificationFactory(territory=territory_a, created_at=days_ago(366), email_state=EmailState.PENDING)
    young = NotificationFactory(territory=territory_a, created_at=days_ago(364), email_state=EmailState.SENT)
    assert territory_retention_purge(territory=territory_a)["notifications.messages"] == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {waiting.pk, young.pk}
    assert not Notification.objects.filter(pk=old.pk).exists()


def test_the_access_log_goes_after_its_period_and_only_the_territorys(territory_a, territory_b, settings):
    old = AccessLogFactory(territory=territory_a, created_at=days_ago(366))
    young = AccessLogFactory(territory=territory_a, created_at=days_ago(364))
    other = AccessLogFactory(territory=territory_b, created_at=days_ago(400))
    assert territory_retention_purge(territory=territory_a)["privacy.access_log"] == 1
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {young.pk, other.pk}
    # The duration is the setting's.
    settings.PERSONAL_DATA_RETENTION_DAYS = {**settings.PERSONAL_DATA_RETENTION_DAYS, "privacy.access_log": 30}
    assert territory_retention_purge(territory=territory_a)["privacy.access_log"] == 1
    assert not AccessLog.objects.filter(pk=old.pk).exists()


def test_the_nightly_task_purges_every_territory(territory_a, territory_b, django_capture_on_commit_callbacks):
    AccessLogFactory(territory=territory_a, created_at=days_ago(400))
    AccessLogFactory(territory=territory_b, created_at=days_ago(400))
    kept = AccessLogFactory(territory=territory_b, created_at=days_ago(1))
    with django_capture_on_commit_callbacks(execute=True):  # eager in tests: each territory's task runs
        tasks.retention_purge()
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_rule_without_a_duration_or_with_a_misspelt_purge_fails_the_checks(monkeypatch):
    import dataclasses

    from django.apps import apps

    from portal import checks as portal_checks
    from portal.hooks import RetentionRule

    config = apps.get_app_config("privacy")
    rule = RetentionRule("privacy.unknown", label="x", outcome="y", purge="portal.privacy.services.access_log_prune")
    monkeypatch.setattr(config, "hooks", dataclasses.replace(config.hooks, retention=(rule,)))
    ids = sorted(error.id for error in portal_checks.check_app_hooks([config]))
    assert ids == ["portal.E002", "portal.E007"]
