import pytest

from tests.portal.factories import UserFactory


@pytest.fixture
def applicant(db):
    return UserFactory(email="docteure.durand@exemple.fr", first_name="Lucie", last_name="Durand")
