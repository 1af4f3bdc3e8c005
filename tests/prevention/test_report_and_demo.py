"""The axis feeds the annual report and the dashboard through its declared hook; the demo data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import demo
from portal.enums import Role
from portal.reporting import collect_sections
from prevention import selectors
from prevention.enums import FundingSource, InitiativeStatus, Theme
from prevention.models import AgendaDetails, Ambassador, Initiative, Intervention, PreventionSettings, ReplicationSheet
from tests.events.factories import RegistrationFactory
from tests.prevention.factories import (
    AgendaDetailsFactory,
    AmbassadorFactory,
    FundingFactory,
    InitiativeFactory,
    InterventionFactory,
    PreventionEventFactory,
)

pytestmark = pytest.mark.django_db


def test_section_counts_the_year_s_initiatives_envelope_events_and_people(
    territory_a, territory_b, django_assert_max_num_queries
):
    for n in range(6):
        initiative = InitiativeFactory(territory=territory_a, theme=Theme.FIRST_AID if n < 4 else Theme.AGEING)
        FundingFactory(territory=territory_a, initiative=initiative, year=2026, cls_action_code=f"2.{n % 2 + 1}")
        FundingFactory(territory=territory_a, initiative=initiative, year=2026, source=FundingSource.COMMUNE)
    InitiativeFactory(territory=territory_a, status=InitiativeStatus.ABANDONED)
    InitiativeFactory(territory=territory_a, start_date=dt.date(2027, 1, 1))
    InitiativeFactory(territory=territory_b)
    event = PreventionEventFactory(territory=territory_a, starts_at=timezone.make_aware(dt.datetime(2026, 3, 4, 10)))
    AgendaDetailsFactory(territory=territory_a, event=event)
    for attended in (True, True, False):
        RegistrationFactory(territory=territory_a, event=event, anonymous=True, attended=attended)
    InterventionFactory(
        territory=territory_a, starts_on=dt.date(2026, 2, 2), ends_on=dt.date(2026, 2, 6), people_reached=80
    )
    AmbassadorFactory(territory=territory_a)

    with django_assert_max_num_queries(3):
        section = selectors.annual_report_section(territory=territory_a, year=2026)

    figures = dict(section.figures)
    assert figures["actions de prévention"] == "6"
    assert figures["événement de l'agenda"] == "1" and figures["présences aux événements"] == "2"
    assert figures["intervention du service sanitaire"] == "1" and figures["ambassadeur santé actif"] == "1"
    themes, envelope = section.tables
    assert themes.rows == [["Premiers secours", "4"], ["Bien vieillir", "2"]]
    assert envelope.rows == [["2.1", "3", "9\u202f000 €"], ["2.2", "3", "9\u202f000 €"]]


def test_no_section_for_a_year_without_prevention_in_two_queries(territory_a, django_assert_num_queries):
    # Every annual report and every dashboard pays for this, prevention or not.
    with django_assert_num_queries(2):
        assert selectors.annual_report_section(territory=territory_a, year=2026) is None


def test_dashboard_of_the_territory_shows_the_prevention_section(territory_a, staff_of, login):
    InitiativeFactory(territory=territory_a, start_date=dt.date(timezone.localdate().year, 1, 1))
    titles = [s.title for s in collect_sections(territory=territory_a, year=timezone.localdate().year)]
    assert "Prévention" in titles
    elected = login(staff_of(territory_a, Role.ELECTED_OFFICIAL))
    page = elected.get(reverse("governance:dashboard", args=[territory_a.slug]))
    assert "Prévention" in page.content.decode()


MODELS = (Initiative, ReplicationSheet, AgendaDetails, Ambassador, Intervention, PreventionSettings)


def test_demo_builds_agen_s_programme_and_the_cotentin_inventory_idempotently(client):
    territories = demo.build()
    counts = {model.__name__: model.objects.count() for model in MODELS}
    demo.build()
    assert {model.__name__: model.objects.count() for model in MODELS} == counts

    agen, cotentin = territories["agen"], territories["cotentin"]
    titles = [e.title for e in client.get(reverse("prevention:agenda", args=["agen"])).context["events"]]
    assert any(t.startswith("Mercredi de la santé") for t in titles)
    assert any(t.startswith("Université de la santé") for t in titles)
    assert "Formation aux premiers secours (PSC1)" in titles
    past = client.get(reverse("prevention:agenda", args=["agen"]), {"quand": "passes"}).context["events"]
    assert past and all(e.attended_count > 0 for e in past)
    assert Ambassador.objects.for_territory(agen).count() == 4
    original = Initiative.objects.for_territory(cotentin).get(title="Parcours santé seniors")
    assert [r.title for r in original.replications.all()] == ["Parcours santé seniors — Valognes"]
    assert selectors.shared_good_practices(reader=agen)[0].initiative == original
    table = selectors.commune_theme_table(territory=cotentin, public=True)
    assert len(table.rows) > 100 and table.communes_without_any  # where nothing exists yet
    assert selectors.annual_report_section(territory=agen, year=timezone.localdate().year).tables[1].rows
    assert Decimal(0) < sum(i.budget or 0 for i in Initiative.objects.for_territory(agen))
