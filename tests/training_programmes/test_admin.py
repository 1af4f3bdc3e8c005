"""Training programmes in the back office: sessions written with their event, the scholarship decision,
document downloads scoped to the territory, lists with pinned query counts."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from portal.events.enums import EventStatus
from portal.notifications.models import Notification
from tests.events.factories import RegistrationFactory
from tests.training_programmes.factories import (
    ApplicationDocumentFactory,
    CommitmentFactory,
    OutreachSpeakerFactory,
    ScholarshipApplicationFactory,
    ScholarshipProgrammeFactory,
    SessionFactory,
    TutorPairFactory,
)
from training.enums_programmes import ApplicationStatus
from training.models import Commitment, Session

pytestmark = pytest.mark.django_db


def _session_form(territory, **overrides):
    start = timezone.localtime() + dt.timedelta(days=10)
    return {
        "territory": territory.pk,
        "theme": "supervisor_training",
        "title": "Formation des maîtres de stage — module 1",
        "description": "",
        "audience": "supervisors",
        "status": "published",
        "starts_at_0": start.strftime("%d/%m/%Y"),
        "starts_at_1": "09:00",
        "ends_at_0": start.strftime("%d/%m/%Y"),
        "ends_at_1": "17:00",
        "place": "CHPC",
        "capacity": "12",
        "trainer": "UFR Santé de Caen",
        "dpc_reference": "",
        **overrides,
    }


def test_coordinator_creates_a_session_with_its_event_in_one_page(territory_a, coordinator_a, login):
    client = login(coordinator_a)
    response = client.post(reverse("admin:training_session_add"), _session_form(territory_a))
    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get()
    assert session.event.kind == "training.session" and session.event.capacity == 12
    assert session.event.title == "Formation des maîtres de stage — module 1"
    assert session.event.status == EventStatus.PUBLISHED


def test_a_session_ending_before_it_starts_is_refused_next_to_the_field(territory_a, coordinator_a, login):
    client = login(coordinator_a)
    response = client.post(reverse("admin:training_session_add"), _session_form(territory_a, ends_at_1="08:00"))
    assert response.status_code == 200
    assert "La fin doit être après le début de l&#x27;événement." in response.content.decode()
    assert not Session.objects.exists()


def test_session_changelist_counts_without_growing(territory_a, coordinator_a, login, django_assert_max_num_queries):
    client = login(coordinator_a)
    for _ in range(15):
        session = SessionFactory(territory=territory_a)
        RegistrationFactory.create_batch(2, territory=territory_a, event=session.event)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("admin:training_session_changelist"))
    rows = response.context_data["cl"].result_list
    assert len(rows) == 15 and {s.registered_count for s in rows} == {2}


def test_session_change_page_opens(territory_a, coordinator_a, login):
    session = SessionFactory(territory=territory_a)
    client = login(coordinator_a)
    page = client.get(reverse("admin:training_session_change", args=[session.pk])).content.decode()
    assert "la feuille de présence" in page and session.event.title in page


def test_cancel_action_cancels_the_shared_event(territory_a, coordinator_a, login):
    session = SessionFactory(territory=territory_a)
    client = login(coordinator_a)
    client.post(
        reverse("admin:training_session_changelist"),
        {"action": "cancel_sessions", ACTION_CHECKBOX_NAME: [session.pk], "index": 0},
    )
    session.event.refresh_from_db()
    assert session.event.status == EventStatus.CANCELLED


def test_decision_page_grants_and_tells_the_applicant(territory_a, coordinator_a, login):
    application = ScholarshipApplicationFactory(territory=territory_a)
    client = login(coordinator_a)
    url = reverse("admin:training_scholarshipapplication_decision", args=[application.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"decision": "grant", "months": "10", "monthly_amount": ""})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED and application.granted_months == 10
    assert Commitment.objects.filter(application=application).exists()
    assert Notification.objects.filter(recipient=application.applicant, kind="training.application_granted").exists()


def test_decision_page_refusal_without_reason_stays_with_a_french_message(territory_a, coordinator_a, login):
    application = ScholarshipApplicationFactory(territory=territory_a)
    client = login(coordinator_a)
    url = reverse("admin:training_scholarshipapplication_decision", args=[application.pk])
    response = client.post(url, {"decision": "refuse", "reason": ""})
    assert response.status_code == 200
    assert "Indiquez le motif du refus" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_other_territory_application_decision_and_document_answer_404(territory_b, coordinator_a, login):
    document = ApplicationDocumentFactory(territory=territory_b)
    client = login(coordinator_a)
    urls = [
        reverse("admin:training_scholarshipapplication_decision", args=[document.application_id]),
        reverse("admin:training_scholarshipapplication_document", args=[document.application_id, document.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "refuse", "reason": "x"}).status_code == 404
    document.application.refresh_from_db()
    assert document.application.status == ApplicationStatus.SUBMITTED


def test_team_downloads_a_supporting_document(territory_a, coordinator_a, login):
    document = ApplicationDocumentFactory(territory=territory_a)
    client = login(coordinator_a)
    response = client.get(
        reverse("admin:training_scholarshipapplication_document", args=[document.application_id, document.pk])
    )
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")


def test_review_action_moves_submitted_applications(territory_a, coordinator_a, login):
    applications = ScholarshipApplicationFactory.create_batch(2, territory=territory_a)
    client = login(coordinator_a)
    client.post(
        reverse("admin:training_scholarshipapplication_changelist"),
        {"action": "start_review", ACTION_CHECKBOX_NAME: [a.pk for a in applications], "index": 0},
    )
    for application in applications:
        application.refresh_from_db()
        assert application.status == ApplicationStatus.UNDER_REVIEW


@pytest.mark.parametrize(
    ("admin_name", "build", "maximum"),
    [
        ("scholarshipapplication", lambda t: ScholarshipApplicationFactory(territory=t), 14),  # + date hierarchy
        ("scholarshipprogramme", lambda t: ScholarshipProgrammeFactory(territory=t), 12),
        ("commitment", lambda t: CommitmentFactory(territory=t), 12),
        ("tutorpair", lambda t: TutorPairFactory(territory=t), 12),
        ("outreachaction", lambda t: OutreachSpeakerFactory(territory=t).action, 14),  # + date hierarchy
        ("outreachspeaker", lambda t: OutreachSpeakerFactory(territory=t), 12),
    ],
)
def test_changelists_query_count_does_not_grow(
    territory_a, coordinator_a, login, django_assert_max_num_queries, admin_name, build, maximum
):
    for _ in range(15):
        build(territory_a)
    client = login(coordinator_a)
    with django_assert_max_num_queries(maximum):
        response = client.get(reverse(f"admin:training_{admin_name}_changelist"))
    assert response.status_code == 200 and len(response.context_data["cl"].result_list) == 15


def test_application_export_is_scoped_and_query_count_pinned(
    territory_a, territory_b, coordinator_a, login, django_assert_max_num_queries
):
    programme = ScholarshipProgrammeFactory(territory=territory_a, name="Bourse Alpha")
    for _ in range(10):
        ScholarshipApplicationFactory(territory=territory_a, programme=programme)
    ScholarshipApplicationFactory(territory=territory_b, programme__name="Bourse Bêta")
    client = login(coordinator_a)
    with django_assert_max_num_queries(12):
        response = client.post(
            reverse("admin:training_scholarshipapplication_changelist"),
            {"action": "export_csv", "select_across": "1", "index": 0, ACTION_CHECKBOX_NAME: ["0"]},
        )
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.count("Bourse Alpha") == 10 and "Bourse Bêta" not in body


def test_application_page_shows_documents_and_the_commitment_to_follow(
    territory_a, coordinator_a, login, django_assert_max_num_queries
):
    commitment = CommitmentFactory(territory=territory_a)
    for kind in ("identity", "enrolment", "resources"):
        ApplicationDocumentFactory(territory=territory_a, application=commitment.application, kind=kind)
    client = login(coordinator_a)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("admin:training_scholarshipapplication_change", args=[commitment.application_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("/justificatifs/") == 3
    assert 'name="commitment-0-practice_place"' in page


def test_commitment_followed_after_graduation_refuses_practice_before_the_diploma(territory_a, coordinator_a, login):
    commitment = CommitmentFactory(territory=territory_a)
    client = login(coordinator_a)
    response = client.post(
        reverse("admin:training_commitment_change", args=[commitment.pk]),
        {
            "status": "practising",
            "graduated_on": "01/07/2026",
            "practice_place": "Maison de santé de Valognes",
            "practice_started_on": "01/03/2026",
            "years_done": "0",
            "notes": "",
        },
    )
    assert response.status_code == 200
    assert "L&#x27;exercice ne peut pas commencer avant le diplôme." in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.practice_place == ""


def test_the_trainer_named_organiser_takes_the_attendance(territory_a, coordinator_a, staff_of, login):
    from portal.enums import Role

    trainer = staff_of(territory_a, Role.SUPERVISOR)
    client = login(coordinator_a)
    response = client.post(
        reverse("admin:training_session_add"), _session_form(territory_a, organiser_users=[trainer.pk])
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert list(session.event.organiser_users.all()) == [trainer]
    sheet = reverse("events:attendance", args=[territory_a.slug, session.event_id])
    assert login(trainer).get(sheet).status_code == 200

    # The change page shows the organiser chosen, and saving it again keeps them.
    page = client.get(reverse("admin:training_session_change", args=[session.pk])).content.decode()
    assert f'<option value="{trainer.pk}" selected>' in page


def test_raising_a_session_capacity_in_the_admin_promotes_the_waiting_list(territory_a, coordinator_a, login):
    from portal.events.enums import RegistrationStatus

    session = SessionFactory(territory=territory_a, event__capacity=1)
    RegistrationFactory(territory=territory_a, event=session.event)
    waiting = RegistrationFactory(territory=territory_a, event=session.event, waitlisted=True)
    client = login(coordinator_a)
    form = _session_form(territory_a, capacity="2", title=session.event.title)
    del form["territory"]  # read-only once the session exists

    response = client.post(reverse("admin:training_session_change", args=[session.pk]), form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    session.event.refresh_from_db()
    assert session.event.capacity == 2 and session.event.territory == territory_a
