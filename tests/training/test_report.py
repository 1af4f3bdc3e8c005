"""The training section of the annual report, and "from intern to settled doctor": training asks
through portal which of its former trainees settled (installations answers), never reading
installations' tables."""

import dataclasses
import datetime

import pytest
from django.apps import apps

from portal import checks as portal_checks
from portal.reporting import collect_sections, settled_people
from tests.installations.factories import CaseFactory
from tests.portal.factories import UserFactory
from tests.training.factories import (
    BookingFactory,
    OfferFactory,
    OfferSiteFactory,
    PlacementFactory,
    WelcomeKitFactory,
)
from training.selectors import annual_report_section, trainees_who_settled

pytestmark = pytest.mark.django_db


def _settled_case(territory, user, day):
    return CaseFactory(territory=territory, applicant=user, settled=True, settlement_date=day)


def test_installations_answers_which_people_settled_on_the_territory(territory_a, territory_b):
    settled, elsewhere, still_looking = UserFactory(), UserFactory(), UserFactory()
    _settled_case(territory_a, settled, datetime.date(2027, 9, 1))
    _settled_case(territory_b, elsewhere, datetime.date(2027, 9, 1))
    CaseFactory(territory=territory_a, applicant=still_looking)

    answer = settled_people(territory=territory_a, user_ids=[settled.pk, elsewhere.pk, still_looking.pk])

    assert answer == {settled.pk: datetime.date(2027, 9, 1)}
    assert settled_people(territory=territory_a, user_ids=[]) == {}


def test_trainees_who_settled_after_their_placement_are_counted(territory_a):
    stayed, settled_before, left = (PlacementFactory(territory=territory_a) for _ in range(3))
    _settled_case(territory_a, stayed.student, datetime.date(2028, 1, 10))
    # Settled before the placement: not a trainee who stayed.
    _settled_case(territory_a, settled_before.student, datetime.date(2025, 1, 10))
    assert left.student_id
    assert trainees_who_settled(territory=territory_a) == 1


def test_the_section_counts_placements_trainees_per_site_housing_and_kits(territory_a, territory_b):
    joint = OfferFactory(territory=territory_a, with_site=False)
    OfferSiteFactory(territory=territory_a, offer=joint, host_site__name="Urgences du CHPC")
    OfferSiteFactory(territory=territory_a, offer=joint, host_site__name="Cabinet de la Hague")
    single = OfferFactory(territory=territory_a, with_site=False)
    OfferSiteFactory(territory=territory_a, offer=single, host_site__name="Pédiatrie du CHPC")
    placements = [PlacementFactory(territory=territory_a, offer=joint) for _ in range(2)]
    placements.append(PlacementFactory(territory=territory_a, offer=single))
    _settled_case(territory_a, placements[0].student, datetime.date(2027, 6, 1))
    BookingFactory(
        territory=territory_a,
        unit__residence="Maison des internes",
        start_date=datetime.date(2026, 12, 20),
        end_date=datetime.date(2027, 1, 10),
    )
    WelcomeKitFactory(territory=territory_a, handed_on=datetime.date(2027, 1, 3))
    PlacementFactory(territory=territory_b)

    section = annual_report_section(territory=territory_a, year=2027)

    figures = dict(section.figures)
    assert figures["Stages en cours dans l'année"] == "3"
    assert figures["Stagiaires accueillis"] == "3"
    assert figures["Nuits en logement pour internes"] == "9"  # 1 to 10 January 2027
    assert figures["Kits d'accueil remis"] == "1"
    assert figures["Anciens stagiaires installés sur le territoire"] == "1"
    per_semester, per_site, housing = section.tables
    assert per_semester.rows == [["Hiver 2026-2027 (novembre à avril)", "3", "2"]]
    assert ["Urgences du CHPC", per_site.rows[-1][1], "2"] in per_site.rows
    assert any(row[0] == "Pédiatrie du CHPC" and row[2] == "1" for row in per_site.rows)
    assert housing.rows[0][0] == "Maison des internes" and housing.rows[0][2:] == ["1", "9"]
    assert annual_report_section(territory=territory_a, year=2020) is None


def test_the_section_reaches_the_annual_report_in_bounded_queries(territory_a, django_assert_max_num_queries):
    for _ in range(30):
        offer = OfferFactory(territory=territory_a, with_site=False)
        OfferSiteFactory.create_batch(2, territory=territory_a, offer=offer)
        placement = PlacementFactory(territory=territory_a, offer=offer)
        BookingFactory(territory=territory_a, placement=placement, source="placement")
        WelcomeKitFactory(territory=territory_a, placement=placement, handed_on=datetime.date(2026, 11, 5))
    # 7 for placements, housing, kits and who settled; 4 for the programmes (training.reporting_programmes).
    with django_assert_max_num_queries(11):
        section = annual_report_section(territory=territory_a, year=2026)
    assert dict(section.figures)["Stages en cours dans l'année"] == "30"
    assert "Formation et accueil des internes" in [s.title for s in collect_sections(territory=territory_a, year=2026)]


def test_a_misspelt_settled_people_hook_fails_the_checks(monkeypatch):
    config = apps.get_app_config("installations")
    monkeypatch.setattr(
        config, "hooks", dataclasses.replace(config.hooks, settled_people="installations.selectors.settled_peopel")
    )
    errors = portal_checks.check_app_hooks()
    assert [error.id for error in errors] == ["portal.E002"]
    assert "settled_peopel" in errors[0].msg
