"""Applying for a scholarship and the team's decision, through the services."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.notifications.models import Notification
from tests.portal.factories import UserFactory
from tests.training_programmes.factories import ScholarshipApplicationFactory, ScholarshipProgrammeFactory
from training.enums_programmes import ApplicationStatus, CommitmentStatus
from training.models import ApplicationDocument, Commitment, ScholarshipApplication
from training.services import scholarships

pytestmark = pytest.mark.django_db

FIELDS = {
    "studies": "extern",
    "study_year": "4e année",
    "institution": "UFR Santé de Caen",
    "graduation_year": 2031,
    "motivation": "Exercer dans le Cotentin.",
}


def test_student_applies_with_the_required_documents_and_both_sides_are_told(territory_a, coordinator_a, pdf):
    programme = ScholarshipProgrammeFactory(territory=territory_a)
    student = UserFactory(email="lea@exemple.fr")

    application = scholarships.application_submit(
        actor=student, programme=programme, fields=FIELDS, documents={"identity": pdf(), "enrolment": pdf("c.pdf")}
    )

    assert application.status == ApplicationStatus.SUBMITTED and application.territory == territory_a
    assert sorted(application.documents.values_list("kind", flat=True)) == ["enrolment", "identity"]
    assert all(d.content_type == "application/pdf" for d in application.documents.all())
    kinds = dict(Notification.objects.values_list("recipient__email", "kind"))
    assert kinds == {
        "lea@exemple.fr": "training.application_received",
        coordinator_a.email: "training.application_submitted",
    }


def test_application_without_a_required_document_is_refused_in_french_and_nothing_is_saved(territory_a, pdf, tmp_path):
    programme = ScholarshipProgrammeFactory(territory=territory_a)
    student = UserFactory()

    with pytest.raises(ValidationError) as refusal:
        scholarships.application_submit(
            actor=student, programme=programme, fields=FIELDS, documents={"identity": pdf(), "enrolment": None}
        )

    assert refusal.value.message_dict == {
        "document_enrolment": ["Ce justificatif est obligatoire : joignez « Certificat de scolarité »."]
    }
    assert not ScholarshipApplication.objects.exists() and not ApplicationDocument.objects.exists()
    assert not Notification.objects.exists()
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.pdf"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00binary", "Seuls les fichiers PDF, PNG et JPEG sont acceptés"),
        ("image.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "Seuls les fichiers PDF, PNG et JPEG sont acceptés"),
        ("gros.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), "la limite est de 10 Mo"),
    ],
)
def test_a_refused_file_stops_the_whole_application(territory_a, pdf, name, content, message):
    programme = ScholarshipProgrammeFactory(territory=territory_a)

    with pytest.raises(ValidationError) as refusal:
        scholarships.application_submit(
            actor=UserFactory(),
            programme=programme,
            fields=FIELDS,
            documents={"identity": pdf(), "enrolment": pdf(name, content)},
        )

    assert message in refusal.value.message_dict["document_enrolment"][0]
    assert not ScholarshipApplication.objects.exists() and not ApplicationDocument.objects.exists()


def test_a_second_application_while_one_is_pending_is_refused(territory_a, pdf):
    programme = ScholarshipProgrammeFactory(territory=territory_a, required_documents=[])
    student = UserFactory()
    scholarships.application_submit(actor=student, programme=programme, fields=FIELDS, documents={})

    with pytest.raises(ValidationError, match="déjà une candidature en cours"):
        scholarships.application_submit(actor=student, programme=programme, fields=FIELDS, documents={})
    assert ScholarshipApplication.objects.count() == 1


def test_a_closed_programme_takes_no_application(territory_a):
    programme = ScholarshipProgrammeFactory(territory=territory_a, is_open=False, required_documents=[])
    with pytest.raises(ValidationError, match="ne reçoit pas de candidatures"):
        scholarships.application_submit(actor=UserFactory(), programme=programme, fields=FIELDS, documents={})


def test_review_then_grant_opens_the_commitment_and_tells_the_student(territory_a, coordinator_a):
    application = ScholarshipApplicationFactory(territory=territory_a)

    scholarships.application_review_start(actor=coordinator_a, application=application)
    granted = scholarships.application_grant(actor=coordinator_a, application=application, months=24)

    assert granted.status == ApplicationStatus.GRANTED
    assert (granted.granted_monthly_amount, granted.granted_months) == (Decimal("800"), 24)
    assert granted.granted_total == Decimal("19200")
    commitment = Commitment.objects.get(application=granted)
    assert (commitment.years_committed, commitment.status) == (5, CommitmentStatus.STUDYING)
    told = Notification.objects.filter(recipient=application.applicant).order_by("pk")
    assert [n.kind for n in told] == ["training.application_under_review", "training.application_granted"]
    assert "800 € par mois pendant 24 mois" in told.last().body.replace("\u00a0", " ")
    assert "exercer 5 ans" in told.last().body


def test_grant_beyond_the_programme_duration_is_refused(territory_a, coordinator_a):
    application = ScholarshipApplicationFactory(territory=territory_a)
    with pytest.raises(ValidationError) as refusal:
        scholarships.application_grant(actor=coordinator_a, application=application, months=48)
    assert refusal.value.message_dict == {"months": ["Le programme accorde 36 mois au plus."]}
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_refusal_needs_a_reason_which_the_student_receives(territory_a, coordinator_a):
    application = ScholarshipApplicationFactory(territory=territory_a)
    with pytest.raises(ValidationError) as refusal:
        scholarships.application_refuse(actor=coordinator_a, application=application, reason="  ")
    assert "motif du refus" in refusal.value.message_dict["reason"][0]

    scholarships.application_refuse(actor=coordinator_a, application=application, reason="Ressources trop élevées.")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    notification = Notification.objects.get(recipient=application.applicant)
    assert notification.body == "Motif : Ressources trop élevées." and notification.url.startswith("/espace/bourses/")
    with pytest.raises(ValidationError, match="déjà reçu sa décision"):
        scholarships.application_grant(actor=coordinator_a, application=application)


def test_only_the_territory_team_decides(territory_a, territory_b, coordinator_b):
    application = ScholarshipApplicationFactory(territory=territory_a)
    for actor in (coordinator_b, application.applicant):
        with pytest.raises(PermissionDenied):
            scholarships.application_grant(actor=actor, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_failure_after_the_files_are_written_leaves_no_file_behind(territory_a, pdf, tmp_path, monkeypatch):
    programme = ScholarshipProgrammeFactory(territory=territory_a)

    def broken_notify(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(scholarships, "notify", broken_notify)
    with pytest.raises(RuntimeError):
        scholarships.application_submit(
            actor=UserFactory(), programme=programme, fields=FIELDS, documents={"identity": pdf(), "enrolment": pdf()}
        )

    assert not ScholarshipApplication.objects.exists()
    assert not [path for path in (tmp_path / "media").rglob("*") if path.is_file()]
