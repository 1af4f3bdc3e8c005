"""An attendee's attendance certificate: a PDF addressed to them, that nobody else but the territory's
team may download."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from portal.documents.enums import DocumentAudience, DocumentStatus
from portal.documents.selectors import downloadable_documents
from portal.events import services
from tests.events.factories import EventFactory, RegistrationFactory
from tests.portal.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def attended(territory_a, coordinator_a):
    """Dr Anne Lefèvre attended a 3 h 30 training session that is over; her attendance is recorded."""
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) - dt.timedelta(days=3)
    event = EventFactory(
        territory=territory_a,
        title="Formation aux protocoles de coopération",
        kind="training.session",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3, minutes=30),
        organiser=OrganisationFactory(territory=territory_a, name="CPTS du Cotentin"),
    )
    person = UserFactory(first_name="Anne", last_name="Lefèvre", email="anne.lefevre@exemple.fr")
    registration = RegistrationFactory(territory=territory_a, event=event, user=person)
    services.attendance_record(actor=coordinator_a, registration=registration, attended=True)
    registration.refresh_from_db()
    return registration


def _download(client, document):
    response = client.get(
        reverse("documents:download", kwargs={"territory_slug": document.territory.slug, "pk": document.pk})
    )
    response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


def _status(document):
    return reverse("documents:status", kwargs={"territory_slug": document.territory.slug, "pk": document.pk})


def _request(client, registration, capture):
    with capture(execute=True):
        return client.post(reverse("events_space:certificate", args=[registration.pk]), follow=True)


def test_attendee_gets_a_certificate_naming_them_the_event_its_date_and_duration(
    attended, login, django_capture_on_commit_callbacks
):
    client = login(attended.user)
    response = _request(client, attended, django_capture_on_commit_callbacks)
    attended.refresh_from_db()
    document = attended.certificate
    # The button leads to the document's own page, which says it is coming: the reports worker
    # builds the PDF after the commit.
    assert response.redirect_chain == [(_status(document), 302)]
    assert "En préparation" in response.content.decode()
    assert document.status == DocumentStatus.READY, document.error
    page = client.get(_status(document)).content.decode()
    assert "Attestation prête" in page and f'href="{_status(document)}telecharger/"' in page
    assert (document.audience, document.recipient) == (DocumentAudience.PERSON, attended.user)

    page = client.get(reverse("events_space:list")).content.decode()
    assert "Télécharger mon attestation de présence" in page

    download = _download(client, document)
    assert download.status_code == 200
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(download.body)).pages).split())
    assert "Anne Lefèvre" in text
    assert "Formation aux protocoles de coopération" in text
    assert "3 h 30" in text
    assert "CPTS du Cotentin" in text
    assert timezone.localtime(attended.event.starts_at).strftime("%Y") in text

    # Asked again: the same document, not a second one.
    _request(client, attended, django_capture_on_commit_callbacks)
    attended.refresh_from_db()
    assert attended.certificate_id == document.pk


def test_the_certificate_page_says_en_preparation_until_the_worker_builds_it(
    attended, login, django_capture_on_commit_callbacks
):
    client = login(attended.user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("events_space:certificate", args=[attended.pk]))
    attended.refresh_from_db()
    document = attended.certificate
    assert response.status_code == 302 and response["Location"] == _status(document)
    page = client.get(response["Location"]).content.decode()
    assert "En préparation" in page and 'role="status"' in page
    assert "Attestation de présence — Formation aux protocoles de coopération" in page
    # Their own document's page leads back to their space (a report's page, for the team, does not).
    assert f'<a href="{reverse("portal:personal_space")}">Retour à mon espace</a>' in page
    # Back in their registrations, the person finds the way to the same page.
    listed = client.get(reverse("events_space:list")).content.decode()
    assert f'href="{_status(document)}"' in listed
    assert "Obtenir mon attestation de présence" not in listed

    for callback in callbacks:  # the commit: the worker builds it
        callback()
    assert "Attestation prête" in client.get(_status(document)).content.decode()


def test_another_attendee_and_another_territory_get_404_the_team_may_download(
    attended, login, coordinator_a, coordinator_b, territory_a, territory_b, django_capture_on_commit_callbacks
):
    _request(login(attended.user), attended, django_capture_on_commit_callbacks)
    attended.refresh_from_db()
    document = attended.certificate
    other_attendee = RegistrationFactory(territory=territory_a, event=attended.event).user

    assert _download(login(other_attendee), document).status_code == 404
    assert _download(login(coordinator_b), document).status_code == 404
    assert _download(login(coordinator_a), document).status_code == 200
    # Its page too: another person and another territory's team get 404, as for a missing one.
    assert login(other_attendee).get(_status(document)).status_code == 404
    assert login(coordinator_b).get(_status(document)).status_code == 404
    other_site = reverse("documents:status", kwargs={"territory_slug": territory_b.slug, "pk": document.pk})
    assert login(attended.user).get(other_site).status_code == 404
    assert login(attended.user).get(_status(document)).status_code == 200
    # The other attendee cannot ask for it through their space either.
    response = login(other_attendee).post(reverse("events_space:certificate", args=[attended.pk]))
    assert response.status_code == 404
    # Nor does it appear among the documents they may download.
    assert downloadable_documents(user=other_attendee, territory=territory_a) == []
    assert downloadable_documents(user=attended.user, territory=territory_a) == [document]


def test_no_certificate_without_recorded_attendance(territory_a, login):
    registration = RegistrationFactory(territory=territory_a, event__past=True)
    response = login(registration.user).post(reverse("events_space:certificate", args=[registration.pk]), follow=True)
    assert "pas été notée" in response.content.decode()
    registration.refresh_from_db()
    assert registration.certificate is None


def test_marking_absent_afterwards_withdraws_the_certificate(
    attended, login, coordinator_a, django_capture_on_commit_callbacks
):
    _request(login(attended.user), attended, django_capture_on_commit_callbacks)
    attended.refresh_from_db()
    document_pk = attended.certificate_id
    services.attendance_record(actor=coordinator_a, registration=attended, attended=False)
    attended.refresh_from_db()
    assert attended.certificate is None
    from portal.documents.models import GeneratedDocument

    assert not GeneratedDocument.objects.filter(pk=document_pk).exists()


def test_a_person_document_must_name_its_recipient(territory_a, coordinator_a):
    from django.core.exceptions import ValidationError

    from portal.documents.services import document_request

    with pytest.raises(ValidationError, match="destinataire"):
        document_request(
            actor=coordinator_a,
            territory=territory_a,
            kind="other",
            title="Attestation",
            builder="portal.documents.builders.text_document",
            audience=DocumentAudience.PERSON,
        )


def test_the_admin_cannot_widen_a_certificate_nor_address_a_document_without_a_person(
    attended, login, coordinator_a, django_capture_on_commit_callbacks
):
    _request(login(attended.user), attended, django_capture_on_commit_callbacks)
    attended.refresh_from_db()
    client = login(coordinator_a)
    page = client.get(reverse("admin:documents_generateddocument_change", args=[attended.certificate_id]))
    assert page.status_code == 200
    assert "audience" not in page.context_data["adminform"].form.fields
    from tests.documents.factories import GeneratedDocumentFactory

    other = GeneratedDocumentFactory(territory=attended.territory)
    form = client.get(reverse("admin:documents_generateddocument_change", args=[other.pk])).context_data["adminform"]
    assert DocumentAudience.PERSON not in [value for value, _label in form.form.fields["audience"].choices]
