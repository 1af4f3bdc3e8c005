"""Follow-ups after settlement reach the professional first: an e-mail with a signed link asks
"exercez-vous toujours sur le territoire ?"; their answer records the follow-up and tells the team;
the team is reminded only when no answer came; the totals reach the dashboard and the report."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from installations.enums import EventKind
from installations.figures import annual_report_section, follow_up_totals
from installations.models import CaseEvent
from installations.services.follow_ups import follow_up_token, follow_ups_ask_due
from installations.services.reminders import follow_ups_remind_due
from portal.notifications.models import Notification
from tests.installations.factories import CaseFactory, FollowUpFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(territory_a):
    case = CaseFactory(territory=territory_a, settled=True, applicant=None, applicant_email="dr.leroy@exemple.fr")
    return FollowUpFactory(territory=territory_a, case=case, years=1, due_date=timezone.localdate())


def _link_path(body):
    return "/" + re.search(r"https?://[^/\s]+/(\S+/suivi/\S+/)", body).group(1)


def test_the_professional_is_asked_once_by_email_with_a_link_that_answers(
    due, territory_a, coordinator_a, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_ups_ask_due(territory=territory_a) == 1
        assert follow_ups_ask_due(territory=territory_a) == 0  # once
    [message] = [m for m in mail.outbox if m.to == ["dr.leroy@exemple.fr"]]
    assert "Exercez-vous toujours sur le territoire ?" in message.subject
    assert due.case.reference in message.body
    path = _link_path(message.body)

    page = client.get(path)  # opening the link records nothing
    assert page.status_code == 200 and "Exercez-vous toujours sur le territoire ?" in page.content.decode()
    due.refresh_from_db()
    assert due.done_at is None

    refused = client.post(path, {"comment": "Toujours à Valognes"})
    assert refused.status_code == 200
    assert "Choisissez oui ou non." in refused.content.decode()
    assert "Toujours à Valognes" in refused.content.decode()  # what was typed stays

    with django_capture_on_commit_callbacks(execute=True):
        thanks = client.post(path, {"still_practising": "yes", "comment": "Toujours à Valognes"})
    assert "Merci pour votre réponse" in thanks.content.decode()
    due.refresh_from_db()
    assert due.still_practising is True and due.answered_by_professional and due.comment == "Toujours à Valognes"
    assert CaseEvent.objects.filter(case=due.case, kind=EventKind.FOLLOW_UP_DONE).exists()
    assert Notification.objects.filter(recipient=coordinator_a, kind="installations.follow_up_answered").exists()
    # Answered: the team is not reminded, and the link only thanks.
    assert follow_ups_remind_due(territory=territory_a) == 0
    assert "Merci pour votre réponse" in client.get(path).content.decode()


def test_a_link_of_another_territory_or_tampered_answers_404(due, territory_b, client):
    token = follow_up_token(due)
    assert client.get(f"/{territory_b.slug}/installation/suivi/{token}/").status_code == 404
    assert client.get(f"/{due.territory.slug}/installation/suivi/{token[:-2]}xx/").status_code == 404


def test_the_team_is_reminded_when_the_professional_does_not_answer(due, territory_a, coordinator_a, settings):
    settings.FOLLOW_UP_ANSWER_DAYS = 21
    follow_ups_ask_due(territory=territory_a)
    assert follow_ups_remind_due(territory=territory_a) == 0  # asked today: wait for them
    due.__class__.objects.filter(pk=due.pk).update(asked_at=timezone.now() - datetime.timedelta(days=22))
    assert follow_ups_remind_due(territory=territory_a) == 1
    reminder = Notification.objects.get(recipient=coordinator_a, kind="installations.follow_up_due")
    assert "n'a pas répondu" in reminder.body


def test_still_practising_is_totalled_for_the_dashboard_and_the_report(territory_a, coordinator_a, login):
    now = timezone.now()
    for years, still in ((1, True), (1, True), (1, False), (3, True)):
        FollowUpFactory(territory=territory_a, years=years, done_at=now, still_practising=still)
    FollowUpFactory(territory=territory_a, years=5)  # not recorded yet
    totals = {row.years: (row.answered, row.still_practising) for row in follow_up_totals(territory=territory_a)}
    assert totals == {1: (3, 2), 3: (1, 1), 5: (0, 0)}

    section = annual_report_section(territory=territory_a, year=now.year)
    figures = dict(section.figures)
    assert figures["Toujours en exercice sur le territoire (suivis enregistrés)"] == (
        "2 sur 3 à 1 an, 1 sur 1 à 3 ans, — à 5 ans"
    )
    page = login(coordinator_a).get(reverse("admin:installations_dashboard")).content.decode()
    assert "Toujours en exercice sur le territoire" in page


def test_no_follow_up_recorded_yet_says_so(territory_a):
    from installations.figures import follow_up_totals_text

    assert follow_up_totals_text(follow_up_totals(territory=territory_a)) == "aucun suivi enregistré"
