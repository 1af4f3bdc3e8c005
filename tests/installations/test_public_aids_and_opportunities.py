"""The public aids catalogue with its eligibility question, and the published opportunities."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from installations.enums import OpportunityKind
from portal.enums import ArsZone, Profession
from tests.installations.factories import AidFactory, OpportunityFactory
from tests.portal.factories import CommuneFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def page(name, territory, **kwargs):
    return reverse(f"installations:{name}", kwargs={"territory_slug": territory.slug, **kwargs})


@pytest.fixture
def communes(territory_a):
    zip_commune = CommuneFactory(insee_code="50129", name="Cherbourg-en-Cotentin", ars_zone=ArsZone.ZIP)
    other = CommuneFactory(insee_code="50041", name="Barneville-Carteret", ars_zone=ArsZone.NONE)
    territory_a.communes.add(zip_commune, other)
    return zip_commune, other


def test_aids_catalogue_lists_the_territory_active_aids_only(territory_a, territory_b):
    AidFactory(territory=territory_a, name="Contrat de début d'exercice", amount=50000)
    AidFactory(territory=territory_a, name="Aide retirée", active=False)
    AidFactory(territory=territory_b, name="Aide du territoire Bêta")
    body = Client().get(page("aids", territory_a)).content.decode()
    assert "Contrat de début d&#x27;exercice" in body
    assert "50 000" in body or "50\u202f000" in body or "50\xa0000" in body
    assert "Aide retirée" not in body
    assert "Aide du territoire Bêta" not in body


def test_eligibility_for_a_profession_and_a_commune_says_why(territory_a, communes):
    zip_commune, other = communes
    AidFactory(territory=territory_a, name="Aide ZIP médecins", zones=["zip"], professions=[Profession.DOCTOR_GP])
    client = Client()
    eligible = client.get(page("aids", territory_a), {"profession": "doctor_gp", "commune": zip_commune.pk})
    body = eligible.content.decode()
    assert "Vous pourriez y prétendre" in body
    assert "Cherbourg-en-Cotentin est classée" in body
    refused = client.get(page("aids", territory_a), {"profession": "doctor_gp", "commune": other.pk}).content.decode()
    assert "Ne s'applique pas" in refused
    assert "Barneville-Carteret est classée « Hors zonage »" in refused


def test_eligibility_refuses_a_commune_of_another_territory(territory_a, territory_b, communes):
    niort = CommuneFactory(insee_code="79191", name="Niort")
    territory_b.communes.add(niort)
    response = Client().get(page("aids", territory_a), {"profession": "doctor_gp", "commune": niort.pk})
    body = response.content.decode()
    assert "id_commune_error" in body
    assert "Vous pourriez y prétendre" not in body


def test_opportunities_list_shows_only_published_unexpired_ones_of_the_territory(territory_a, territory_b):
    today = timezone.localdate()
    OpportunityFactory(territory=territory_a, title="Cabinet publié")
    OpportunityFactory(territory=territory_a, title="Cabinet en brouillon", draft=True)
    OpportunityFactory(territory=territory_a, title="Cabinet expiré", expires_on=today - datetime.timedelta(days=1))
    OpportunityFactory(territory=territory_a, title="Cabinet valable aujourd'hui", expires_on=today)
    OpportunityFactory(territory=territory_b, title="Cabinet de Bêta")
    body = Client().get(page("opportunity_list", territory_a)).content.decode()
    assert "Cabinet publié" in body
    assert "Cabinet valable aujourd&#x27;hui" in body
    assert "Cabinet en brouillon" not in body
    assert "Cabinet expiré" not in body
    assert "Cabinet de Bêta" not in body


def test_opportunities_filter_by_kind_commune_and_profession(territory_a, communes):
    zip_commune, other = communes
    OpportunityFactory(
        territory=territory_a,
        title="Poste urgentiste",
        kind=OpportunityKind.HOSPITAL_POST,
        commune=zip_commune,
        professions=[Profession.DOCTOR_SPECIALIST],
    )
    OpportunityFactory(territory=territory_a, title="Logement interne", kind=OpportunityKind.HOUSING, commune=other)
    OpportunityFactory(
        territory=territory_a,
        title="Cabinet kiné",
        kind=OpportunityKind.PREMISES,
        commune=other,
        professions=[Profession.PHYSIOTHERAPIST],
    )
    client = Client()
    by_kind = client.get(page("opportunity_list", territory_a), {"kind": "housing"}).content.decode()
    assert "Logement interne" in by_kind and "Poste urgentiste" not in by_kind
    by_commune = client.get(page("opportunity_list", territory_a), {"commune": zip_commune.pk}).content.decode()
    assert "Poste urgentiste" in by_commune and "Cabinet kiné" not in by_commune
    by_profession = client.get(page("opportunity_list", territory_a), {"profession": "physiotherapist"})
    body = by_profession.content.decode()
    # Listed for physiotherapists, or open to everyone; not a post for a specialist.
    assert "Cabinet kiné" in body and "Logement interne" in body and "Poste urgentiste" not in body


def test_a_bad_filter_value_is_told_in_french_and_lists_nothing_wrong(territory_a, communes):
    OpportunityFactory(territory=territory_a, title="Cabinet publié")
    response = Client().get(page("opportunity_list", territory_a), {"kind": "castle"})
    assert response.status_code == 200
    assert "id_kind_error" in response.content.decode()


def test_opportunity_detail_is_public_when_published(territory_a):
    opportunity = OpportunityFactory(territory=territory_a, title="Cabinet publié", contact_email="msp@exemple.fr")
    body = Client().get(page("opportunity_detail", territory_a, pk=opportunity.pk)).content.decode()
    assert "Cabinet publié" in body and "msp@exemple.fr" in body


@pytest.mark.parametrize("state", ["draft", "expired", "other_territory"])
def test_opportunity_detail_answers_404_when_not_public_here(state, territory_a, territory_b):
    if state == "draft":
        opportunity = OpportunityFactory(territory=territory_a, draft=True)
    elif state == "expired":
        opportunity = OpportunityFactory(territory=territory_a, expires_on=timezone.localdate() - datetime.timedelta(1))
    else:
        opportunity = OpportunityFactory(territory=territory_b)
    assert Client().get(page("opportunity_detail", territory_a, pk=opportunity.pk)).status_code == 404


def test_opportunities_list_queries_do_not_grow_with_the_rows(territory_a, communes, django_assert_max_num_queries):
    for index in range(30):
        OpportunityFactory(
            territory=territory_a,
            title=f"Opportunité {index}",
            commune=communes[index % 2],
            organisation=OrganisationFactory(territory=territory_a),
        )
    client = Client()
    with django_assert_max_num_queries(6):
        response = client.get(page("opportunity_list", territory_a))
    assert response.content.decode().count("Opportunité ") >= 30
    with django_assert_max_num_queries(6):
        client.get(page("opportunity_list", territory_a), {"commune": communes[0].pk, "profession": "doctor_gp"})
