"""The page that follows a document's preparation (/<territory>/documents/<pk>/): "En préparation"
until the real build (run by the task code after the commit) ends, then the download link or the
reason of the failure with "Relancer"; the person who asked is notified either way."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.documents.enums import DocumentAudience, DocumentKind, DocumentStatus
from portal.documents.services import document_request, document_sweep
from portal.enums import Role
from portal.notifications.models import Notification
from tests.documents.builders import Switch
from tests.documents.factories import GeneratedDocumentFactory
from tests.portal.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(name, document):
    return reverse(f"documents:{name}", kwargs={"territory_slug": document.territory.slug, "pk": document.pk})


def _request(actor, territory, builder="tests.documents.builders.sample_builder", **kwargs):
    return document_request(
        actor=actor,
        territory=territory,
        kind=kwargs.pop("kind", DocumentKind.ANNUAL_REPORT),
        title=kwargs.pop("title", "Bilan annuel 2025 — Conseil de santé"),
        builder=builder,
        params={"title": "Bilan annuel 2025"},
        audience=kwargs.pop("audience", DocumentAudience.STAFF),
        **kwargs,
    )


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_page_says_en_preparation_then_the_fragment_says_bilan_pret_with_the_link(
    territory_a, coordinator_a, login, django_capture_on_commit_callbacks
):
    client = login(coordinator_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = _request(coordinator_a, territory_a)
    page = client.get(_url("status", document))
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    text = _text(page)
    assert "En préparation" in text and "En attente d'un serveur disponible" in text
    assert 'role="status"' in text and 'data-done="0"' in text
    assert 'src="/static/js/document_status.js"' in text
    # Without JavaScript the page reloads itself; no inline script (the CSP forbids it).
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in text
    assert "<script>" not in text
    assert _url("download", document) not in text

    for callback in callbacks:  # the commit: the real build runs
        callback()

    part = _text(client.get(_url("status_part", document)))
    assert "Bilan prêt" in part and 'data-done="1"' in part
    assert f'href="{_url("download", document)}"' in part
    assert "Relancer" not in part
    done = _text(client.get(_url("status", document)))
    assert "http-equiv" not in done  # nothing left to wait for
    response = client.get(_url("download", document))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response.close()


def test_the_requester_is_notified_bilan_pret_with_the_download_link_and_a_readable_email(
    territory_a, coordinator_a, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_BASE_URL = "https://sante.exemple.fr"
    coordinator_a.first_name = "Julie"
    coordinator_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        document = _request(coordinator_a, territory_a)
    document.refresh_from_db()
    notification = Notification.objects.get(recipient=coordinator_a)
    assert notification.kind == "documents.ready"
    assert notification.subject == "Bilan prêt : Bilan annuel 2025 — Conseil de santé"
    assert notification.url == _url("download", document)
    assert "est prêt : un PDF de " in notification.body
    [email] = mail.outbox
    assert email.to == [coordinator_a.email]
    assert email.subject == (f"[Guichet santé · {territory_a.name}] Bilan prêt : Bilan annuel 2025 — Conseil de santé")
    assert email.body.startswith("Bonjour Julie,\n\nBilan prêt : Bilan annuel 2025 — Conseil de santé\n\n")
    assert f"Télécharger le PDF : https://sante.exemple.fr{_url('download', document)}" in email.body
    assert "répondre" not in email.body.split("--")[0]  # nothing to answer to a ready report


def test_a_builder_failure_shows_its_reason_and_relancer_rebuilds_it(
    territory_a, coordinator_a, login, django_capture_on_commit_callbacks
):
    Switch.broken = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            document = _request(coordinator_a, territory_a, builder="tests.documents.builders.flaky_builder")
    finally:
        Switch.broken = False
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "Traceback" not in document.error and "RuntimeError" not in document.error

    client = login(coordinator_a)
    client.handler.enforce_csrf_checks = True
    page = client.get(_url("status", document))
    text = _text(page)
    assert "Bilan non préparé" in text
    assert "Une erreur s&#x27;est produite pendant la mise en page du document." in text
    assert f'action="{_url("retry", document)}"' in text and "csrfmiddlewaretoken" in text
    assert "Relancer" in text
    # The person who asked is told, with the reason and the page where to retry.
    notification = Notification.objects.get(recipient=coordinator_a, kind="documents.failed")
    assert notification.subject == "Bilan non préparé : Bilan annuel 2025 — Conseil de santé"
    assert "Raison : Une erreur s'est produite pendant la mise en page du document." in notification.body
    assert notification.url == _url("status", document)

    assert client.post(_url("retry", document)).status_code == 403  # no CSRF token: refused
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("retry", document), {"csrfmiddlewaretoken": token}, follow=True)
    assert "Préparation relancée" in _text(response)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.attempts == 2


def test_a_builder_s_own_reason_and_a_time_limit_are_said_in_french(
    territory_a, coordinator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refused = _request(coordinator_a, territory_a, builder="tests.documents.builders.refusing_builder")
        slow = _request(coordinator_a, territory_a, builder="tests.documents.builders.timed_out_builder")
    refused.refresh_from_db()
    slow.refresh_from_db()
    assert refused.error == "Le document n'a pas pu être préparé : aucune réunion n'a eu lieu en 2031."
    assert slow.error.startswith("La préparation a pris plus de 5 minutes et a été arrêtée.")
    assert "SoftTimeLimitExceeded" not in slow.error


def test_a_retry_is_refused_while_the_build_runs(territory_a, coordinator_a, login):
    document = GeneratedDocumentFactory(
        territory=territory_a, running=True, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    client = login(coordinator_a)
    assert "Relancer" not in _text(client.get(_url("status", document)))
    response = client.post(_url("retry", document), follow=True)
    assert "Ce document est déjà en cours de préparation" in _text(response)
    document.refresh_from_db()
    assert document.status == DocumentStatus.RUNNING and document.attempts == 1


def test_a_build_lost_with_its_worker_is_failed_by_the_sweep_and_the_requester_told(territory_a, coordinator_a):
    long_ago = timezone.now() - timezone.timedelta(minutes=5)
    GeneratedDocumentFactory(
        territory=territory_a, running=True, started_at=long_ago, heartbeat_at=long_ago, requested_by=coordinator_a
    )
    assert document_sweep().interrupted == 1
    notification = Notification.objects.get(recipient=coordinator_a, kind="documents.failed")
    assert "Préparation interrompue : le serveur qui préparait le document s'est arrêté" in notification.body


def test_another_territory_or_another_audience_gets_404_on_every_route(territory_a, territory_b, coordinator_b, login):
    document = GeneratedDocumentFactory(territory=territory_a, failed=True)
    elected = UserFactory(email="elu-alpha@exemple.fr")
    MembershipFactory(user=elected, territory=territory_a, role=Role.ELECTED_OFFICIAL)
    for user in (coordinator_b, elected):
        client = login(user)
        for name in ("status", "status_part"):
            assert client.get(_url(name, document)).status_code == 404
        assert client.post(_url("retry", document)).status_code == 404
        # Under the other territory's own site, the document does not exist either.
        other = reverse("documents:status", kwargs={"territory_slug": territory_b.slug, "pk": document.pk})
        assert client.get(other).status_code == 404
    assert Client().get(_url("status", document)).status_code == 302  # signed out: the sign-in page


def test_an_attendee_follows_and_retries_only_their_own_certificate(territory_a, login):
    attendee, other = UserFactory(email="presente@exemple.fr"), UserFactory(email="autre@exemple.fr")
    certificate = GeneratedDocumentFactory(
        territory=territory_a,
        kind=DocumentKind.ATTENDANCE_CERTIFICATE,
        audience=DocumentAudience.PERSON,
        recipient=attendee,
        failed=True,
        error="Préparation interrompue.",
    )
    page = _text(login(attendee).get(_url("status", certificate)))
    assert "Attestation non préparée" in page and "Relancer" in page
    assert login(other).get(_url("status", certificate)).status_code == 404
    assert login(other).post(_url("retry", certificate)).status_code == 404


def test_the_polled_state_costs_a_fixed_handful_of_queries(
    territory_a, coordinator_a, login, django_assert_num_queries
):
    """Asked every few seconds by each open page: session, user, second factor, territory, the
    document, the roles; no template-time query."""
    document = GeneratedDocumentFactory(territory=territory_a, pending=True, requested_by=coordinator_a)
    client = login(coordinator_a)
    client.get(_url("status_part", document))  # the session's first load
    with django_assert_num_queries(6):
        assert "En préparation" in _text(client.get(_url("status_part", document)))
