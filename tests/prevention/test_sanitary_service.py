"""The service sanitaire's planning by commune and the ambassadors, for the territory's team."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.enums import Role
from prevention.models import Intervention
from tests.portal.factories import CommuneFactory
from tests.prevention.factories import (
    AmbassadorFactory,
    HealthStudentFactory,
    InterventionFactory,
    InterventionSiteFactory,
    StudentTeamFactory,
)

pytestmark = pytest.mark.django_db


def _url(territory):
    return reverse("prevention:sanitary_service", args=[territory.slug])


def test_planning_groups_the_year_s_interventions_by_commune_in_pinned_queries(
    territory_a, coordinator_a, login, django_assert_max_num_queries
):
    communes = [CommuneFactory(insee_code=f"5020{i}", name=f"Commune {i}") for i in range(3)]
    for n in range(9):
        team = StudentTeamFactory(territory=territory_a, academic_year=2026)
        HealthStudentFactory.create_batch(3, territory=territory_a, team=team, academic_year=2026)
        site = InterventionSiteFactory(territory=territory_a, commune=communes[n % 3])
        InterventionFactory(territory=territory_a, team=team, site=site)
        AmbassadorFactory(territory=territory_a, commune=communes[n % 3])
    InterventionFactory(territory=territory_a, team=StudentTeamFactory(territory=territory_a, academic_year=2025))
    client = login(coordinator_a)
    with django_assert_max_num_queries(14):  # the access log's INSERT included (it names the ambassadors)
        response = client.get(_url(territory_a), {"annee": "2026"})
    planning = response.context["planning"]
    assert [block.commune.name for block in planning] == ["Commune 0", "Commune 1", "Commune 2"]
    assert all(len(block.interventions) == 3 and block.interventions[0].students == 3 for block in planning)
    assert len(response.context["ambassadors"]) == 3
    assert "3 étudiants" in response.content.decode()


def test_planning_is_the_team_s_only(territory_a, staff_of, login, client):
    assert client.get(_url(territory_a)).status_code == 302
    # Another role is told whom the page is for (portal's reserved page, 403).
    assert login(staff_of(territory_a, Role.ELECTED_OFFICIAL)).get(_url(territory_a)).status_code == 403


def test_garbage_year_falls_back_to_the_current_one(territory_a, coordinator_a, login):
    response = login(coordinator_a).get(_url(territory_a), {"annee": "<script>"})
    assert response.status_code == 200


def test_a_site_that_no_longer_hosts_and_an_end_before_the_start_are_refused(territory_a):
    site = InterventionSiteFactory(territory=territory_a, can_host=False)
    team = StudentTeamFactory(territory=territory_a)
    intervention = Intervention(
        territory=territory_a,
        team=team,
        site=site,
        theme="nutrition",
        starts_on=dt.date(2027, 2, 5),
        ends_on=dt.date(2027, 2, 1),
    )
    with pytest.raises(ValidationError) as error:
        intervention.full_clean()
    assert error.value.message_dict["site"] == ["Ce lieu n'accueille plus d'équipe d'étudiants."]
    assert error.value.message_dict["ends_on"] == ["Le dernier jour doit être après le premier."]


def test_student_in_a_team_of_another_year_is_refused(territory_a):
    student = HealthStudentFactory.build(
        territory=territory_a,
        academic_year=2025,
        team=StudentTeamFactory(territory=territory_a, academic_year=2026),
        school=HealthStudentFactory(territory=territory_a).school,
    )
    with pytest.raises(ValidationError, match="autre année universitaire"):
        student.full_clean()


def test_sites_that_can_host_show_the_teams_planned_and_the_places_left(territory_a, coordinator_a, login):
    commune = CommuneFactory(insee_code="50210", name="Valognes")
    school = InterventionSiteFactory(territory=territory_a, name="Collège Félix-Buhot", commune=commune, max_teams=3)
    InterventionSiteFactory(territory=territory_a, name="Ancienne école", commune=commune, can_host=False)
    for status in ("planned", "done", "cancelled"):
        InterventionFactory(
            territory=territory_a, site=school, status=status, team=StudentTeamFactory(territory=territory_a)
        )
    InterventionFactory(
        territory=territory_a, site=school, team=StudentTeamFactory(territory=territory_a, academic_year=2025)
    )
    response = login(coordinator_a).get(_url(territory_a), {"annee": "2026"})
    [row] = response.context["hosting"]
    assert (row.site.name, row.teams_planned, row.places_left) == ("Collège Félix-Buhot", 2, 1)
    assert "Ancienne école" not in response.content.decode()
