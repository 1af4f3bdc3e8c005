import pytest

from portal.enums import Role
from tests.governance.factories import BodyFactory, CollegeFactory
from tests.portal.factories import MembershipFactory, UserFactory


@pytest.fixture
def body_a(territory_a):
    return BodyFactory(territory=territory_a, name="Conseil de santé Alpha")


@pytest.fixture
def college_a(body_a):
    return CollegeFactory(territory=body_a.territory, body=body_a, name="Collège des professionnels")


@pytest.fixture
def body_b(territory_b):
    return BodyFactory(territory=territory_b, name="Conseil de santé Bêta")


@pytest.fixture
def member_of():
    """`member_of(territory, email)`: a signed-up person holding the council-member role there."""

    def _member_of(territory, email):
        user = UserFactory(email=email)
        MembershipFactory(user=user, territory=territory, role=Role.COUNCIL_MEMBER)
        return user

    return _member_of


@pytest.fixture
def elected_of():
    def _elected_of(territory, email=None):
        user = UserFactory(email=email or f"elu-{territory.slug}@exemple.fr")
        MembershipFactory(user=user, territory=territory, role=Role.ELECTED_OFFICIAL)
        return user

    return _elected_of
