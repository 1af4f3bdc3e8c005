"""The scholarship pages: the programme and its application form on the territory's site, the
student's own applications in their space."""

import pytest
from django.urls import reverse

from tests.portal.factories import UserFactory
from tests.training_programmes.factories import (
    ApplicationDocumentFactory,
    CommitmentFactory,
    ScholarshipApplicationFactory,
    ScholarshipProgrammeFactory,
)
from training.models import ApplicationDocument, ScholarshipApplication

pytestmark = pytest.mark.django_db

FORM = {
    "studies": "extern",
    "study_year": "4e année",
    "institution": "UFR Santé de Caen",
    "graduation_year": "2031",
    "motivation": "Exercer dans le Cotentin.",
}


def test_anonymous_visitor_reads_the_programme_and_is_asked_to_sign_in(client, territory_a):
    programme = ScholarshipProgrammeFactory(territory=territory_a, name="Bourse d'études santé")
    page = client.get(reverse("training:programme", args=[territory_a.slug, programme.pk])).content.decode()
    assert "800 € par mois" in page and "Pièce d&#x27;identité, Certificat de scolarité" in page
    assert "Me connecter pour candidater" in page
    response = client.post(reverse("training:programme", args=[territory_a.slug, programme.pk]), FORM)
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    assert not ScholarshipApplication.objects.exists()


def test_student_applies_and_lands_on_their_application(client, territory_a, pdf):
    programme = ScholarshipProgrammeFactory(territory=territory_a)
    student = UserFactory()
    client.force_login(student)

    response = client.post(
        reverse("training:programme", args=[territory_a.slug, programme.pk]),
        {**FORM, "document_identity": pdf(), "document_enrolment": pdf("certificat.pdf")},
    )

    application = ScholarshipApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training_space:application", args=[application.pk])
    assert application.applicant == student and application.documents.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Déposée" in page and "certificat.pdf" in page


def test_missing_document_is_refused_next_to_its_field_and_what_was_typed_stays(client, territory_a, pdf):
    programme = ScholarshipProgrammeFactory(territory=territory_a)
    client.force_login(UserFactory())

    response = client.post(
        reverse("training:programme", args=[territory_a.slug, programme.pk]),
        {**FORM, "document_identity": pdf()},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ce justificatif est obligatoire : joignez « Certificat de scolarité »." in page
    assert 'aria-describedby="id_document_enrolment_error id_document_enrolment_helptext"' in page
    assert 'value="UFR Santé de Caen"' in page and "Exercer dans le Cotentin." in page
    assert not ScholarshipApplication.objects.exists() and not ApplicationDocument.objects.exists()


def test_oversized_upload_is_refused_with_its_size(client, territory_a, pdf):
    programme = ScholarshipProgrammeFactory(territory=territory_a)
    client.force_login(UserFactory())
    big = pdf("gros.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024))
    response = client.post(
        reverse("training:programme", args=[territory_a.slug, programme.pk]),
        {**FORM, "document_identity": pdf(), "document_enrolment": big},
    )
    assert "Ce fichier pèse 11,0 Mo : la limite est de 10 Mo." in response.content.decode()
    assert not ScholarshipApplication.objects.exists()


def test_a_past_graduation_year_is_refused_in_french(client, territory_a, pdf):
    programme = ScholarshipProgrammeFactory(territory=territory_a, required_documents=[])
    client.force_login(UserFactory())
    response = client.post(
        reverse("training:programme", args=[territory_a.slug, programme.pk]), {**FORM, "graduation_year": "2001"}
    )
    assert "L&#x27;année de fin d&#x27;études ne peut pas être passée." in response.content.decode()


def test_closed_or_other_territory_programme_answers_404(client, territory_a, territory_b):
    closed = ScholarshipProgrammeFactory(territory=territory_a, is_open=False)
    other = ScholarshipProgrammeFactory(territory=territory_b)
    for programme in (closed, other):
        assert client.get(reverse("training:programme", args=[territory_a.slug, programme.pk])).status_code == 404
    page = client.get(reverse("training:programmes", args=[territory_a.slug])).content.decode()
    assert closed.name not in page and other.name not in page


def test_a_student_sees_only_their_own_applications(client, territory_a, territory_b):
    student = UserFactory()
    mine = ScholarshipApplicationFactory(territory=territory_a, applicant=student, programme__name="Bourse Alpha")
    elsewhere = ScholarshipApplicationFactory(territory=territory_b, applicant=student, programme__name="Bourse Bêta")
    theirs = ScholarshipApplicationFactory(territory=territory_a, programme__name="Bourse d'un autre")
    client.force_login(student)

    page = client.get(reverse("training_space:applications")).content.decode()
    assert "Bourse Alpha" in page and "Bourse Bêta" in page and "Bourse d&#x27;un autre" not in page
    assert client.get(reverse("training_space:application", args=[mine.pk])).status_code == 200
    assert client.get(reverse("training_space:application", args=[elsewhere.pk])).status_code == 200
    assert client.get(reverse("training_space:application", args=[theirs.pk])).status_code == 404


def test_granted_application_shows_the_amount_and_the_commitment(client, territory_a):
    commitment = CommitmentFactory(territory=territory_a, practising=True)
    ApplicationDocumentFactory(territory=territory_a, application=commitment.application)
    client.force_login(commitment.application.applicant)
    page = client.get(reverse("training_space:application", args=[commitment.application.pk])).content.decode()
    assert "800 € par mois pendant 12 mois" in page
    assert "Exercer 5 ans sur le territoire" in page and "Maison de santé de Valognes" in page


def test_space_pages_query_counts_are_pinned(client, territory_a, django_assert_max_num_queries):
    student = UserFactory()
    applications = [ScholarshipApplicationFactory(territory=territory_a, applicant=student) for _ in range(12)]
    for application in applications[:3]:
        ApplicationDocumentFactory(territory=territory_a, application=application)
    client.force_login(student)
    client.get(reverse("portal:personal_space"))  # the first request after a login saves the session
    # The session (read from the database), the user, the applications, the unread notifications.
    with django_assert_max_num_queries(4):
        page = client.get(reverse("training_space:applications")).content.decode()
    assert page.count('class="card"') == 12
    with django_assert_max_num_queries(5):
        page = client.get(reverse("training_space:application", args=[applications[0].pk])).content.decode()
    assert "piece-identite.pdf" in page


def test_programme_list_query_count_is_pinned(client, territory_a, django_assert_max_num_queries):
    for _ in range(12):
        ScholarshipProgrammeFactory(territory=territory_a)
    with django_assert_max_num_queries(3):
        page = client.get(reverse("training:programmes", args=[territory_a.slug])).content.decode()
    assert page.count('class="card"') == 12


def test_personal_space_links_to_the_applications(client):
    client.force_login(UserFactory())
    assert reverse("training_space:applications") in client.get(reverse("portal:personal_space")).content.decode()


def test_training_pages_render_every_variable(client, territory_a, pdf):
    """The test settings render an undefined variable as !!MISSING:…!!: none on training's pages."""
    from tests.training_programmes.factories import SessionFactory

    SessionFactory(territory=territory_a, trainer="Dr Formatrice", dpc_reference="12345")
    SessionFactory(territory=territory_a, welcome=True, event__capacity=None)
    programme = ScholarshipProgrammeFactory(territory=territory_a, funder=None)
    granted = CommitmentFactory(territory=territory_a, practising=True).application
    refused = ScholarshipApplicationFactory(territory=territory_a, refused=True, applicant=granted.applicant)
    pending = ScholarshipApplicationFactory(territory=territory_a, applicant=granted.applicant)
    anonymous_pages = [
        client.get(reverse("training:sessions", args=[territory_a.slug])),
        client.get(reverse("training:sessions", args=[territory_a.slug]), {"theme": "x"}),
        client.get(reverse("training:programmes", args=[territory_a.slug])),
        client.get(reverse("training:programme", args=[territory_a.slug, programme.pk])),
    ]
    client.force_login(granted.applicant)
    pages = anonymous_pages + [
        client.get(reverse("training:programme", args=[territory_a.slug, programme.pk])),
        client.post(reverse("training:programme", args=[territory_a.slug, programme.pk]), {"studies": "nope"}),
        client.get(reverse("training_space:applications")),
        *(client.get(reverse("training_space:application", args=[a.pk])) for a in (granted, refused, pending)),
    ]
    for response in pages:
        assert response.status_code == 200
        assert "MISSING" not in response.content.decode(), response.request["PATH_INFO"]
