import pytest
from django.core.exceptions import ValidationError

from portal.models import Organisation
from portal.validators import validate_rpps
from tests.portal.factories import CommuneFactory, OrganisationFactory, TerritoryFactory


def test_unknown_territory_slug_answers_404(client, db):
    response = client.get("/territoire-inconnu/")
    assert response.status_code == 404


def test_inactive_territory_site_answers_404(client, db):
    TerritoryFactory(name="Fermé", slug="ferme", is_active=False)
    assert client.get("/ferme/").status_code == 404


def test_territory_home_shows_its_name_contact_and_colour(client, territory_a):
    territory_a.main_colour = "#7a1f5c"
    territory_a.save()
    response = client.get("/alpha/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Territoire Alpha" in body
    assert "guichet@alpha.fr" in body
    assert "--brand: #7a1f5c" in body


def test_landing_lists_active_territories_only(client, territory_a, territory_b):
    TerritoryFactory(name="Territoire Fermé", slug="ferme", is_active=False)
    body = client.get("/").content.decode()
    assert "Territoire Alpha" in body and "Territoire Bêta" in body
    assert "Territoire Fermé" not in body


def test_record_cannot_point_to_another_territorys_organisation(territory_a, territory_b):
    from portal.models import Membership
    from tests.portal.factories import UserFactory

    other_org = OrganisationFactory(territory=territory_b)
    membership = Membership(user=UserFactory(), territory=territory_a, role="partner", organisation=other_org)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "autre territoire" in str(error.value.message_dict["organisation"])


def test_organisation_name_is_unique_per_territory_only(territory_a, territory_b):
    OrganisationFactory(territory=territory_a, name="MSP du Val de Saire")
    OrganisationFactory(territory=territory_b, name="MSP du Val de Saire")
    duplicate = Organisation(territory=territory_a, name="MSP du Val de Saire", kind="msp")
    with pytest.raises(ValidationError):
        duplicate.full_clean()


@pytest.mark.parametrize("number", ["10003456786", "80000000002"])
def test_valid_rpps_numbers_pass(number):
    validate_rpps(number)


@pytest.mark.parametrize(
    ("number", "expected"),
    [("10003456787", "clé de contrôle"), ("1000345678", "11 chiffres"), ("1000345678A", "11 chiffres")],
)
def test_wrong_rpps_is_refused_with_a_message_that_says_why(number, expected):
    with pytest.raises(ValidationError) as error:
        validate_rpps(number)
    assert expected in error.value.messages[0]


def test_brand_colour_too_light_for_white_text_is_refused(db):
    territory = TerritoryFactory.build(main_colour="#ffd700", slug="clair", name="Clair")
    with pytest.raises(ValidationError) as error:
        territory.full_clean()
    assert "trop claire" in error.value.message_dict["main_colour"][0]


def test_territory_slug_cannot_take_a_portal_path(db):
    territory = TerritoryFactory.build(slug="admin", name="Admin")
    with pytest.raises(ValidationError) as error:
        territory.full_clean()
    assert "réservé" in error.value.message_dict["slug"][0]


def test_commune_insee_code_is_checked(db):
    commune = CommuneFactory.build(insee_code="5012")
    with pytest.raises(ValidationError):
        commune.full_clean()
