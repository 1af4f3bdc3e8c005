"""The public prevention agenda on portal/events: filters, past events with their attendance, the
territory's iCalendar feed, French messages for bad input, and the shared registration reused."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from portal.events.models import Event
from prevention.enums import AGENDA_EVENT_KIND, Theme
from prevention.models import AgendaDetails, PreventionEvent
from tests.events.factories import EventFactory, RegistrationFactory
from tests.prevention.factories import AgendaDetailsFactory, PreventionEventFactory

pytestmark = pytest.mark.django_db


def _url(name, territory):
    return reverse(f"prevention:{name}", kwargs={"territory_slug": territory.slug})


def _agenda_event(territory, theme=Theme.NUTRITION, commune=None, **event):
    return AgendaDetailsFactory(
        territory=territory, theme=theme, event=PreventionEventFactory(territory=territory, commune=commune, **event)
    ).event


def test_agenda_lists_coming_prevention_events_only(territory_a, territory_b, client):
    mine = _agenda_event(territory_a, title="Mercredi de la santé : le sommeil")
    EventFactory(territory=territory_a, kind="training.session", title="Formation FMC")
    _agenda_event(territory_a, title="Brouillon", status="draft")
    _agenda_event(territory_b, title="Mercredi de Bêta")
    _agenda_event(territory_a, title="Passé", past=True)

    response = client.get(_url("agenda", territory_a))

    assert [e.title for e in response.context["events"]] == [mine.title]
    body = response.content.decode()
    assert "Nutrition et alimentation" in body and "inscription sans compte" in body
    assert reverse("events:detail", args=[territory_a.slug, mine.pk]) in body


def test_agenda_filters_by_theme_commune_and_dates(territory_a, communes_a, client):
    alpha, bourg, _cap = communes_a
    soon = timezone.now() + dt.timedelta(days=3)
    later = timezone.now() + dt.timedelta(days=40)
    first_aid = _agenda_event(territory_a, Theme.FIRST_AID, bourg, title="PSC1", starts_at=soon)
    _agenda_event(territory_a, Theme.NUTRITION, alpha, title="Nutrition", starts_at=soon)
    _agenda_event(territory_a, Theme.FIRST_AID, bourg, title="PSC1 plus tard", starts_at=later)

    def titles(**query):
        return [e.title for e in client.get(_url("agenda", territory_a), query).context["events"]]

    assert titles(theme=Theme.FIRST_AID) == ["PSC1", "PSC1 plus tard"]
    assert titles(commune=alpha.pk) == ["Nutrition"]
    until = (soon + dt.timedelta(days=1)).date().isoformat()
    assert titles(theme=Theme.FIRST_AID, au=until) == [first_aid.title]


def test_past_events_keep_their_attendance_figures(territory_a, client, django_assert_max_num_queries):
    for n in range(6):
        event = _agenda_event(territory_a, title=f"Université de la santé {n}", past=True, capacity=50)
        for attended in (True, True, False):
            RegistrationFactory(territory=territory_a, event=event, anonymous=True, attended=attended)
    with django_assert_max_num_queries(6):
        response = client.get(_url("agenda", territory_a), {"quand": "passes"})
    events = response.context["events"]
    assert len(events) == 6 and all(e.attended_count == 2 for e in events)
    assert "2 personnes présentes pour 50 places" in response.content.decode()


def test_agenda_query_count_does_not_grow(territory_a, communes_a, client, django_assert_max_num_queries):
    for n in range(15):
        event = _agenda_event(territory_a, commune=communes_a[n % 3], title=f"Stand {n}")
        RegistrationFactory(territory=territory_a, event=event)
    with django_assert_max_num_queries(6):
        response = client.get(_url("agenda", territory_a))
    assert len(response.context["events"]) == 15


@pytest.mark.parametrize(
    "query",
    [
        {"theme": "<script>alert(1)</script>"},
        {"commune": "abc"},
        {"commune": "999999"},
        {"du": "2026-13-45"},
        {"du": "2026-05-10", "au": "2026-05-01"},
        {"quand": "hier"},
        {"du": "x" * 500},
    ],
)
def test_garbage_in_the_agenda_or_its_feed_gets_a_french_message_not_a_500(territory_a, client, query):
    page = client.get(_url("agenda", territory_a), query)
    assert page.status_code == 400
    body = page.content.decode()
    assert any(
        text in body
        for text in ("Sélectionnez un choix valide", "Saisissez une date valide", "La date de fin doit être après")
    ), body
    feed = client.get(_url("feed", territory_a), query)
    assert feed.status_code == 400
    assert feed.content.decode().startswith("Filtre non valable pour le flux d'agenda.")


def test_feed_parses_with_icalendar_and_holds_the_filtered_prevention_events(
    territory_a, territory_b, communes_a, client, django_assert_max_num_queries
):
    for n in range(8):
        _agenda_event(territory_a, Theme.FIRST_AID if n % 2 else Theme.NUTRITION, communes_a[0], title=f"Atelier {n}")
    EventFactory(territory=territory_a, kind="training.session", title="Formation FMC")
    _agenda_event(territory_b, title="Atelier de Bêta")
    with django_assert_max_num_queries(5):
        response = client.get(_url("feed", territory_a), {"theme": Theme.FIRST_AID})
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    summaries = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert summaries == ["Atelier 1", "Atelier 3", "Atelier 5", "Atelier 7"]
    assert all(str(e["LOCATION"]).endswith("Alpha-Ville") for e in calendar.walk("VEVENT"))
    everything = [
        str(e["SUMMARY"]) for e in Calendar.from_ical(client.get(_url("feed", territory_a)).content).walk("VEVENT")
    ]
    assert len(everything) == 8 and "Formation FMC" not in everything and "Atelier de Bêta" not in everything


def test_a_full_event_puts_the_resident_on_the_shared_waiting_list(territory_a, login, client):
    """Registration is portal/events' own: the agenda links to it, nothing else registers."""
    from tests.portal.factories import UserFactory

    event = _agenda_event(territory_a, capacity=1, title="PSC1 — dix places")
    RegistrationFactory(territory=territory_a, event=event)
    resident = login(UserFactory())
    response = resident.post(reverse("events:detail", args=[territory_a.slug, event.pk]), follow=True)
    assert "L&#x27;événement est complet : vous êtes sur la liste d&#x27;attente, en position 1." in (
        response.content.decode()
    )


# --- the admin -------------------------------------------------------------------------------------


def _event_post(territory, **overrides):
    start = (timezone.localtime() + dt.timedelta(days=10)).replace(microsecond=0)
    data = {
        "territory": territory.pk,
        "title": "Mercredi de la santé : le diabète",
        "description": "",
        "audience": "public",
        "status": "published",
        "starts_at_0": start.strftime("%d/%m/%Y"),
        "starts_at_1": "10:00:00",
        "ends_at_0": start.strftime("%d/%m/%Y"),
        "ends_at_1": "16:00:00",
        "place": "Salle des fêtes",
        "capacity": "30",
        "allow_anonymous": "on",
        "prevention_details-TOTAL_FORMS": "1",
        "prevention_details-INITIAL_FORMS": "0",
        "prevention_details-MIN_NUM_FORMS": "1",
        "prevention_details-MAX_NUM_FORMS": "1",
        "prevention_details-0-theme": Theme.CHRONIC_DISEASES,
        "prevention_details-0-initiative": "",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_coordinator_publishes_a_prevention_event_with_its_theme(territory_a, coordinator_a, login):
    client = login(coordinator_a)
    response = client.post(reverse("admin:prevention_preventionevent_add"), _event_post(territory_a))
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    assert event.kind == AGENDA_EVENT_KIND
    assert AgendaDetails.objects.get(event=event).theme == Theme.CHRONIC_DISEASES
    listed = client.get(reverse("admin:prevention_preventionevent_changelist")).context["cl"].result_list
    assert [e.pk for e in listed] == [event.pk]


def test_an_event_ending_before_it_starts_is_refused_in_french(territory_a, coordinator_a, login):
    client = login(coordinator_a)
    response = client.post(
        reverse("admin:prevention_preventionevent_add"), _event_post(territory_a, ends_at_1="08:00:00")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ends_at"] == ["La fin doit être après le début de l'événement."]
    assert not Event.objects.exists()


def test_prevention_admin_lists_only_the_agenda(territory_a, coordinator_a, login):
    EventFactory(territory=territory_a, kind="training.session")
    mine = PreventionEventFactory(territory=territory_a)
    listed = login(coordinator_a).get(reverse("admin:prevention_preventionevent_changelist")).context["cl"]
    assert [e.pk for e in listed.result_list] == [mine.pk]
    assert PreventionEvent.objects.agenda().count() == 1
