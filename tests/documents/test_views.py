import dataclasses

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from portal.documents.enums import DocumentAudience
from portal.documents.selectors import downloadable_documents
from portal.enums import Role
from tests.documents.factories import PDF_BYTES, GeneratedDocumentFactory
from tests.portal.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.urls("tests.documents.urls")


def _url(document):
    return reverse("documents:download", kwargs={"territory_slug": document.territory.slug, "pk": document.pk})


def _get(client, url):
    """GET and read the whole answer: the test client closes a streamed file once it is read."""
    response = client.get(url)
    response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


def _person(territory, role, email=None):
    user = UserFactory(email=email or f"{role}-{territory.slug}-perso@exemple.fr")
    MembershipFactory(user=user, territory=territory, role=role)
    return user


# (audience, role of the person in the document's territory) -> may download
MATRIX = [
    (DocumentAudience.STAFF, Role.COORDINATOR, True),
    (DocumentAudience.STAFF, Role.MANAGER, True),
    (DocumentAudience.STAFF, Role.ELECTED_OFFICIAL, False),
    (DocumentAudience.STAFF, Role.COUNCIL_MEMBER, False),
    (DocumentAudience.STAFF, Role.PARTNER, False),
    (DocumentAudience.ELECTED, Role.COORDINATOR, True),
    (DocumentAudience.ELECTED, Role.ELECTED_OFFICIAL, True),
    (DocumentAudience.ELECTED, Role.COUNCIL_MEMBER, False),
    (DocumentAudience.ELECTED, Role.PARTNER, False),
    (DocumentAudience.MEMBERS, Role.MANAGER, True),
    (DocumentAudience.MEMBERS, Role.COUNCIL_MEMBER, True),
    # Elected officials read every council's documents, as the governance pages always let them
    # (issue 10, defect 7: the two download routes disagreed, 200 there and 404 here).
    (DocumentAudience.MEMBERS, Role.ELECTED_OFFICIAL, True),
    (DocumentAudience.MEMBERS, Role.PARTNER, False),
    (DocumentAudience.PUBLIC, Role.PARTNER, True),
    (DocumentAudience.PUBLIC, None, True),
]


@pytest.mark.parametrize(("audience", "role", "allowed"), MATRIX)
def test_download_permission_follows_the_audience(territory_a, login, audience, role, allowed):
    document = GeneratedDocumentFactory(territory=territory_a, audience=audience)
    user = _person(territory_a, role) if role else UserFactory(email="sans-role@exemple.fr")

    response = _get(login(user), _url(document))

    if allowed:
        assert response.status_code == 200
        assert response.body == PDF_BYTES
    else:
        assert response.status_code == 404


def test_a_role_in_another_territory_gives_no_access(territory_a, territory_b, login):
    document = GeneratedDocumentFactory(territory=territory_a, audience=DocumentAudience.ELECTED)
    elected_b = _person(territory_b, Role.ELECTED_OFFICIAL)
    assert _get(login(elected_b), _url(document)).status_code == 404


def test_public_document_downloads_without_signing_in(territory_a):
    document = GeneratedDocumentFactory(territory=territory_a, audience=DocumentAudience.PUBLIC)
    response = _get(Client(), _url(document))
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")


def test_private_document_sends_an_anonymous_visitor_to_sign_in(territory_a):
    document = GeneratedDocumentFactory(territory=territory_a, audience=DocumentAudience.ELECTED)
    response = _get(Client(), _url(document))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_download_is_an_attachment_with_a_french_file_name(territory_a, coordinator_a, login):
    document = GeneratedDocumentFactory(territory=territory_a, title="Bilan annuel 2025 : santé / Cotentin")
    response = _get(login(coordinator_a), _url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Bilan%20annuel%202025%20sant%C3%A9%20Cotentin.pdf" in disposition
    assert response["Cache-Control"] == "private, no-store"


def test_coordinator_of_other_territory_gets_404_on_document_download(territory_a, territory_b, coordinator_a, login):
    document_b = GeneratedDocumentFactory(territory=territory_b, audience=DocumentAudience.PUBLIC)
    client = login(coordinator_a)
    # Through A's site: B's document does not exist there.
    url = reverse("documents:download", kwargs={"territory_slug": territory_a.slug, "pk": document_b.pk})
    assert _get(client, url).status_code == 404
    # Through B's site, a private document of B is not A's coordinator's either.
    private_b = GeneratedDocumentFactory(territory=territory_b, audience=DocumentAudience.STAFF)
    assert _get(client, _url(private_b)).status_code == 404


@pytest.mark.parametrize(
    ("trait", "message"),
    [
        ("pending", "en cours de préparation"),
        ("running", "en cours de préparation"),
        ("failed", "n'a pas pu être généré"),
    ],
)
def test_a_document_not_ready_answers_a_french_message_not_a_file(territory_a, coordinator_a, login, trait, message):
    document = GeneratedDocumentFactory(territory=territory_a, **{trait: True})
    response = _get(login(coordinator_a), _url(document))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert message in response.body.decode()


def test_a_missing_stored_file_answers_a_french_message(territory_a, coordinator_a, login):
    document = GeneratedDocumentFactory(territory=territory_a)
    document.file.storage.delete(document.file.name)
    response = _get(login(coordinator_a), _url(document))
    assert response.status_code == 404
    assert "introuvable" in response.body.decode()


def test_a_body_document_is_for_staff_only_until_governance_declares_a_membership_check(territory_a, login):
    document = GeneratedDocumentFactory(territory=territory_a, audience=DocumentAudience.MEMBERS, params={"body_id": 7})
    member = _person(territory_a, Role.COUNCIL_MEMBER, email="membre7@exemple.fr")
    assert _get(login(member), _url(document)).status_code == 404


def test_a_body_document_is_for_the_members_that_governance_recognises(territory_a, login, monkeypatch):
    config = apps.get_app_config("documents")
    hooks = dataclasses.replace(config.hooks, document_member_check="tests.documents.builders.member_of_body_7")
    monkeypatch.setattr(config, "hooks", hooks)
    document = GeneratedDocumentFactory(territory=territory_a, audience=DocumentAudience.MEMBERS, params={"body_id": 7})
    member_of_7 = _person(territory_a, Role.COUNCIL_MEMBER, email="membre7@exemple.fr")
    member_elsewhere = _person(territory_a, Role.COUNCIL_MEMBER, email="membre9@exemple.fr")

    assert _get(login(member_of_7), _url(document)).status_code == 200
    assert _get(login(member_elsewhere), _url(document)).status_code == 404


def test_download_queries_are_bounded(territory_a, coordinator_a, login, django_assert_max_num_queries):
    document = GeneratedDocumentFactory(territory=territory_a, audience=DocumentAudience.ELECTED)
    elected = _person(territory_a, Role.ELECTED_OFFICIAL)
    client = login(elected)
    _get(client, _url(document))  # warm the session
    # territory, document, user, roles; then the session save every request makes (savepoint,
    # update, release).
    with django_assert_max_num_queries(7):
        response = _get(client, _url(document))
    assert response.status_code == 200


def test_downloadable_documents_lists_what_an_elected_official_may_read_in_two_queries(
    territory_a, territory_b, django_assert_max_num_queries
):
    elected = _person(territory_a, Role.ELECTED_OFFICIAL)
    for _ in range(15):
        GeneratedDocumentFactory(territory=territory_a, audience=DocumentAudience.ELECTED)
        GeneratedDocumentFactory(territory=territory_a, audience=DocumentAudience.STAFF)
        GeneratedDocumentFactory(territory=territory_a, audience=DocumentAudience.PUBLIC)
        GeneratedDocumentFactory(territory=territory_a, audience=DocumentAudience.ELECTED, pending=True)
        GeneratedDocumentFactory(territory=territory_b, audience=DocumentAudience.PUBLIC)

    with django_assert_max_num_queries(2):
        documents = downloadable_documents(user=elected, territory=territory_a)
        titles = [d.territory.name for d in documents]

    assert len(documents) == 30
    assert set(titles) == {territory_a.name}
    assert {d.audience for d in documents} == {DocumentAudience.ELECTED, DocumentAudience.PUBLIC}
