"""Staff reads of personal data are logged (who, what, when) with one INSERT and no read; the
territory's manager reads the log in the admin, coordinators do not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.enums import Role
from portal.privacy.enums import AccessKind
from portal.privacy.models import AccessLog
from tests.installations.admin_helpers import change_url, make_cases
from tests.installations.factories import CaseDocumentFactory, CaseFactory
from tests.privacy.factories import AccessLogFactory

pytestmark = pytest.mark.django_db


def test_opening_a_case_page_logs_one_row_with_one_insert(territory_a, coordinator_a, login):
    case = make_cases(territory_a, 1)[0]
    client = login(coordinator_a)
    client.get(change_url(case))  # sessions, caches: the second view is the everyday one
    AccessLog.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(change_url(case)).status_code == 200
    touching = [q["sql"] for q in queries if "privacy_accesslog" in q["sql"]]
    assert len(touching) == 1 and touching[0].startswith("INSERT")
    assert len(queries) <= 25  # the case page's pin (tests/installations/test_case_page.py), log included
    row = AccessLog.objects.get()
    assert (row.user, row.territory, row.kind, row.object_ref, row.object_id) == (
        coordinator_a,
        territory_a,
        AccessKind.CASE_PAGE,
        case.reference,
        case.pk,
    )
    assert row.path == change_url(case) and row.user_email == coordinator_a.email


def test_another_territorys_case_page_is_404_and_logs_nothing(territory_b, coordinator_a, login):
    case = CaseFactory(territory=territory_b)
    assert login(coordinator_a).get(change_url(case)).status_code == 404
    assert not AccessLog.objects.exists()


def test_export_document_and_personal_data_reads_are_logged(territory_a, coordinator_a, login):
    case = CaseFactory(territory=territory_a)
    document = CaseDocumentFactory(territory=territory_a, case=case)
    client = login(coordinator_a)
    response = client.get(reverse("admin:installations_case_export"))
    b"".join(response.streaming_content)
    download = client.get(reverse("admin:installations_case_document", args=[case.pk, document.pk]))
    b"".join(download.streaming_content)
    client.get(reverse("admin:installations_case_personal_data", args=[case.pk]))
    kinds = list(AccessLog.objects.order_by("created_at", "pk").values_list("kind", "object_ref", "territory_id"))
    assert kinds == [
        (AccessKind.EXPORT, "demandes d'accompagnement", territory_a.pk),
        (AccessKind.DOCUMENT, f"{case.reference} — {document.original_name}", territory_a.pk),
        (AccessKind.PERSONAL_DATA, case.reference, territory_a.pk),
    ]


def test_every_admin_csv_export_is_logged(territory_a, coordinator_a, login):
    from tests.events.factories import RegistrationFactory

    registration = RegistrationFactory(territory=territory_a, anonymous=True)
    response = login(coordinator_a).post(
        reverse("admin:events_registration_changelist"),
        {"action": "export_csv", "_selected_action": [registration.pk]},
    )
    assert response.status_code == 200
    row = AccessLog.objects.get()
    assert row.kind == AccessKind.EXPORT and row.object_ref == "inscriptions" and row.territory == territory_a


def test_the_applicant_reading_their_own_data_is_not_a_staff_read(territory_a, login):
    case = CaseFactory(territory=territory_a)
    client = login(case.applicant)
    assert client.get(reverse("installations:case_export", args=[territory_a.slug, case.pk])).status_code == 200
    assert not AccessLog.objects.exists()


def test_the_manager_reads_the_log_filtered_and_cannot_change_it(
    territory_a, territory_b, coordinator_a, staff_of, login, django_assert_max_num_queries
):
    other_coordinator = staff_of(territory_a, Role.COORDINATOR, email="autre@exemple.fr")
    AccessLogFactory.create_batch(30, territory=territory_a, user=coordinator_a)
    AccessLogFactory.create_batch(5, territory=territory_a, user=other_coordinator, object_ref="ALP-2026-0042")
    AccessLogFactory(territory=territory_b, object_ref="BET-2026-0001")
    manager = login(staff_of(territory_a, Role.MANAGER))
    url = reverse("admin:privacy_accesslog_changelist")
    manager.get(url)
    with django_assert_max_num_queries(14):
        response = manager.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "BET-2026-0001" not in html
    assert html.count("ALP-2026-0042") == 5
    filtered = manager.get(url, {"user__id__exact": other_coordinator.pk}).context["cl"].result_count
    assert filtered == 5
    assert manager.get(url, {"q": "ALP-2026-0042"}).context["cl"].result_count == 5
    row = AccessLog.objects.filter(territory=territory_a).first()
    assert (
        manager.post(reverse("admin:privacy_accesslog_change", args=[row.pk]), {"object_ref": "x"}).status_code == 403
    )
    assert manager.post(reverse("admin:privacy_accesslog_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=row.pk, object_ref=row.object_ref).exists()
    other = AccessLog.objects.get(territory=territory_b)
    assert manager.get(reverse("admin:privacy_accesslog_change", args=[other.pk])).status_code == 404


def test_coordinators_do_not_see_the_log(territory_a, coordinator_a, login):
    AccessLogFactory(territory=territory_a)
    client = login(coordinator_a)
    assert client.get(reverse("admin:privacy_accesslog_changelist")).status_code == 403
    assert "privacy/accesslog" not in client.get(reverse("admin:index")).content.decode()
