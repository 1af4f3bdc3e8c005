"""Training programmes' part of the annual report (portal/reporting.py's contract) and demo data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from portal import demo
from portal.events.enums import EventStatus, RegistrationStatus
from portal.reporting import collect_sections
from tests.events.factories import RegistrationFactory
from tests.training_programmes.factories import (
    CommitmentFactory,
    OutreachSpeakerFactory,
    ScholarshipApplicationFactory,
    ScholarshipProgrammeFactory,
    SessionFactory,
    TutorPairFactory,
)
from training.enums_programmes import ApplicationStatus
from training.models import OutreachAction, ScholarshipApplication, ScholarshipProgramme, Session, TutorPair
from training.reporting_programmes import annual_report_section, euros

pytestmark = pytest.mark.django_db


def _fill(territory, year, sessions=3):
    when = timezone.make_aware(dt.datetime(year, 3, 10, 9))
    for _ in range(sessions):
        session = SessionFactory(
            territory=territory, theme="first_aid", event__starts_at=when, event__ends_at=when + dt.timedelta(hours=3)
        )
        RegistrationFactory(territory=territory, event=session.event, attended=True)
        RegistrationFactory(territory=territory, event=session.event, attended=False)
        RegistrationFactory(territory=territory, event=session.event, status=RegistrationStatus.CANCELLED)
    welcome = SessionFactory(
        territory=territory, welcome=True, event__starts_at=when, event__ends_at=when + dt.timedelta(hours=3)
    )
    RegistrationFactory(territory=territory, event=welcome.event, attended=True)
    SessionFactory(
        territory=territory,
        event__starts_at=when,
        event__ends_at=when + dt.timedelta(hours=2),
        event__status=EventStatus.CANCELLED,
    )
    programme = ScholarshipProgrammeFactory(territory=territory, name="Bourse d'études santé")
    decided = timezone.make_aware(dt.datetime(year, 6, 1))
    for _ in range(2):
        application = ScholarshipApplicationFactory(territory=territory, programme=programme, granted=True)
        ScholarshipApplication.objects.filter(pk=application.pk).update(submitted_at=decided, decided_at=decided)
    refused = ScholarshipApplicationFactory(territory=territory, programme=programme, refused=True)
    ScholarshipApplication.objects.filter(pk=refused.pk).update(submitted_at=decided, decided_at=decided)
    CommitmentFactory(territory=territory, practising=True)
    TutorPairFactory(territory=territory, started_on=dt.date(year, 1, 15))
    for _ in range(2):
        speaker = OutreachSpeakerFactory(territory=territory, action__held_on=dt.date(year, 4, 2))
        OutreachSpeakerFactory(territory=territory, action=speaker.action)


def test_section_counts_sessions_attendance_grants_and_outreach(territory_a, territory_b):
    year = timezone.localdate().year - 1
    _fill(territory_a, year)
    _fill(territory_b, year)  # another territory's rows count nowhere in A's report

    section = annual_report_section(territory=territory_a, year=year)

    figures = dict(section.figures)
    assert figures["Formations de professionnels"] == "3"
    assert figures["Présences aux formations"] == "3"
    assert figures["Soirées d'accueil et rencontres"] == "1"
    assert figures["Bourses accordées"] == "2"
    assert figures["Montant des bourses accordées"] == euros(Decimal("19200")) == "19\u202f200\u00a0€"
    assert figures["Binômes de tutorat actifs"] == "1"
    assert figures["Actions auprès des scolaires"] == "2"
    themes, grants, outreach = section.tables
    assert ["Premiers secours", "3", "6", "3"] in themes.rows
    assert grants.rows == [["Bourse d'études santé", "3", "2", "1", "19\u202f200\u00a0€"]]
    assert outreach.rows == [["Intervention en classe", "2", "4", "60"]]


def test_section_is_absent_for_a_year_without_activity(territory_a):
    assert annual_report_section(territory=territory_a, year=2001) is None


def test_report_builder_query_count_is_pinned(territory_a, django_assert_max_num_queries):
    year = timezone.localdate().year - 1
    _fill(territory_a, year, sessions=12)
    with django_assert_max_num_queries(4):
        section = annual_report_section(territory=territory_a, year=year)
    assert dict(section.figures)["Formations de professionnels"] == "12"


def test_the_section_is_collected_through_the_declared_hook(territory_a):
    year = timezone.localdate().year - 1
    _fill(territory_a, year, sessions=1)
    titles = [s.title for s in collect_sections(territory=territory_a, year=year)]
    assert "Formation et accueil des internes" in titles  # one training section, both halves


def test_demo_has_sessions_grants_and_outreach_in_every_territory_and_reseeding_changes_nothing():
    territories = demo.build()
    models = (Session, ScholarshipProgramme, ScholarshipApplication, TutorPair, OutreachAction)
    counts = {m.__name__: m.objects.count() for m in models}
    demo.build()
    assert {m.__name__: m.objects.count() for m in models} == counts

    agen, cotentin, deux_sevres = territories["agen"], territories["cotentin"], territories["deux-sevres"]
    welcomes = Session.objects.for_territory(agen).filter(theme="welcome_evening").select_related("event")
    assert {s.event.starts_at.month for s in welcomes} == {5, 11}
    assert all(s.event.kind == "training.welcome" and s.event.status == "published" for s in welcomes)
    assert Session.objects.for_territory(cotentin).filter(theme="supervisor_training").exists()
    assert Session.objects.for_territory(deux_sevres).filter(theme="supervisor_training").exists()
    study_grant = ScholarshipProgramme.objects.for_territory(cotentin).get()
    assert (study_grant.monthly_amount, study_grant.years_committed) == (Decimal("800"), 5)
    assert ScholarshipProgramme.objects.for_territory(deux_sevres).get().kind == "internship_grant"
    granted = ScholarshipApplication.objects.for_territory(cotentin).filter(status=ApplicationStatus.GRANTED)
    assert granted.count() == 2 and all(a.documents.count() == 3 for a in granted)
    assert OutreachAction.objects.for_territory(deux_sevres).exists()
