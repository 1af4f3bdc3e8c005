import pytest

from tests.portal.factories import CommuneFactory


@pytest.fixture
def communes_a(territory_a):
    """Three communes of territory A: Alpha-Ville, Bourg-d'Alpha, Cap-Alpha."""
    communes = [
        CommuneFactory(insee_code="50001", name="Alpha-Ville"),
        CommuneFactory(insee_code="50002", name="Bourg-d'Alpha"),
        CommuneFactory(insee_code="50003", name="Cap-Alpha"),
    ]
    territory_a.communes.add(*communes)
    return communes
