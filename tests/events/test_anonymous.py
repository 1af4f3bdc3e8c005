"""A resident without an account registers with their name and e-mail, confirms by the e-mailed
link (a page with a button, never a GET that registers), and may cancel by the link they receive."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.events.enums import RegistrationStatus
from portal.events.models import Registration
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(territory_a):
    return EventFactory(territory=territory_a, open_to_all=True, capacity=1, title="Mercredi de la santé : le sommeil")


def _link(message, word):
    return re.search(rf"https?://[^\s]+/{word}/[^\s]+/", message.body).group(0).split("://", 1)[1].split("/", 1)[1]


def _post(client, url, data, capture):
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(url, data)
    return response


def test_resident_registers_without_an_account_after_confirming_by_email(
    event, client, django_capture_on_commit_callbacks
):
    detail = reverse("events:detail", args=[event.territory.slug, event.pk])
    response = _post(
        client, detail, {"name": "Camille Martin", "email": "Camille@Exemple.fr"}, django_capture_on_commit_callbacks
    )
    assert "Un e-mail vient d'être envoyé à camille@exemple.fr" in response.content.decode()
    assert not Registration.objects.exists()  # nothing until the address is confirmed
    [confirmation] = mail.outbox
    assert confirmation.to == ["camille@exemple.fr"]
    assert "Confirmez votre inscription" in confirmation.subject

    confirm_url = "/" + _link(confirmation, "confirmer")
    page = client.get(confirm_url)
    assert page.status_code == 200 and "Confirmer mon inscription" in page.content.decode()
    assert not Registration.objects.exists()  # a GET (a mail scanner) registers nobody

    response = _post(client, confirm_url, {}, django_capture_on_commit_callbacks)
    assert "Votre inscription est enregistrée" in response.content.decode()
    registration = Registration.objects.get(event=event)
    assert (registration.user, registration.name, registration.email, registration.status) == (
        None,
        "Camille Martin",
        "camille@exemple.fr",
        RegistrationStatus.REGISTERED,
    )
    [registered] = mail.outbox
    assert "Inscription confirmée" in registered.subject and "Bonjour Camille Martin" in registered.body

    # The same link again: refused with a French message, still one registration.
    again = _post(client, confirm_url, {}, django_capture_on_commit_callbacks)
    assert "Votre inscription à cet événement est déjà enregistrée." in again.content.decode()
    assert Registration.objects.count() == 1

    # Cancelling by the link of the e-mail frees the place.
    cancel_url = "/" + _link(registered, "annuler")
    assert "Oui, annuler mon inscription" in client.get(cancel_url).content.decode()
    client.post(cancel_url)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_full_event_puts_the_resident_on_the_waiting_list_with_their_position(
    event, client, django_capture_on_commit_callbacks
):
    RegistrationFactory(territory=event.territory, event=event)
    detail = reverse("events:detail", args=[event.territory.slug, event.pk])
    _post(client, detail, {"name": "Léa Petit", "email": "lea@exemple.fr"}, django_capture_on_commit_callbacks)
    confirm_url = "/" + _link(mail.outbox[0], "confirmer")
    response = _post(client, confirm_url, {}, django_capture_on_commit_callbacks)
    assert "liste d&#x27;attente, en position 1" in response.content.decode() or (
        "liste d'attente, en position 1" in response.content.decode()
    )
    assert Registration.objects.get(email="lea@exemple.fr").status == RegistrationStatus.WAITLISTED


def test_bad_input_gets_french_messages_tied_to_the_fields_and_keeps_what_was_typed(event, client):
    detail = reverse("events:detail", args=[event.territory.slug, event.pk])
    response = client.post(detail, {"name": "Camille Martin", "email": "camille-at-exemple"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr." in body
    assert 'aria-describedby="id_email_error' in body and 'aria-invalid="true"' in body
    assert 'value="Camille Martin"' in body and 'value="camille-at-exemple"' in body
    response = client.post(detail, {"name": "", "email": ""})
    body = response.content.decode()
    assert "Indiquez votre nom et votre prénom." in body and "Indiquez votre adresse e-mail." in body
    assert not Registration.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("word", ["confirmer", "annuler"])
def test_a_tampered_or_foreign_link_answers_404_with_a_french_page(event, client, territory_b, word):
    response = client.get(
        reverse(
            f"events:{'confirm' if word == 'confirmer' else 'cancel_by_link'}", args=[event.territory.slug, "abc:def"]
        )
    )
    assert response.status_code == 404
    assert "Ce lien" in response.content.decode()
    assert client.post(response.request["PATH_INFO"]).status_code == 404
    assert not Registration.objects.exists()


def test_a_confirmation_link_of_one_territory_does_not_work_on_another(
    event, client, territory_b, django_capture_on_commit_callbacks
):
    detail = reverse("events:detail", args=[event.territory.slug, event.pk])
    _post(client, detail, {"name": "Camille", "email": "c@exemple.fr"}, django_capture_on_commit_callbacks)
    confirm_url = "/" + _link(mail.outbox[0], "confirmer")
    foreign = confirm_url.replace(f"/{event.territory.slug}/", f"/{territory_b.slug}/", 1)
    assert client.post(foreign).status_code == 404
    assert not Registration.objects.exists()


def test_the_form_does_not_send_endless_emails_to_one_address(event, client, django_capture_on_commit_callbacks):
    detail = reverse("events:detail", args=[event.territory.slug, event.pk])
    data = {"name": "Camille", "email": "cible@exemple.fr"}
    sent = 0
    for _attempt in range(5):
        _post(client, detail, data, django_capture_on_commit_callbacks)
        sent += len(mail.outbox)
    assert sent == 3
    body = client.post(detail, data).content.decode()
    assert "réessayez dans une heure" in body and 'value="cible@exemple.fr"' in body
