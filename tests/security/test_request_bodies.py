"""Defect 2 of issue 10: an anonymous visitor cannot stuff the session or make the server read
an unbounded body."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from tests.installations.test_public_request import communes, profile_data, project_data, step_url  # noqa: F401

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def stored_session_size(client):
    return len(Session.objects.get(session_key=client.session.session_key).session_data)


class UnreadableBody:
    """A request body that must not be read: the refusal comes from its announced length."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        raise AssertionError("the body of an oversized request was read")

    readline = read


def test_a_9_mb_junk_field_leaves_the_session_small(territory_a):
    client = Client()
    client.post(step_url(territory_a, "vous"), profile_data())  # a session with a real draft
    before = stored_session_size(client)

    response = client.post(step_url(territory_a, "vous"), profile_data(junk="x" * (9 * MB)))

    assert response.status_code == 413
    assert "trop volumineux" in response.content.decode()
    assert stored_session_size(client) < before + 1024


def test_fields_that_are_not_the_steps_own_are_not_kept_in_the_draft(territory_a):
    client = Client()

    response = client.post(
        step_url(territory_a, "vous"), profile_data(**{"junk": "x" * 500_000, "projet-project_description": "y" * 5000})
    )

    assert response.status_code == 302
    draft = client.session[f"installations_draft:{territory_a.pk}"]
    assert set(draft["steps"]["vous"]) == set(profile_data())
    assert stored_session_size(client) < 5000


def test_an_overlong_draft_is_refused_in_french_next_to_the_field_and_not_stored(territory_a, communes):  # noqa: F811
    client = Client()
    client.post(step_url(territory_a, "vous"), profile_data())

    response = client.post(
        step_url(territory_a, "projet"), project_data(communes, **{"projet-project_description": "z" * 400_000})
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce texte est trop long" in html
    assert 'id="id_projet-project_description_error"' in html
    assert "projet" not in client.session[f"installations_draft:{territory_a.pk}"]["steps"]
    assert stored_session_size(client) < 5000


def test_an_oversized_upload_is_refused_before_its_body_is_read(territory_a, settings):
    body = UnreadableBody()
    response = Client().post(
        step_url(territory_a, "vous"),
        **{
            "wsgi.input": body,
            "CONTENT_LENGTH": str(200 * MB),
            "CONTENT_TYPE": "multipart/form-data; boundary=frontiere",
        },
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert "Erreur 413" in html and "trop volumineux" in html
    assert "!!MISSING" not in html and response.headers["Content-Security-Policy"]


def test_request_body_limits_are_set(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
    # The largest upload the portal accepts is 10 MB (a case document, a council document).
    assert 10 * MB < settings.REQUEST_BODY_MAX_SIZE <= 25 * MB
