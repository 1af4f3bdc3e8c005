"""Two territories with their staff, as every tenancy test needs (see shared/GUIDE.md)."""

import os

import pytest
from django.test import Client

from portal.enums import Role
from tests.portal.factories import MembershipFactory, TerritoryFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there
# unless told that this is expected (browser tests only use the ORM to arrange data).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and sessions live in Redis: each test starts from a clean slate.
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def territory_a(db):
    return TerritoryFactory(name="Territoire Alpha", slug="alpha")


@pytest.fixture
def territory_b(db):
    return TerritoryFactory(name="Territoire Bêta", slug="beta", region="Nouvelle-Aquitaine")


def _staff_of(territory, role=Role.COORDINATOR, email=None):
    user = UserFactory(email=email or f"{role}-{territory.slug}@exemple.fr", staff=True)
    MembershipFactory(user=user, territory=territory, role=role)
    return user


@pytest.fixture
def coordinator_a(territory_a):
    return _staff_of(territory_a)


@pytest.fixture
def coordinator_b(territory_b):
    return _staff_of(territory_b)


@pytest.fixture
def staff_of():
    """Factory fixture: `staff_of(territory, role)` gives a user holding that role there."""
    return _staff_of


@pytest.fixture
def login():
    """`login(user)` gives a test client signed in as `user`, with a second factor enrolled
    when the user is staff (the admin requires one)."""

    def _login(user):
        if user.is_staff:
            from allauth.mfa.models import Authenticator

            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "test"}}
            )
        client = Client()
        client.force_login(user)
        return client

    return _login
