"""Defect 9 of issue 10: personal pages are never kept by a browser or proxy cache, and the messages
cookie does not carry the person's name."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from tests.installations.factories import CaseDocumentFactory
from tests.installations.test_applicant_space import applicant_a, case_a, url  # noqa: F401
from tests.portal.test_accounts import PASSWORD

pytestmark = pytest.mark.django_db


def assert_private(response, where):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, (where, response.get("Cache-Control"))


@pytest.mark.parametrize(
    "where",
    ["/espace/", "/espace/profil/", "/espace/notifications/", "case_list", "case_detail", "case_export", "download"],
)
def test_the_applicants_wheres_and_downloads_are_private_and_not_stored(where, case_a, applicant_a, login):  # noqa: F811
    client = login(applicant_a)
    if where == "case_list":
        where = reverse("installations:case_list", kwargs={"territory_slug": case_a.territory.slug})
    elif where == "download":
        document = CaseDocumentFactory(territory=case_a.territory, case=case_a)
        where = url("document_download", case_a, document_pk=document.pk)
    elif not where.startswith("/"):
        where = url(where, case_a)

    response = client.get(where)
    if response.streaming:  # the test client closes a streamed file once it is read
        b"".join(response.streaming_content)

    assert response.status_code == 200, where
    assert_private(response, where)


def test_every_page_seen_signed_in_is_private_even_a_public_one(case_a, applicant_a, login):  # noqa: F811
    client = login(applicant_a)
    for where in ("/", f"/{case_a.territory.slug}/", reverse("installations:aids", args=[case_a.territory.slug])):
        assert_private(client.get(where), where)


def test_the_staff_pages_are_private(coordinator_a, login):
    client = login(coordinator_a)
    for where in (
        "/admin/",
        reverse("admin:installations_case_changelist"),
        reverse("admin:installations_case_export"),
    ):
        response = client.get(where)
        if response.streaming:
            b"".join(response.streaming_content)
        assert_private(response, where)


def test_the_messages_cookie_does_not_carry_the_persons_name(applicant_a, case_a):  # noqa: F811
    applicant_a.set_password(PASSWORD)
    applicant_a.save()
    EmailAddress.objects.create(user=applicant_a, email=applicant_a.email, verified=True, primary=True)
    client = Client()

    responses = [client.post(reverse("account_login"), {"login": applicant_a.email, "password": PASSWORD})]
    responses.append(client.get(responses[0]["Location"]))
    responses.append(client.post(reverse("account_logout")))
    responses.append(client.get(responses[-1]["Location"]))

    cookies = " ".join(str(response.cookies) for response in responses).lower()
    for personal in ("lucie", "durand", "lucie.durand@exemple.fr", "lucie.durand%40exemple.fr"):
        assert personal not in cookies
    assert "messages=" not in cookies
