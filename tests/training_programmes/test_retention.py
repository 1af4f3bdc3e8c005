"""Scholarship applications past their retention period (refused: 2 years from the decision; granted:
5 years from the end of the commitment) are anonymised, their supporting documents deleted with their
files; pending, recent and running ones stay whole."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.privacy.services import territory_retention_purge
from tests.portal.factories import UserFactory
from tests.privacy.markers import admin_export, files_containing, tables_containing
from tests.training_programmes.factories import (
    ApplicationDocumentFactory,
    CommitmentFactory,
    ScholarshipApplicationFactory,
)
from training.enums_programmes import ApplicationStatus, CommitmentStatus, DocumentKind
from training.models import ApplicationDocument, Commitment, ScholarshipApplication

pytestmark = pytest.mark.django_db


def ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def application(territory, marker, **kwargs):
    applicant = UserFactory(last_name=f"Candidate-{marker}", email=f"{marker.lower()}@exemple.fr")
    app = ScholarshipApplicationFactory(
        territory=territory,
        applicant=applicant,
        institution=f"Faculté {marker}",
        study_year=f"5e année {marker}",
        motivation=f"Ma motivation {marker}",
        **kwargs,
    )
    ApplicationDocumentFactory(
        territory=territory,
        application=app,
        kind=DocumentKind.IDENTITY,
        file=ContentFile(f"%PDF-1.4 fichier {marker}".encode(), name="piece.pdf"),
        original_name=f"identite-{marker}.pdf",
    )
    return app


def test_refused_and_ended_scholarships_are_anonymised_with_their_files(
    territory_a, coordinator_a, login, django_capture_on_commit_callbacks
):
    refused = application(
        territory_a, "REFUS-MARQUE", refused=True, decided_at=ago(2 * 365 + 1), refusal_reason="Motif REFUS-MARQUE"
    )
    ended = application(territory_a, "FINI-MARQUE", granted=True, decided_at=ago(9 * 365))
    CommitmentFactory(
        territory=territory_a,
        application=ended,
        status=CommitmentStatus.FULFILLED,
        practice_place="Cabinet FINI-MARQUE",
        practice_started_on=(ago(8 * 365)).date(),
        closed_on=(ago(5 * 365 + 1)).date(),
        notes="Suivi FINI-MARQUE",
    )
    recent_refusal = application(territory_a, "RECENT-GARDE", refused=True, decided_at=ago(2 * 365 - 1))
    running = application(territory_a, "ENCOURS-GARDE", granted=True, decided_at=ago(9 * 365))
    CommitmentFactory(territory=territory_a, application=running, practising=True, notes="Suivi ENCOURS-GARDE")
    pending = application(territory_a, "ATTENTE-GARDE", submitted_at=ago(4 * 365))
    ScholarshipApplication.objects.filter(pk=pending.pk).update(submitted_at=ago(4 * 365))
    assert len(files_containing(b"MARQUE")) == 2

    with django_capture_on_commit_callbacks(execute=True):
        purged = territory_retention_purge(territory=territory_a)

    assert purged["training.refused_applications"] == 1 and purged["training.ended_commitments"] == 1
    # The applicants' accounts are their own; nothing else of them anywhere, files included.
    assert tables_containing("MARQUE") == ["portal_user"]
    assert files_containing(b"MARQUE") == []
    export = admin_export(login(coordinator_a), ScholarshipApplication, ScholarshipApplication.objects.all())
    assert "MARQUE" not in export and "RECENT-GARDE" in export and "ENCOURS-GARDE" in export
    refused.refresh_from_db()
    ended.refresh_from_db()
    # The figures the annual report counts stay.
    assert (refused.applicant, refused.status, refused.documents.count()) == (None, ApplicationStatus.REFUSED, 0)
    assert (ended.applicant, ended.granted_monthly_amount, ended.commitment.status) == (
        None,
        running.granted_monthly_amount,
        CommitmentStatus.FULFILLED,
    )
    for kept in (recent_refusal, running, pending):
        kept.refresh_from_db()
        assert kept.applicant is not None and kept.documents.count() == 1
    assert len(files_containing(b"GARDE")) == 3
    assert Commitment.objects.get(application=running).notes == "Suivi ENCOURS-GARDE"
    assert ApplicationDocument.objects.count() == 3
    assert territory_retention_purge(territory=territory_a)["training.refused_applications"] == 0


def test_an_ended_commitment_needs_its_closing_day(territory_a):
    from django.core.exceptions import ValidationError

    commitment = CommitmentFactory(territory=territory_a, practising=True)
    commitment.status = CommitmentStatus.BROKEN
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "closed_on" in error.value.message_dict


def test_registrations_to_training_sessions_lose_the_person_and_the_certificate_after_three_years(
    territory_a, coordinator_a, login, django_capture_on_commit_callbacks
):
    from portal.events.models import Registration
    from tests.documents.factories import GeneratedDocumentFactory
    from tests.events.factories import EventFactory, RegistrationFactory
    from tests.training_programmes.factories import SessionFactory

    def session(days_ago):
        start = ago(days_ago)
        return SessionFactory(
            territory=territory_a, event__starts_at=start, event__ends_at=start + datetime.timedelta(hours=3)
        )

    old = session(3 * 365 + 2).event
    certificate = GeneratedDocumentFactory(
        territory=territory_a,
        title="Attestation de présence — Formé-MARQUE",
        file=ContentFile(b"%PDF-1.4 attestation CERTIF-MARQUE", name="attestation.pdf"),
    )
    trained = RegistrationFactory(
        territory=territory_a,
        event=old,
        user=UserFactory(first_name="Camille", last_name="Inscrite-MARQUE", email="forme@exemple.fr"),
        attended=True,
        certificate=certificate,
    )
    recent = RegistrationFactory(territory=territory_a, event=session(3 * 365 - 2).event, attended=True)
    # Another axis' event (a prevention evening) is not training's to purge.
    other_event = EventFactory(territory=territory_a, starts_at=ago(4 * 365), ends_at=ago(4 * 365 - 1))
    other = RegistrationFactory(territory=territory_a, event=other_event)
    assert files_containing(b"CERTIF-MARQUE")

    with django_capture_on_commit_callbacks(execute=True):
        purged = territory_retention_purge(territory=territory_a)

    assert purged["training.session_registrations"] == 1
    # The account is the person's own; nothing else of them, the certificate's file included.
    assert tables_containing("MARQUE") == ["portal_user"] and files_containing(b"CERTIF-MARQUE") == []
    trained.refresh_from_db()
    assert (trained.user, trained.name, trained.certificate, trained.attended) == (None, "", None, True)
    assert trained.email == f"efface-{trained.pk}@invalid"
    export = admin_export(login(coordinator_a), Registration, Registration.objects.all())
    assert "Inscrite-MARQUE" not in export and recent.user.get_full_name() in export
    assert Registration.objects.get(pk=recent.pk).user_id == recent.user_id
    assert Registration.objects.get(pk=other.pk).user_id == other.user_id
