import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance import selectors
from governance.enums import MemberCategory, Position
from governance.models import GovernanceEvent, Mandate
from governance.services.council import mandate_add
from portal.enums import Role
from tests.governance.factories import MandateFactory
from tests.portal.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_mandate_add_records_the_seat_and_the_event(body_a, college_a, coordinator_a):
    person = UserFactory(email="dr.lefevre@exemple.fr")
    mandate = mandate_add(
        actor=coordinator_a,
        body=body_a,
        college=college_a,
        user=person,
        category=MemberCategory.LIBERAL,
        position=Position.CO_CHAIR,
        start_date=dt.date(2025, 1, 1),
    )
    assert mandate.territory == body_a.territory
    assert GovernanceEvent.objects.for_territory(body_a.territory).filter(verb="mandate_add").count() == 1


def test_overlapping_mandate_for_same_person_is_refused_with_a_french_message(body_a, coordinator_a):
    person = UserFactory(email="dr.lefevre@exemple.fr")
    MandateFactory(
        territory=body_a.territory,
        body=body_a,
        user=person,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        mandate_add(
            actor=coordinator_a,
            body=body_a,
            user=person,
            category=MemberCategory.LIBERAL,
            start_date=dt.date(2026, 6, 1),
        )
    message = error.value.message_dict["start_date"][0]
    assert "Ce siège est déjà occupé" in message
    assert "01/01/2024" in message and "31/12/2026" in message
    assert Mandate.objects.for_territory(body_a.territory).count() == 1


def test_open_ended_mandate_overlaps_any_later_one(body_a, coordinator_a):
    person = UserFactory()
    MandateFactory(territory=body_a.territory, body=body_a, user=person, start_date=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="sans date de fin"):
        mandate_add(
            actor=coordinator_a,
            body=body_a,
            user=person,
            category=MemberCategory.LIBERAL,
            start_date=dt.date(2030, 1, 1),
        )


def test_consecutive_mandates_and_an_organisation_substitute_are_accepted(body_a, coordinator_a):
    person = UserFactory()
    MandateFactory(
        territory=body_a.territory,
        body=body_a,
        user=person,
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2024, 12, 31),
    )
    mandate_add(
        actor=coordinator_a, body=body_a, user=person, category=MemberCategory.LIBERAL, start_date=dt.date(2025, 1, 1)
    )
    hospital = OrganisationFactory(territory=body_a.territory, name="CHPC")
    mandate_add(
        actor=coordinator_a,
        body=body_a,
        organisation=hospital,
        person_name="Dr A",
        category=MemberCategory.HOSPITAL,
        start_date=dt.date(2025, 1, 1),
    )
    substitute = mandate_add(
        actor=coordinator_a,
        body=body_a,
        organisation=hospital,
        person_name="Dr B",
        category=MemberCategory.HOSPITAL,
        position=Position.SUBSTITUTE,
        start_date=dt.date(2025, 1, 1),
    )
    assert substitute.is_voting is False
    with pytest.raises(ValidationError, match="déjà occupé"):
        mandate_add(
            actor=coordinator_a,
            body=body_a,
            organisation=hospital,
            person_name="Dr C",
            category=MemberCategory.HOSPITAL,
            start_date=dt.date(2025, 6, 1),
        )


def test_admin_form_refuses_overlapping_mandate_next_to_the_start_date(body_a, coordinator_a, login, member_of):
    person = member_of(body_a.territory, "membre@exemple.fr")
    MandateFactory(territory=body_a.territory, body=body_a, user=person, start_date=dt.date(2024, 1, 1))
    response = login(coordinator_a).post(
        "/admin/governance/mandate/add/",
        {
            "territory": body_a.territory.pk,
            "body": body_a.pk,
            "user": person.pk,
            "category": "liberal",
            "position": "member",
            "is_voting": "on",
            "start_date": "2025-02-01",
            "person_name": "",
        },
    )
    assert response.status_code == 200
    assert "Ce siège est déjà occupé" in str(response.context["adminform"].form.errors["start_date"])
    assert Mandate.objects.for_territory(body_a.territory).count() == 1


def test_composition_on_a_past_date_shows_who_sat_then(body_a):
    left = MandateFactory(
        territory=body_a.territory, body=body_a, start_date=dt.date(2022, 1, 1), end_date=dt.date(2024, 6, 30)
    )
    stayed = MandateFactory(territory=body_a.territory, body=body_a, start_date=dt.date(2022, 1, 1))
    arrived = MandateFactory(territory=body_a.territory, body=body_a, start_date=dt.date(2024, 7, 1))
    assert set(selectors.composition_on(body_a, dt.date(2023, 3, 1))) == {left, stayed}
    assert set(selectors.composition_on(body_a, dt.date(2024, 6, 30))) == {left, stayed}
    assert set(selectors.composition_on(body_a, dt.date(2025, 1, 1))) == {stayed, arrived}


def test_only_the_territory_team_may_add_a_mandate(body_a, staff_of, territory_b, coordinator_b):
    elected = staff_of(body_a.territory, Role.ELECTED_OFFICIAL)
    for actor in (elected, coordinator_b):
        with pytest.raises(PermissionDenied):
            mandate_add(
                actor=actor,
                body=body_a,
                user=UserFactory(),
                category=MemberCategory.LIBERAL,
                start_date=dt.date(2025, 1, 1),
            )
