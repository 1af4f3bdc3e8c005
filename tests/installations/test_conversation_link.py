"""An applicant without an account answers the coordinator from the news e-mail's link: signed,
expiring, of one case and one territory, ended by a corrected address or an account."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from installations.enums import CaseStatus
from installations.models import Case, Message
from installations.services.applicant_mail import (
    CONVERSATION_MAX_AGE,
    case_confirmation_token,
    conversation_token,
)
from installations.services.exchanges import message_post
from installations.services.lifecycle import case_take_charge
from installations.services.submission import case_confirm_email
from tests.installations.test_services import submit
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_with_news(territory_a, coordinator_a, django_capture_on_commit_callbacks):
    case = submit(territory_a, None, email="sans.compte@exemple.fr")
    case_confirm_email(token=case_confirmation_token(case))
    case.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_take_charge(actor=coordinator_a, case=case)
        message_post(actor=coordinator_a, case=case, body="Pouvez-vous passer mardi à 10 h ?")
    case.refresh_from_db()
    return case


def link_in(email):
    return re.search(r"https?://\S+/messages/\S+/", email.body).group(0)


def test_the_news_e_mail_links_to_the_conversation_and_the_answer_reaches_the_case(case_with_news, coordinator_a):
    [sent] = [m for m in mail.outbox if m.to == ["sans.compte@exemple.fr"]]
    assert "ne répondez pas à cet e-mail" in sent.body and f"valable {CONVERSATION_MAX_AGE.days} jours" in sent.body
    path = link_in(sent).split("://", 1)[1].split("/", 1)[1]
    client = Client()
    page = client.get(f"/{path}")
    assert page.status_code == 200
    assert "Pouvez-vous passer mardi à 10 h ?" in page.content.decode()

    response = client.post(f"/{path}", {"message-body": "Oui, mardi me convient."})
    assert response.status_code == 302
    answer = Message.objects.get(case=case_with_news, from_applicant=True)
    assert (answer.body, answer.author) == ("Oui, mardi me convient.", None)
    # The coordinator hears of it, as with an answer from the personal space.
    assert case_with_news.events.filter(summary="Message du demandeur").exists()
    refused = client.post(f"/{path}", {"message-body": "  "})
    assert refused.status_code == 400 and "id_message-body_error" in refused.content.decode()


def test_a_link_of_another_territory_an_old_link_or_a_forged_one_shows_nothing(case_with_news, territory_b):
    token = conversation_token(case_with_news)
    other = reverse("installations:conversation", kwargs={"territory_slug": territory_b.slug, "token": token})
    assert Client().get(other).status_code == 404
    forged = reverse(
        "installations:conversation", kwargs={"territory_slug": case_with_news.territory.slug, "token": token + "x"}
    )
    assert Client().get(forged).status_code == 404
    # A link sent 31 days ago.
    old = conversation_token(case_with_news, today=timezone.localdate() - CONVERSATION_MAX_AGE - datetime.timedelta(1))
    url = reverse("installations:conversation", kwargs={"territory_slug": case_with_news.territory.slug, "token": old})
    expired = Client().get(url)
    assert expired.status_code == 404 and "Ce lien a expiré" in expired.content.decode()
    assert "Pouvez-vous passer" not in expired.content.decode()


def test_a_corrected_address_or_an_account_ends_the_link(case_with_news):
    url = reverse(
        "installations:conversation",
        kwargs={"territory_slug": case_with_news.territory.slug, "token": conversation_token(case_with_news)},
    )
    Case.objects.filter(pk=case_with_news.pk).update(confirmation_nonce="0" * 32)
    assert Client().get(url).status_code == 404
    case_with_news.refresh_from_db()
    url = reverse(
        "installations:conversation",
        kwargs={"territory_slug": case_with_news.territory.slug, "token": conversation_token(case_with_news)},
    )
    Case.objects.filter(pk=case_with_news.pk).update(applicant=UserFactory(email="sans.compte@exemple.fr"))
    page = Client().get(url)
    assert page.status_code == 404 and "connectez-vous" in page.content.decode()


def test_a_closed_case_shows_its_messages_but_takes_no_answer(case_with_news):
    Case.objects.filter(pk=case_with_news.pk).update(status=CaseStatus.CLOSED)
    url = reverse(
        "installations:conversation",
        kwargs={"territory_slug": case_with_news.territory.slug, "token": conversation_token(case_with_news)},
    )
    client = Client()
    assert "Pouvez-vous passer mardi" in client.get(url).content.decode()
    client.post(url, {"message-body": "Encore une question"})
    assert not Message.objects.filter(case=case_with_news, from_applicant=True).exists()
