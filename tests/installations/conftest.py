import pytest

from portal.enums import ArsZone, Role
from tests.portal.factories import CommuneFactory, MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def communes_a(territory_a):
    """Three communes of territory A: one in ZIP, one in ZAC, one outside the zoning."""
    communes = [
        CommuneFactory(insee_code="50129", name="Cherbourg-en-Cotentin", ars_zone=ArsZone.ZIP),
        CommuneFactory(insee_code="50602", name="Valognes", ars_zone=ArsZone.ZAC),
        CommuneFactory(insee_code="50041", name="Barneville-Carteret", ars_zone=ArsZone.NONE),
    ]
    territory_a.communes.add(*communes)
    return communes


@pytest.fixture
def applicant(db):
    return UserFactory(email="docteure.durand@exemple.fr", first_name="Lucie", last_name="Durand")


@pytest.fixture
def partner_a(territory_a):
    """A CPAM referent of territory A (role partner, membership tied to the CPAM organisation)."""
    organisation = OrganisationFactory(territory=territory_a, name="CPAM de la Manche", kind="cpam")
    user = UserFactory(email="referent.cpam@exemple.fr", staff=True)
    MembershipFactory(user=user, territory=territory_a, role=Role.PARTNER, organisation=organisation)
    user.organisation = organisation
    return user


@pytest.fixture
def client_a(coordinator_a, login):
    return login(coordinator_a)
