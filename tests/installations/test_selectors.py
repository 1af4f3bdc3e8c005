"""The dashboard figures on known data, the annual report section and the applicant's
view of a case (aid eligibility: test_eligibility.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from installations import applicant_selectors, selectors
from installations.enums import CaseStatus, NeedKind
from installations.figures import annual_report_section, dashboard_figures
from installations.models import Case
from portal.enums import Profession
from portal.reporting import collect_sections
from tests.installations.factories import CaseEventFactory, CaseFactory, NeedFactory, NoteFactory

UTC = datetime.UTC


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


# --- dashboard ----------------------------------------------------------------------------------


@pytest.fixture
def known_cases(territory_a, territory_b, communes_a):
    """Five requests of 2026 in territory A with known delays, and noise elsewhere."""
    rows = [
        # submitted, profession, first contact after (days), settled after (days)
        ("2026-01-10", Profession.DOCTOR_GP, 1, 40),
        ("2026-01-20", Profession.DOCTOR_GP, 3, 100),
        ("2026-02-05", Profession.NURSE, 5, None),
        ("2026-03-15", Profession.DOCTOR_GP, None, None),
        ("2026-03-20", Profession.MIDWIFE, 2, None),
    ]
    cases = []
    for day, profession, contact, settled in rows:
        submitted = at(day)
        case = CaseFactory(
            territory=territory_a,
            submitted_at=submitted,
            profession=profession,
            status=CaseStatus.SETTLED if settled else CaseStatus.SUPPORTED,
            first_contact_at=submitted + datetime.timedelta(days=contact) if contact else None,
            settled_at=submitted + datetime.timedelta(days=settled) if settled else None,
            settlement_date=(submitted + datetime.timedelta(days=settled)).date() if settled else None,
            settlement_commune=communes_a[0] if settled else None,
        )
        NeedFactory(territory=territory_a, case=case, kind=NeedKind.PREMISES)
        cases.append(case)
    NeedFactory(territory=territory_a, case=cases[0], kind=NeedKind.SPOUSE_JOB)
    CaseFactory(territory=territory_a, unconfirmed=True, submitted_at=at("2026-01-11"))
    CaseFactory(territory=territory_a, submitted_at=at("2025-06-01"))
    CaseFactory(territory=territory_b, submitted_at=at("2026-01-12"))
    return cases


def test_dashboard_figures_on_known_data(territory_a, known_cases, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        figures = dashboard_figures(
            territory=territory_a, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
        )
    assert figures.total == 5
    assert figures.status_counts[CaseStatus.SETTLED] == 2 and figures.status_counts[CaseStatus.SUPPORTED] == 3
    assert figures.per_month == [
        (datetime.date(2026, 1, 1), 2),
        (datetime.date(2026, 2, 1), 1),
        (datetime.date(2026, 3, 1), 2),
    ]
    with_gap = dashboard_figures(territory=territory_a)
    assert with_gap.per_month[0] == (datetime.date(2025, 6, 1), 1)
    assert with_gap.per_month[1] == (datetime.date(2025, 7, 1), 0)
    assert len(with_gap.per_month) == 10  # June 2025 to March 2026, empty months included
    assert figures.by_profession == [(Profession.DOCTOR_GP, 3), (Profession.MIDWIFE, 1), (Profession.NURSE, 1)]
    assert figures.by_need == [(NeedKind.PREMISES, 5), (NeedKind.SPOUSE_JOB, 1)]
    assert figures.median_days_to_first_contact == pytest.approx(2.5)  # 1, 2, 3, 5
    assert figures.median_days_to_settlement == pytest.approx(70)  # 40, 100
    assert figures.settled_per_year == [(2026, 2)]


def test_dashboard_page_shows_the_figures_with_a_fixed_number_of_queries(
    territory_a, coordinator_a, login, known_cases, django_assert_max_num_queries
):
    client = login(coordinator_a)
    url = reverse("admin:installations_dashboard")
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"year": "2026"})
    for i in range(20):
        case = CaseFactory(territory=territory_a, submitted_at=at("2026-04-01") + datetime.timedelta(days=i))
        NeedFactory(territory=territory_a, case=case)
        CaseEventFactory(territory=territory_a, case=case)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url, {"year": "2026"})
    assert response.status_code == 200
    assert response.context_data["figures"].total == 25
    content = response.content.decode()
    assert "Délai médian avant le premier contact" in content and "<svg" in content


def test_dashboard_of_another_territory_cannot_be_chosen(territory_a, territory_b, coordinator_a, login):
    response = login(coordinator_a).get(reverse("admin:installations_dashboard"), {"territory": territory_b.pk})
    assert response.context_data["territory"] == territory_a


def test_annual_report_section_reuses_the_dashboard(territory_a, known_cases, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):  # the dashboard's seven, the follow-ups' totals
        section = annual_report_section(territory=territory_a, year=2026)
    figures = dict(section.figures)
    assert figures["Demandes reçues"] == "5"
    assert figures["Professionnels installés"] == "2"
    assert figures["Délai médian avant le premier contact"] == "2,5 jours"
    assert section.tables[0].rows[0] == ["Médecin généraliste", "3"]
    assert section.charts and section.charts[0].startswith("<svg")
    assert annual_report_section(territory=territory_a, year=2019) is None
    assert section.title in [s.title for s in collect_sections(territory=territory_a, year=2026)]


# --- the applicant's view -----------------------------------------------------------------------


def test_applicant_case_page_never_holds_notes_or_internal_events(territory_a, applicant):
    case = CaseFactory(territory=territory_a, applicant=applicant)
    NoteFactory(territory=territory_a, case=case, body="Confidentiel")
    CaseEventFactory(territory=territory_a, case=case, public=False, summary="Note interne ajoutée")
    CaseEventFactory(territory=territory_a, case=case, public=True, summary="Statut : Accompagnement en cours")
    page = applicant_selectors.applicant_case_page(case)
    assert "Confidentiel" not in str(page)
    assert [e.summary for e in page["events"]] == ["Statut : Accompagnement en cours"]


def test_applicant_sees_only_their_own_cases(territory_a, territory_b, applicant):
    own = CaseFactory(territory=territory_a, applicant=applicant)
    CaseFactory(territory=territory_b, applicant=applicant)
    CaseFactory(territory=territory_a)
    assert list(selectors.applicant_cases(applicant, territory_a)) == [own]
    assert selectors.applicant_cases(applicant).count() == 2
    assert not selectors.applicant_case_queryset(applicant, territory_a).exclude(pk=own.pk).exists()
    assert Case.objects.count() == 3


def test_demo_builder_gives_cases_in_every_state_and_runs_twice(territory_a, communes_a, staff_of, partner_a):
    from installations import demo
    from installations.models import Aid, Opportunity
    from portal.enums import Role

    staff_of(territory_a, Role.COORDINATOR)
    demo.build(territories={"alpha": territory_a})
    statuses = set(Case.objects.for_territory(territory_a).values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    counts = (Case.objects.count(), Aid.objects.count(), Opportunity.objects.count())
    demo.build(territories={"alpha": territory_a})
    assert (Case.objects.count(), Aid.objects.count(), Opportunity.objects.count()) == counts
    figures = dashboard_figures(territory=territory_a)
    assert figures.median_days_to_first_contact and figures.median_days_to_settlement


def test_the_case_list_annotation_flags_cases_without_answer(territory_a, territory_b, settings):
    settings.INSTALLATIONS_NO_ANSWER_DAYS = 7
    old = datetime.datetime.now(tz=UTC) - datetime.timedelta(days=9)
    late = CaseFactory(territory=territory_a, submitted_at=old, awaiting_reply_since=old)
    CaseFactory(territory=territory_a)
    CaseFactory(territory=territory_b, submitted_at=old, awaiting_reply_since=old)
    rows = {c.pk: c.no_answer for c in selectors.annotate_case_list(Case.objects.for_territory(territory_a))}
    assert len(rows) == 2 and rows[late.pk] is True and sum(rows.values()) == 1
