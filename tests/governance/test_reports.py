import datetime as dt
import io

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from governance.enums import ActionStatus, Attendance, MeetingKind
from governance.models import AnnualReport
from governance.reports import build_annual_report, collect_annual_report_data
from governance.services.annual_report import report_mark_noted, report_mark_sent, report_request
from governance.services.meetings import minutes_publish
from governance.services.register import register_request
from portal.documents.enums import DocumentStatus
from portal.documents.models import GeneratedDocument
from tests.governance.factories import (
    ActionSheetFactory,
    BodyFactory,
    DeliberationFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MandateFactory,
    MeetingFactory,
    ParticipationFactory,
    ProgressNoteFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def populate(body, n):
    """`n` of everything the annual report shows, in `body`'s territory."""
    territory = body.territory
    mandates = [MandateFactory(territory=territory, body=body) for _ in range(n)]
    for i in range(n):
        meeting = MeetingFactory(
            territory=territory,
            body=body,
            status="held",
            starts_at=timezone.make_aware(dt.datetime(YEAR, 1 + i % 11, 10, 18, 0)),
            kind=MeetingKind.PLENARY if i % 2 == 0 else MeetingKind.WORKING_GROUP,
        )
        for mandate in mandates[:3]:
            ParticipationFactory(territory=territory, meeting=meeting, mandate=mandate, attendance=Attendance.PRESENT)
        DeliberationFactory(territory=territory, body=body, year=YEAR, number=i + 1, decided_on=dt.date(YEAR, 3, 1))
        group = WorkingGroupFactory(territory=territory, body=body, professional_pilot=mandates[i])
        group.members.add(*mandates[:2])
        ProgressNoteFactory(territory=territory, working_group=group, written_on=dt.date(YEAR, 5, 1))
        action = ActionSheetFactory(territory=territory, status=ActionStatus.IN_PROGRESS)
        indicator = IndicatorFactory(territory=territory, action=action)
        IndicatorValueFactory(territory=territory, indicator=indicator, year=YEAR)
        IndicatorValueFactory(territory=territory, indicator=indicator, year=YEAR - 1)


def _queries(territory, body):
    with CaptureQueriesContext(connection) as context:
        data = collect_annual_report_data(territory=territory, body_id=body.pk, year=YEAR)
        build_annual_report  # noqa: B018 - the builder only adds formatting over this data
    return len(context.captured_queries), data


def test_report_data_collection_query_count_does_not_grow_with_rows(territory_a):
    small = BodyFactory(territory=territory_a, name="Petit conseil")
    populate(small, 2)
    small_count, small_data = _queries(territory_a, small)

    big = BodyFactory(territory=territory_a, name="Grand conseil")
    populate(big, 12)
    big_count, big_data = _queries(territory_a, big)

    assert len(big_data.meetings) == 12 and len(big_data.composition) == 12
    assert len(big_data.actions) == 14  # the action plan is the territory's: both bodies' rows
    assert big_count == small_count
    # The axis apps' sections are collected too: training's programmes take 4 of these.
    assert big_count <= 27


def test_report_data_never_reads_another_territory(territory_a, territory_b):
    body_b = BodyFactory(territory=territory_b)
    populate(body_b, 2)
    with pytest.raises(ValueError, match="Instance introuvable"):
        collect_annual_report_data(territory=territory_a, body_id=body_b.pk, year=YEAR)


def test_annual_report_builds_to_a_pdf_with_the_territory_and_its_figures(
    territory_a, body_a, coordinator_a, django_capture_on_commit_callbacks
):
    populate(body_a, 3)
    ActionSheetFactory(territory=territory_a, code="4.1", title="Création des Mercredis de la santé")
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(actor=coordinator_a, body=body_a, year=YEAR)
    document = GeneratedDocument.objects.for_territory(territory_a).get(pk=report.document_id)
    assert document.status == DocumentStatus.READY, document.error
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Territoire Alpha" in text
    assert f"Bilan annuel {YEAR}" in text
    assert "Conseil de santé Alpha" in text
    assert "Création des Mercredis de la santé" in text
    assert f"{YEAR}-03" in text  # the register's third deliberation
    assert "3 délibérations et avis" in text and "4 fiches actions" in text and "100 % taux de présence" in text
    assert document.pages == len(reader.pages) >= 5
    assert "Fiches actions par état" in text


def test_a_council_without_cls_action_sheets_gets_no_empty_chart(territory_a, body_a, coordinator_a):
    MandateFactory(territory=territory_a, body=body_a)
    template, context = build_annual_report(territory=territory_a, params={"body_id": body_a.pk, "year": YEAR})
    html = render_to_string(template, context)
    assert "Membres par catégorie" in html
    assert "Fiches actions par état" not in html


def test_a_failing_report_is_recorded_failed_with_its_reason_and_can_be_retried(
    territory_a, body_a, coordinator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(actor=coordinator_a, body=body_a, year=YEAR)
    document = report.document
    # The body disappears between the request and a regeneration: the build fails, with the reason.
    GeneratedDocument.objects.filter(pk=document.pk).update(params={"body_id": 999999, "year": YEAR})
    from portal.documents.services import document_retry

    with django_capture_on_commit_callbacks(execute=True):
        document_retry(actor=coordinator_a, document=document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "Instance introuvable" in document.error
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(actor=coordinator_a, body=body_a, year=YEAR)
    report.document.refresh_from_db()
    assert report.document.status == DocumentStatus.READY
    assert AnnualReport.objects.for_territory(territory_a).count() == 1


def test_report_is_marked_sent_then_noted_in_order(body_a, coordinator_a):
    report = AnnualReport.objects.create(territory=body_a.territory, body=body_a, year=YEAR - 1)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="date de transmission"):
        report_mark_noted(actor=coordinator_a, report=report, on=dt.date(YEAR, 2, 1))
    report_mark_sent(actor=coordinator_a, report=report, on=dt.date(YEAR, 2, 1))
    with pytest.raises(ValidationError, match="avant de l'avoir reçu"):
        report_mark_noted(actor=coordinator_a, report=report, on=dt.date(YEAR, 1, 15))
    report_mark_noted(actor=coordinator_a, report=report, on=dt.date(YEAR, 3, 20))
    report.refresh_from_db()
    assert (report.sent_to_council_at, report.noted_at) == (dt.date(YEAR, 2, 1), dt.date(YEAR, 3, 20))


def test_minutes_and_register_build_to_pdfs(body_a, coordinator_a, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(
        territory=body_a.territory, body=body_a, held=True, minutes="Le conseil adopte le programme."
    )
    ParticipationFactory(territory=body_a.territory, meeting=meeting, attendance=Attendance.PRESENT)
    DeliberationFactory(
        territory=body_a.territory,
        body=body_a,
        meeting=meeting,
        year=YEAR,
        number=1,
        decided_on=dt.date(YEAR, 3, 12),
        title="Adoption du programme de travail",
        votes_for=1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        minutes_publish(actor=coordinator_a, meeting=meeting)
        register = register_request(actor=coordinator_a, body=body_a, year=YEAR)
    meeting.refresh_from_db()
    for document, expected in (
        (meeting.minutes_document, "Le conseil adopte le programme."),
        (register, "Adoption du programme de travail"),
    ):
        document.refresh_from_db()
        assert document.status == DocumentStatus.READY, document.error
        with document.file.open("rb") as handle:
            text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages).split())
        assert expected in text
        assert f"{YEAR}-01" in text
