"""Health ambassadors are deleted a year after they stopped, service-sanitaire students anonymised a
year after their academic year ended (31 August): marker strings are found nowhere after the purge,
neither in the tables nor in the admin's exports; the others stay."""

import datetime

import pytest
from django.utils import timezone

from portal.privacy.services import territory_retention_purge
from prevention.models import Ambassador, HealthStudent, StudentTeam
from prevention.services.retention import _academic_years_ended_before
from tests.prevention.factories import AmbassadorFactory, HealthStudentFactory, StudentTeamFactory
from tests.privacy.markers import admin_export, tables_containing

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def test_ambassadors_who_stopped_more_than_a_year_ago_are_deleted(territory_a, coordinator_a, login):
    old = AmbassadorFactory(
        territory=territory_a,
        first_name="Ambre",
        last_name="Relais-MARQUE",
        email="relais-marque@exemple.fr",
        phone="06 12 34 56 78",
        relays="Club MARQUE-CLUB",
        active=False,
        left_on=days_ago(366),
    )
    recent = AmbassadorFactory(territory=territory_a, last_name="Partie-GARDE", active=False, left_on=days_ago(300))
    active = AmbassadorFactory(territory=territory_a, last_name="Active-GARDE")
    assert territory_retention_purge(territory=territory_a)["prevention.ambassadors"] == 1
    assert tables_containing("MARQUE") == [] and tables_containing("06 12 34 56 78") == []
    export = admin_export(login(coordinator_a), Ambassador, Ambassador.objects.all())
    assert "MARQUE" not in export and "Partie-GARDE" in export and "Active-GARDE" in export
    assert set(Ambassador.objects.values_list("pk", flat=True)) == {recent.pk, active.pk}
    assert not Ambassador.objects.filter(pk=old.pk).exists()


def test_an_ambassador_who_stopped_says_since_when(territory_a):
    from django.core.exceptions import ValidationError

    ambassador = AmbassadorFactory(territory=territory_a)
    ambassador.active = False
    with pytest.raises(ValidationError) as error:
        ambassador.full_clean()
    assert "left_on" in error.value.message_dict


def test_health_students_are_anonymised_a_year_after_their_academic_year(territory_a, coordinator_a, login):
    ended = _academic_years_ended_before(timezone.now() - datetime.timedelta(days=365))
    old_team = StudentTeamFactory(territory=territory_a, academic_year=ended, referent="Pr Référent-MARQUE")
    old = HealthStudentFactory(
        territory=territory_a,
        academic_year=ended,
        team=old_team,
        first_name="Sam",
        last_name="Sanitaire-MARQUE",
        email="sanitaire-marque@exemple.fr",
    )
    young_team = StudentTeamFactory(territory=territory_a, academic_year=ended + 1, referent="Pr Actuel-GARDE")
    young = HealthStudentFactory(
        territory=territory_a, academic_year=ended + 1, team=young_team, last_name="Actuel-GARDE"
    )

    assert territory_retention_purge(territory=territory_a)["prevention.health_students"] == 1

    assert tables_containing("MARQUE") == []
    client = login(coordinator_a)
    for model in (HealthStudent, StudentTeam):
        export = admin_export(client, model, model.objects.all())
        assert "MARQUE" not in export and "Actuel-GARDE" in export
    old.refresh_from_db()
    assert (old.first_name, old.email, old.team_id, old.programme) == ("", "", old_team.pk, old.programme)
    assert old_team.students.count() == 1  # the planning of that year still counts the team's students
    assert HealthStudent.objects.get(pk=young.pk).last_name == "Actuel-GARDE"
    assert territory_retention_purge(territory=territory_a)["prevention.health_students"] == 0


@pytest.mark.parametrize(
    ("day", "last_ended"),
    [(datetime.date(2026, 8, 31), 2024), (datetime.date(2026, 9, 1), 2025), (datetime.date(2027, 1, 15), 2025)],
)
def test_an_academic_year_ends_on_31_august(day, last_ended):
    before = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    assert _academic_years_ended_before(before) == last_ended
