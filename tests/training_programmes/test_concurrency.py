"""A student who presses "Déposer" twice (two requests at the same instant, each on its own
PostgreSQL connection) gets one application: the partial unique constraint on pending applications
decides, and the second is refused in French rather than failing."""

import pytest

from tests.concurrency import race
from tests.portal.factories import TerritoryFactory, UserFactory
from tests.training_programmes.factories import ScholarshipProgrammeFactory
from training.models import ScholarshipApplication
from training.services import scholarships

FIELDS = {
    "studies": "extern",
    "study_year": "4e année",
    "institution": "UFR Santé de Caen",
    "graduation_year": 2031,
    "motivation": "Exercer sur le territoire.",
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_submissions_at_once_give_one_application(attempt):
    programme = ScholarshipProgrammeFactory(territory=TerritoryFactory(slug=f"bourse-{attempt}"), required_documents=[])
    student = UserFactory()

    def submit():
        scholarships.application_submit(actor=student, programme=programme, fields=FIELDS, documents={})
        return "submitted"

    outcomes = [o if o == "submitted" else " ".join(o.messages) for o in race([submit, submit])]

    assert sorted(outcomes) == [
        "Vous avez déjà une candidature en cours d'examen pour ce programme.",
        "submitted",
    ]
    assert ScholarshipApplication.objects.filter(applicant=student).count() == 1
