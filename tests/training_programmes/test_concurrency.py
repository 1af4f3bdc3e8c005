"""A student who presses "Déposer" twice (two requests at the same instant, each on its own
PostgreSQL connection) gets one application: the partial unique constraint on pending applications
decides, and the second is refused in French rather than failing."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

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
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            scholarships.application_submit(actor=student, programme=programme, fields=FIELDS, documents={})
            outcomes.append("submitted")
        except ValidationError as refusal:
            outcomes.append(" ".join(refusal.messages))
        except Exception as exc:  # reported below: a thread's traceback is lost otherwise
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()

    assert not errors, errors
    assert sorted(outcomes) == [
        "Vous avez déjà une candidature en cours d'examen pour ce programme.",
        "submitted",
    ]
    assert ScholarshipApplication.objects.filter(applicant=student).count() == 1
