"""The training roles of issue 11 (student or intern, supervisor, host-site manager) are known to a
territory without being its team: no role set grants them anything staff-like."""

import pytest
from django.urls import reverse

from portal.enums import ADMIN_ROLES, EDITOR_ROLES, Role
from portal.tenancy.access import has_role

TRAINING_ROLES = [Role.STUDENT, Role.SUPERVISOR, Role.HOST_SITE_MANAGER]


def test_training_roles_have_french_labels_and_fit_the_membership_column():
    from portal.models import Membership

    max_length = Membership._meta.get_field("role").max_length
    for role in TRAINING_ROLES:
        assert role.label and role.label != role.value
        assert len(role.value) <= max_length


@pytest.mark.parametrize("role", TRAINING_ROLES)
def test_no_role_set_names_the_training_roles(role):
    assert role not in ADMIN_ROLES
    assert role not in EDITOR_ROLES


@pytest.mark.django_db
@pytest.mark.parametrize("role", TRAINING_ROLES)
def test_training_roles_open_no_admin_page_even_with_the_staff_flag(role, staff_of, login, territory_a):
    user = staff_of(territory_a, role)
    assert not has_role(user, territory_a, EDITOR_ROLES)
    client = login(user)
    for name in ("admin:events_event_changelist", "admin:portal_organisation_changelist"):
        assert client.get(reverse(name)).status_code in (302, 403)
