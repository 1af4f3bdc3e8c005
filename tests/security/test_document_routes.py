"""Defect 7 of issue 10: a governance document gets the same answer whichever link opens it.

`/<territory>/gouvernance/documents/<pk>/` (the governance pages' old link, also in e-mails already
sent) and `/<territory>/documents/<pk>/telecharger/` (the document admin's link) follow one rule,
portal/documents/permissions.py.
"""

import pytest
from django.test import Client

from governance.services.meetings import MINUTES_BUILDER
from portal.documents.enums import DocumentAudience
from portal.enums import Role
from tests.documents.factories import GeneratedDocumentFactory
from tests.governance.factories import BodyFactory, MandateFactory
from tests.portal.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _final(client, url):
    """Status and place after following redirects (an anonymous visitor ends on the sign-in page)."""
    response = client.get(url, follow=True)
    if response.streaming:
        b"".join(response.streaming_content)
    where = response.redirect_chain[-1][0].split("?")[0] if response.redirect_chain else url
    return response.status_code, where if "/comptes/login/" in where else "document"


def _person(territory, role, email):
    user = UserFactory(email=email)
    MembershipFactory(user=user, territory=territory, role=role)
    return user


@pytest.fixture
def people(territory_a, territory_b, login):
    body = BodyFactory(territory=territory_a, name="Conseil local de santé mentale")
    other_body = BodyFactory(territory=territory_a, name="Groupe prévention")
    member = _person(territory_a, Role.COUNCIL_MEMBER, "membre@exemple.fr")
    MandateFactory(territory=territory_a, body=body, user=member)
    outsider = _person(territory_a, Role.COUNCIL_MEMBER, "membre-autre@exemple.fr")
    MandateFactory(territory=territory_a, body=other_body, user=outsider)
    clients = {
        "elected official": login(_person(territory_a, Role.ELECTED_OFFICIAL, "elu@exemple.fr")),
        "council member of the body": login(member),
        "council member of another body": login(outsider),
        "partner": login(_person(territory_a, Role.PARTNER, "partenaire@exemple.fr")),
        "coordinator": login(_person(territory_a, Role.COORDINATOR, "coord@exemple.fr")),
        "elected official of another territory": login(_person(territory_b, Role.ELECTED_OFFICIAL, "elu-b@exemple.fr")),
        "anonymous": Client(),
    }
    return body, clients


@pytest.mark.parametrize("audience", list(DocumentAudience))
def test_both_download_routes_give_the_same_answer_to_everyone(audience, people, territory_a):
    body, clients = people
    document = GeneratedDocumentFactory(
        territory=territory_a, audience=audience, builder=MINUTES_BUILDER, params={"body_id": body.pk}
    )
    governance_url = f"/{territory_a.slug}/gouvernance/documents/{document.pk}/"
    documents_url = f"/{territory_a.slug}/documents/{document.pk}/telecharger/"

    answers = {who: (_final(client, governance_url), _final(client, documents_url)) for who, client in clients.items()}

    disagreements = {who: pair for who, pair in answers.items() if pair[0] != pair[1]}
    assert not disagreements


def test_the_elected_official_reads_the_minutes_of_every_body_on_both_routes(people, territory_a):
    body, clients = people
    document = GeneratedDocumentFactory(
        territory=territory_a, audience=DocumentAudience.MEMBERS, builder=MINUTES_BUILDER, params={"body_id": body.pk}
    )
    elected = clients["elected official"]
    assert _final(elected, f"/{territory_a.slug}/documents/{document.pk}/telecharger/") == (200, "document")
    assert _final(elected, f"/{territory_a.slug}/gouvernance/documents/{document.pk}/") == (200, "document")
    assert _final(clients["partner"], f"/{territory_a.slug}/documents/{document.pk}/telecharger/")[0] == 404
