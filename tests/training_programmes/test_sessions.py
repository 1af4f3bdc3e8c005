"""Training sessions and welcome evenings: written with their shared event, listed on the territory's
site with filters, fed to the admin with their counts."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.events import services as events
from portal.events.enums import EventAudience, EventStatus, RegistrationStatus
from tests.events.factories import RegistrationFactory
from tests.portal.factories import UserFactory
from tests.training_programmes.factories import SessionFactory
from training.enums_programmes import SessionTheme
from training.models import Session
from training.services.sessions import session_save

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    start = timezone.now() + dt.timedelta(days=10)
    return {
        "title": "Formation des maîtres de stage",
        "audience": EventAudience.SUPERVISORS,
        "status": EventStatus.PUBLISHED,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=7),
        "capacity": 1,
        **overrides,
    }


def test_a_session_is_saved_with_its_event_of_the_training_kind(territory_a, coordinator_a):
    session = session_save(
        actor=coordinator_a,
        session=Session(territory=territory_a, theme=SessionTheme.SUPERVISOR_TRAINING),
        event_fields=_fields(),
    )
    assert session.event.kind == "training.session" and session.event.territory == territory_a

    welcome = session_save(
        actor=coordinator_a,
        session=Session(territory=territory_a, theme=SessionTheme.WELCOME_EVENING),
        event_fields=_fields(title="Soirée d'accueil des internes"),
    )
    assert welcome.event.kind == "training.welcome"


def test_an_event_ending_before_it_starts_is_refused_and_nothing_is_saved(territory_a, coordinator_a):
    start = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as refusal:
        session_save(
            actor=coordinator_a,
            session=Session(territory=territory_a, theme=SessionTheme.FIRST_AID),
            event_fields=_fields(starts_at=start, ends_at=start - dt.timedelta(hours=1)),
        )
    assert "La fin doit être après le début" in str(refusal.value.message_dict["ends_at"])
    assert not Session.objects.exists()


def test_another_territory_coordinator_may_not_create_a_session(territory_a, coordinator_b):
    with pytest.raises(PermissionDenied):
        session_save(
            actor=coordinator_b, session=Session(territory=territory_a, theme="first_aid"), event_fields=_fields()
        )


def test_raising_the_capacity_promotes_the_waiting_list(territory_a, coordinator_a):
    session = session_save(
        actor=coordinator_a, session=Session(territory=territory_a, theme="first_aid"), event_fields=_fields()
    )
    first, second = UserFactory(), UserFactory()
    events.registration_create(actor=first, event=session.event, user=first)
    waiting = events.registration_create(actor=second, event=session.event, user=second)
    assert waiting.status == RegistrationStatus.WAITLISTED

    session_save(actor=coordinator_a, session=session, event_fields={"capacity": 2})

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_public_list_shows_coming_sessions_filtered_by_theme_and_audience(client, territory_a, territory_b):
    SessionFactory(territory=territory_a, event__title="Premiers secours au cabinet", theme="first_aid")
    SessionFactory(territory=territory_a, welcome=True, event__title="Soirée des internes de novembre")
    SessionFactory(territory=territory_a, event__title="Brouillon caché", event__status=EventStatus.DRAFT)
    SessionFactory(territory=territory_a, event__title="Séance passée", event__past=True)
    SessionFactory(territory=territory_b, event__title="Formation de Bêta")
    url = reverse("training:sessions", args=[territory_a.slug])

    page = client.get(url).content.decode()
    assert "Premiers secours au cabinet" in page and "Soirée des internes de novembre" in page
    assert "Brouillon caché" not in page and "Séance passée" not in page and "Formation de Bêta" not in page

    by_theme = client.get(url, {"theme": "welcome_evening"}).content.decode()
    assert "Soirée des internes de novembre" in by_theme and "Premiers secours au cabinet" not in by_theme
    by_audience = client.get(url, {"audience": "professionals"}).content.decode()
    assert "Premiers secours au cabinet" in by_audience and "Soirée des internes de novembre" not in by_audience
    refused = client.get(url, {"theme": "n-importe-quoi"}).content.decode()
    assert "Sélectionnez un choix valide" in refused


def test_public_list_links_to_the_shared_event_page_and_counts_places(client, territory_a):
    session = SessionFactory(territory=territory_a, event__capacity=3)
    RegistrationFactory(territory=territory_a, event=session.event)
    page = client.get(reverse("training:sessions", args=[territory_a.slug])).content.decode()
    assert reverse("events:detail", args=[territory_a.slug, session.event_id]) in page
    assert "2 places disponibles" in page


def test_public_list_query_count_is_pinned(client, territory_a, django_assert_max_num_queries):
    for _ in range(15):
        session = SessionFactory(territory=territory_a)
        RegistrationFactory(territory=territory_a, event=session.event)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("training:sessions", args=[territory_a.slug]))
    assert response.content.decode().count('class="card"') == 15
