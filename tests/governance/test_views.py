import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from governance.enums import Reply
from governance.services.annual_report import report_request
from governance.services.meetings import minutes_publish
from portal.documents.enums import DocumentAudience, DocumentStatus
from tests.governance.factories import (
    BodyFactory,
    MandateFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _url(territory, suffix=""):
    return f"/{territory.slug}/gouvernance/{suffix}"


@pytest.fixture
def published(django_capture_on_commit_callbacks, coordinator_a, coordinator_b, body_a, body_b):
    """Minutes generated for real in three bodies (body Y = a second body of territory A) and an annual
    report per body: built for real for body A only (the others stay pending, which is enough to prove
    they are refused: visibility is checked before readiness)."""

    def _publish(body, coordinator, title, build_report):
        meeting = MeetingFactory(
            territory=body.territory, body=body, held=True, title=title, minutes=f"Compte rendu de {title}."
        )
        with django_capture_on_commit_callbacks(execute=True):
            minutes_publish(actor=coordinator, meeting=meeting)
        if build_report:
            with django_capture_on_commit_callbacks(execute=True):
                report = report_request(actor=coordinator, body=body, year=YEAR)
        else:
            with django_capture_on_commit_callbacks(execute=False):
                report = report_request(actor=coordinator, body=body, year=YEAR)
        meeting.refresh_from_db()
        report.refresh_from_db()
        assert meeting.minutes_document.status == DocumentStatus.READY
        return meeting, report

    body_y = BodyFactory(territory=body_a.territory, name="Conseil local de santé mentale")
    return {
        "a": _publish(body_a, coordinator_a, "Séance Alpha", True),
        "y": _publish(body_y, coordinator_a, "Séance CLSM", False),
        "b": _publish(body_b, coordinator_b, "Séance Bêta", False),
        "body_y": body_y,
    }


def _get(client, url):
    """GET and read the whole answer: the test client closes a streamed file once it is read. The
    governance download address redirects to the one document route (issue 10, defect 7): followed."""
    response = client.get(url, follow=True)
    response.content_bytes = b"".join(response.streaming_content) if response.streaming else response.content
    return response


def _pdf_text(response):
    content = response.content_bytes
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())


def test_anonymous_visitor_is_sent_to_sign_in(territory_a, client):
    response = client.get(_url(territory_a))
    assert response.status_code == 302
    assert "/comptes/" in response["Location"]


def test_person_without_a_role_is_told_whom_the_page_is_for(territory_a, login, member_of, territory_b):
    outsider = member_of(territory_b, "ailleurs@exemple.fr")
    response = login(outsider).get(_url(territory_a))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Cette page est réservée" in page
    assert "Élu ou élue" in page and "Membre du conseil" in page
    assert territory_a.contact_email in page


def test_person_without_a_role_gets_404_on_a_meeting_whether_it_exists_or_not(
    territory_a, territory_b, login, member_of
):
    meeting = MeetingFactory(territory=territory_a)
    client = login(member_of(territory_b, "ailleurs@exemple.fr"))
    assert client.get(_url(territory_a, f"reunions/{meeting.pk}/")).status_code == 404
    assert client.get(_url(territory_a, f"reunions/{meeting.pk + 1000}/")).status_code == 404


def test_elected_official_sees_figures_meetings_minutes_and_reports(
    published, territory_a, elected_of, login, django_assert_max_num_queries
):
    client = login(elected_of(territory_a))
    upcoming = MeetingFactory(territory=territory_a, body=published["body_y"], title="Séance automnale")
    with django_assert_max_num_queries(34):  # every axis' key figures (installations 8, training 5, prevention 2…)
        response = client.get(_url(territory_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chiffres clés" in page
    assert upcoming.title in page
    assert "Séance Alpha" in page and "Séance CLSM" in page and "Séance Bêta" not in page
    meeting_a, report_a = published["a"]
    download = _get(client, _url(territory_a, f"documents/{report_a.document_id}/"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    text = _pdf_text(download)
    assert "Territoire Alpha" in text and "Territoire Bêta" not in text


def test_dashboard_queries_do_not_grow_with_meetings(
    published, territory_a, elected_of, login, django_assert_max_num_queries
):
    client = login(elected_of(territory_a))
    for i in range(15):
        MeetingFactory(territory=territory_a, body=published["body_y"], title=f"Groupe {i}")
    with django_assert_max_num_queries(34):
        assert client.get(_url(territory_a)).status_code == 200


def test_member_of_a_cannot_read_territory_b_minutes_or_report(
    published, territory_a, territory_b, body_a, member_of, login
):
    member = member_of(territory_a, "membre-a@exemple.fr")
    MandateFactory(territory=territory_a, body=body_a, user=member)
    client = login(member)
    meeting_b, report_b = published["b"]
    for doc_id in (meeting_b.minutes_document_id, report_b.document_id):
        assert _get(client, _url(territory_a, f"documents/{doc_id}/")).status_code == 404
        assert _get(client, _url(territory_b, f"documents/{doc_id}/")).status_code == 404
    assert client.get(_url(territory_b)).status_code == 403  # "réservée", nothing of B's shown
    assert client.get(_url(territory_a, f"reunions/{meeting_b.pk}/")).status_code == 404
    assert client.get(_url(territory_b, f"reunions/{meeting_b.pk}/")).status_code == 404


def test_member_of_body_x_cannot_read_body_y_minutes(published, territory_a, body_a, member_of, login):
    member = member_of(territory_a, "membre-x@exemple.fr")
    MandateFactory(territory=territory_a, body=body_a, user=member)
    client = login(member)
    meeting_x, report_x = published["a"]
    meeting_y, report_y = published["y"]
    page = client.get(_url(territory_a)).content.decode()
    assert "Séance Alpha" in page and "Séance CLSM" not in page
    ok = _get(client, _url(territory_a, f"documents/{meeting_x.minutes_document_id}/"))
    assert ok.status_code == 200 and "Compte rendu de Séance Alpha." in _pdf_text(ok)
    assert _get(client, _url(territory_a, f"documents/{report_x.document_id}/")).status_code == 200
    assert _get(client, _url(territory_a, f"documents/{meeting_y.minutes_document_id}/")).status_code == 404
    assert _get(client, _url(territory_a, f"documents/{report_y.document_id}/")).status_code == 404
    assert client.get(_url(territory_a, f"reunions/{meeting_y.pk}/")).status_code == 404


def test_public_minutes_of_another_body_are_readable_by_any_member(
    published, territory_a, body_a, member_of, login, coordinator_a, django_capture_on_commit_callbacks
):
    meeting_y, _report = published["y"]
    with django_capture_on_commit_callbacks(execute=True):
        minutes_publish(actor=coordinator_a, meeting=meeting_y, public=True)
    meeting_y.refresh_from_db()
    assert meeting_y.minutes_document.audience == DocumentAudience.PUBLIC
    member = member_of(territory_a, "membre-x@exemple.fr")
    MandateFactory(territory=territory_a, body=body_a, user=member)
    client = login(member)
    assert "Séance CLSM" in client.get(_url(territory_a)).content.decode()
    assert _get(client, _url(territory_a, f"documents/{meeting_y.minutes_document_id}/")).status_code == 200


def test_former_member_no_longer_reads_the_body(published, territory_a, body_a, member_of, login):
    member = member_of(territory_a, "ancien@exemple.fr")
    MandateFactory(territory=territory_a, body=body_a, user=member, ended=True)
    meeting_x, _report = published["a"]
    assert _get(login(member), _url(territory_a, f"documents/{meeting_x.minutes_document_id}/")).status_code == 404


def test_member_replies_from_the_meeting_page_and_errors_keep_the_choice(territory_a, body_a, member_of, login):
    member = member_of(territory_a, "membre@exemple.fr")
    meeting = MeetingFactory(territory=territory_a, body=body_a)
    mine = ParticipationFactory(
        territory=territory_a, meeting=meeting, mandate=MandateFactory(territory=territory_a, body=body_a, user=member)
    )
    other = ParticipationFactory(territory=territory_a, meeting=meeting)
    client = login(member)
    page = client.get(_url(territory_a, f"reunions/{meeting.pk}/"))
    assert page.status_code == 200 and "Ma réponse" in page.content.decode()

    refused = client.post(_url(territory_a, f"reunions/{meeting.pk}/reponse/"), {"reply": "represented"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Indiquez le membre qui vous représente." in body
    assert 'value="represented" checked' in body or 'value="represented"\n' in body or "checked" in body

    done = client.post(
        _url(territory_a, f"reunions/{meeting.pk}/reponse/"),
        {"reply": "represented", "represented_by": other.mandate_id},
    )
    assert done.status_code == 302
    mine.refresh_from_db()
    assert (mine.reply, mine.represented_by_id) == (Reply.REPRESENTED, other.mandate_id)


def test_meeting_documents_are_served_only_to_readers_of_the_body(territory_a, body_a, member_of, login, elected_of):
    document = MeetingDocumentFactory(territory=territory_a, meeting=MeetingFactory(territory=territory_a, body=body_a))
    url = _url(territory_a, f"reunions/{document.meeting_id}/documents/{document.pk}/")
    response = _get(login(elected_of(territory_a)), url)
    assert response.status_code == 200
    assert response.content_bytes.startswith(b"%PDF-")
    stranger = member_of(territory_a, "autre-instance@exemple.fr")
    MandateFactory(territory=territory_a, body=BodyFactory(territory=territory_a), user=stranger)
    assert login(stranger).get(url).status_code == 404


def test_dates_of_meetings_are_in_french(territory_a, body_a, elected_of, login):
    MeetingFactory(
        territory=territory_a,
        body=body_a,
        title="Séance du printemps",
        starts_at=timezone.make_aware(dt.datetime(YEAR + 1, 3, 12, 18, 0)),
    )
    page = login(elected_of(territory_a)).get(_url(territory_a)).content.decode()
    assert f"jeudi 12 mars {YEAR + 1}" in page or f"12 mars {YEAR + 1}" in page
