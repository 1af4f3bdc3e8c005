"""Staff reads of the training and prevention axes' personal data are logged like the case page's:
the record pages of students, occupants, scholarship applicants and ambassadors, an applicant's
supporting document, the team page that names the ambassadors, and their CSV exports."""

import pytest
from django.urls import reverse

from portal.privacy.enums import AccessKind
from portal.privacy.models import AccessLog
from tests.prevention.factories import AmbassadorFactory, HealthStudentFactory, StudentTeamFactory
from tests.privacy.markers import admin_export
from tests.training.factories import BookingFactory, PlacementFactory, WelcomeKitFactory
from tests.training_programmes.factories import ApplicationDocumentFactory, CommitmentFactory, TutorPairFactory

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize(
    "make",
    [
        lambda t: PlacementFactory(territory=t),
        lambda t: BookingFactory(territory=t),
        lambda t: ApplicationDocumentFactory(territory=t).application,
        lambda t: TutorPairFactory(territory=t),
        lambda t: AmbassadorFactory(territory=t),
        lambda t: HealthStudentFactory(territory=t),
        lambda t: StudentTeamFactory(territory=t),
        lambda t: WelcomeKitFactory(territory=t),
        lambda t: CommitmentFactory(territory=t),
    ],
    ids=[
        "placement",
        "booking",
        "scholarship application",
        "tutor pair",
        "ambassador",
        "health student",
        "student team",
        "welcome kit",
        "commitment",
    ],
)
def test_opening_a_persons_record_logs_one_row_naming_the_record_not_the_person(
    make, territory_a, territory_b, coordinator_a, login
):
    obj = make(territory_a)
    client = login(coordinator_a)
    assert client.get(change_url(obj)).status_code == 200
    row = AccessLog.objects.get()
    assert (row.user, row.territory, row.kind, row.object_id) == (
        coordinator_a,
        territory_a,
        AccessKind.PERSON_RECORD,
        obj.pk,
    )
    assert row.object_ref == f"{obj._meta.verbose_name} n° {obj.pk}" and row.path == change_url(obj)
    # The list does not log (it is not one person's record); another territory's record is a 404, unlogged.
    AccessLog.objects.all().delete()
    assert client.get(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")).status_code == 200
    assert client.get(change_url(make(territory_b))).status_code == 404
    assert not AccessLog.objects.exists()


def test_a_supporting_document_download_and_the_exports_are_logged(territory_a, coordinator_a, login):
    document = ApplicationDocumentFactory(territory=territory_a)
    application = document.application
    client = login(coordinator_a)
    url = reverse("admin:training_scholarshipapplication_document", args=[application.pk, document.pk])
    response = client.get(url)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    admin_export(client, type(application), type(application).objects.all())
    ambassador = AmbassadorFactory(territory=territory_a)
    admin_export(client, type(ambassador), type(ambassador).objects.all())
    rows = list(AccessLog.objects.order_by("pk").values_list("kind", "object_ref", "object_id"))
    assert rows == [
        (AccessKind.DOCUMENT, f"{document.get_kind_display()} — candidature n° {application.pk}", document.pk),
        (AccessKind.EXPORT, "candidatures aux bourses", None),
        (AccessKind.EXPORT, "ambassadeurs santé", None),
    ]


def test_the_team_page_naming_the_ambassadors_is_logged(territory_a, coordinator_a, login):
    ambassador = AmbassadorFactory(territory=territory_a, last_name="Relais")
    page = login(coordinator_a).get(reverse("prevention:sanitary_service", args=[territory_a.slug]))
    assert page.status_code == 200 and str(ambassador) in page.content.decode()
    row = AccessLog.objects.get()
    assert (row.kind, row.territory, row.user) == (AccessKind.PERSON_LIST, territory_a, coordinator_a)
