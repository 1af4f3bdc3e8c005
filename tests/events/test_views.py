"""The event pages of a territory's site and the registrations in a person's space."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from portal.events.enums import RegistrationStatus
from portal.events.models import Registration
from tests.events.factories import EventFactory, RegistrationFactory
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


def _detail(event, slug=None):
    return reverse("events:detail", args=[slug or event.territory.slug, event.pk])


def test_event_page_shows_the_event_and_its_free_places(territory_a, client):
    event = EventFactory(territory=territory_a, title="Mercredi de la santé : diabète", capacity=3)
    RegistrationFactory(territory=territory_a, event=event)
    response = client.get(_detail(event))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mercredi de la santé : diabète" in body
    assert "2 places disponibles" in body
    assert "Connectez-vous pour vous inscrire" in body


@pytest.mark.parametrize("trait", ["draft", "other_territory", "missing"])
def test_draft_other_territory_or_missing_event_answers_404_with_its_ics(territory_a, territory_b, client, trait):
    if trait == "draft":
        event = EventFactory(territory=territory_a, draft=True)
    elif trait == "other_territory":
        event = EventFactory(territory=territory_b)
    else:
        event = EventFactory.build(territory=territory_a, pk=987654)
    assert client.get(_detail(event, slug=territory_a.slug)).status_code == 404
    assert client.get(reverse("events:ics", args=[territory_a.slug, event.pk])).status_code == 404


def test_signed_in_person_registers_with_one_button(territory_a, login):
    event = EventFactory(territory=territory_a, capacity=5)
    person = UserFactory()
    client = login(person)
    response = client.post(_detail(event), follow=True)
    assert "Votre inscription est enregistrée" in response.content.decode()
    assert Registration.objects.get(event=event, user=person).status == RegistrationStatus.REGISTERED
    # Twice: refused with a French message, nothing more recorded.
    response = client.post(_detail(event), follow=True)
    assert "Votre inscription à cet événement est déjà enregistrée." in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_full_event_puts_the_person_on_the_waiting_list_and_shows_their_position(territory_a, login):
    event = EventFactory(territory=territory_a, capacity=1)
    RegistrationFactory(territory=territory_a, event=event)
    RegistrationFactory(territory=territory_a, event=event, waitlisted=True)
    client = login(UserFactory())
    page = client.get(_detail(event)).content.decode()
    assert "M'inscrire sur la liste d'attente" in page
    body = client.post(_detail(event), follow=True).content.decode()
    assert "liste d&#x27;attente, en position 2" in body


def test_registration_closed_shows_why_and_a_post_changes_nothing(territory_a, login):
    event = EventFactory(territory=territory_a, registration_closes_at=timezone.now() - dt.timedelta(hours=1))
    client = login(UserFactory())
    assert "Les inscriptions sont closes." in client.get(_detail(event)).content.decode()
    body = client.post(_detail(event), follow=True).content.decode()
    assert "Les inscriptions sont closes." in body
    assert not Registration.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in_when_the_event_needs_an_account(territory_a, client):
    event = EventFactory(territory=territory_a)
    response = client.post(_detail(event), {"name": "Paul", "email": "paul@exemple.fr"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not Registration.objects.exists()


def test_ics_download_parses_and_names_the_event(territory_a, client):
    event = EventFactory(territory=territory_a, title="Université de la santé ; le sommeil, enjeu de santé")
    response = client.get(reverse("events:ics", args=[territory_a.slug, event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Université de la santé ; le sommeil, enjeu de santé"
    assert str(vevent["UID"]) == f"event-{event.pk}-{territory_a.slug}@guichet-sante"
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert "DTSTAMP" in vevent


def test_my_registrations_list_and_cancel_with_post(territory_a, login, django_capture_on_commit_callbacks):
    person = UserFactory()
    event = EventFactory(territory=territory_a, capacity=1, title="Formation télésanté")
    mine = RegistrationFactory(territory=territory_a, event=event, user=person)
    waiting = RegistrationFactory(territory=territory_a, event=event, user__email="attente@exemple.fr", waitlisted=True)
    client = login(person)
    page = client.get(reverse("events_space:list")).content.decode()
    assert "Formation télésanté" in page and "Annuler mon inscription" in page

    cancel = reverse("events_space:cancel", args=[mine.pk])
    assert client.get(cancel).status_code == 405
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel, follow=True)
    assert "est annulée" in response.content.decode()
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.REGISTERED
    assert [m.to for m in mail.outbox if "place s'est libérée" in m.subject] == [["attente@exemple.fr"]]


def test_cancelling_someone_elses_registration_answers_404(territory_a, login):
    theirs = RegistrationFactory(territory=territory_a)
    response = login(UserFactory()).post(reverse("events_space:cancel", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == RegistrationStatus.REGISTERED


def test_cancel_needs_the_csrf_token(territory_a):
    person = UserFactory()
    mine = RegistrationFactory(territory=territory_a, user=person)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.post(reverse("events_space:cancel", args=[mine.pk])).status_code == 403


def test_personal_space_links_to_my_registrations(login):
    page = login(UserFactory()).get(reverse("portal:personal_space")).content.decode()
    assert reverse("events_space:list") in page


# --- query counts --------------------------------------------------------------------------------


def test_event_list_query_count_does_not_grow_with_events(territory_a, client, django_assert_max_num_queries):
    for _ in range(12):
        event = EventFactory(territory=territory_a)
        RegistrationFactory.create_batch(2, territory=territory_a, event=event)
    url = reverse("events:list", args=[territory_a.slug])
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count('class="card"') == 12


def test_my_registrations_query_count_does_not_grow(territory_a, territory_b, login, django_assert_max_num_queries):
    person = UserFactory()
    client = login(person)
    for territory in (territory_a, territory_b):
        for _ in range(6):
            event = EventFactory(territory=territory, capacity=1)
            RegistrationFactory(territory=territory, event=event)
            RegistrationFactory(territory=territory, event=event, user=person, waitlisted=True)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events_space:list"))
    assert response.content.decode().count("position 1") == 12


def test_demo_has_one_published_event_per_territory_and_reseeding_changes_nothing():
    from io import StringIO

    from django.core.management import call_command

    from portal.events.models import Event

    call_command("seed_demo", force=True, stdout=StringIO())
    first = dict(Event.objects.values_list("pk", "starts_at"))
    call_command("seed_demo", force=True, stdout=StringIO())
    assert dict(Event.objects.values_list("pk", "starts_at")) == first
    # The portal's own demo events (the axis apps add theirs, of their kinds).
    assert sorted(Event.objects.published().filter(kind="").values_list("territory__slug", flat=True)) == [
        "agen",
        "cotentin",
        "deux-sevres",
    ]
    agen = Event.objects.get(territory__slug="agen", kind="")
    assert agen.allow_anonymous and agen.commune is not None and agen.organiser is not None


def test_pages_render_every_variable(territory_a, login, client, coordinator_a):
    """The test settings render an undefined variable as !!MISSING:…!!: none on the events' pages."""
    event = EventFactory(territory=territory_a, open_to_all=True, capacity=None)
    person = UserFactory()
    RegistrationFactory(territory=territory_a, event=event, user=person)
    RegistrationFactory(territory=territory_a, event__past=True, user=person, attended=True)
    pages = [
        client.get(reverse("events:list", args=[territory_a.slug])),
        client.get(_detail(event)),
        client.post(_detail(event), {"name": "", "email": "x"}),
        login(person).get(_detail(event)),
        login(person).get(reverse("events_space:list")),
        login(coordinator_a).get(reverse("admin:events_event_change", args=[event.pk])),
        login(coordinator_a).get(reverse("admin:events_registration_changelist")),
    ]
    for response in pages:
        assert response.status_code == 200
        assert "!!MISSING" not in response.content.decode()


def test_territory_feed_parses_lists_coming_public_events_and_filters_by_kind(
    territory_a, territory_b, client, django_assert_max_num_queries
):
    for n in range(8):
        EventFactory(territory=territory_a, kind="prevention.agenda", title=f"Mercredi de la santé {n}")
    EventFactory(territory=territory_a, kind="training.session", title="Formation FMC")
    EventFactory(territory=territory_a, draft=True, title="Brouillon")
    EventFactory(territory=territory_b, title="Événement de Bêta")
    url = reverse("events:feed", args=[territory_a.slug])
    with django_assert_max_num_queries(4):
        response = client.get(url, {"type": "prevention.agenda"})
    assert response.status_code == 200
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert len(summaries) == 8 and all(s.startswith("Mercredi de la santé") for s in summaries)
    everything = [str(e["SUMMARY"]) for e in Calendar.from_ical(client.get(url).content).walk("VEVENT")]
    assert "Formation FMC" in everything and "Brouillon" not in everything and "Événement de Bêta" not in everything


@pytest.mark.parametrize("garbage", ["<script>", "a b", "PREVENTION", "x" * 300, "'; drop table"])
def test_garbage_in_the_feed_query_gets_a_french_message_not_a_500(territory_a, client, garbage):
    response = client.get(reverse("events:feed", args=[territory_a.slug]), {"type": garbage})
    assert response.status_code == 400
    assert "Type d'événement non valable" in response.content.decode()


def test_organiser_takes_attendance_on_the_sheet_and_others_get_404(
    territory_a, coordinator_b, login, django_assert_max_num_queries
):
    organiser = UserFactory(email="msu@exemple.fr")
    event = EventFactory(territory=territory_a, past=True, title="Formation des maîtres de stage")
    event.organiser_users.add(organiser)
    registrations = [RegistrationFactory(territory=territory_a, event=event) for _ in range(10)]
    RegistrationFactory(territory=territory_a, event=event, waitlisted=True, user__last_name="Enattente")
    url = reverse("events:attendance", args=[territory_a.slug, event.pk])
    client = login(organiser)
    with django_assert_max_num_queries(12):  # +1: the session (database), +1: the footer's RGAA status (cold cache)
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('value="present"') == 10 and "Enattente" not in page.content.decode()

    response = client.post(url, {"registration": registrations[0].pk, "attended": "present"}, follow=True)
    assert "présence notée" in response.content.decode()
    registrations[0].refresh_from_db()
    assert registrations[0].attended is True
    assert "Choisissez une personne" in client.post(url, {"registration": "x"}, follow=True).content.decode()

    attendee = registrations[1].user
    assert login(attendee).get(url).status_code == 404
    assert login(attendee).post(url, {"registration": registrations[1].pk, "attended": "present"}).status_code == 404
    assert login(coordinator_b).get(url).status_code == 404
    registrations[1].refresh_from_db()
    assert registrations[1].attended is None


def test_territory_home_leads_to_the_events(territory_a, client):
    page = client.get(reverse("portal:territory_home", args=[territory_a.slug])).content.decode()
    assert "Agenda des événements" in page
    assert reverse("events:list", args=[territory_a.slug]) in page
