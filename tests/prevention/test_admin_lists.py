"""The prevention admin's lists and exports read a bounded number of rows' worth of queries, and
the initiatives' documents are the team's only."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.events.factories import RegistrationFactory
from tests.prevention.factories import (
    AgendaDetailsFactory,
    AmbassadorFactory,
    HealthStudentFactory,
    InitiativeDocumentFactory,
    InitiativeFactory,
    InterventionFactory,
    InterventionSiteFactory,
    PreventionSettingsFactory,
    ReplicationSheetFactory,
    StudentTeamFactory,
)

pytestmark = pytest.mark.django_db

ROWS = 12
# Measured 10-13 (list) and 5-8 (export) with 12 rows: one query per row would exceed both.
# The export also writes its line in the access log (one INSERT, portal/privacy).
LIST_QUERIES, EXPORT_QUERIES = 14, 10
BUILDERS = {
    "initiative": lambda t: ReplicationSheetFactory(territory=t).initiative,
    "preventionevent": lambda t: RegistrationFactory(territory=t, event=AgendaDetailsFactory(territory=t).event).event,
    "ambassador": lambda t: AmbassadorFactory(territory=t),
    "healthstudent": lambda t: HealthStudentFactory(territory=t),
    "interventionsite": lambda t: InterventionSiteFactory(territory=t),
    "intervention": lambda t: InterventionFactory(territory=t),
    "studentteam": lambda t: StudentTeamFactory(territory=t),
}


@pytest.mark.parametrize("model", sorted(BUILDERS))
def test_change_list_and_export_query_counts_do_not_grow(
    model, territory_a, coordinator_a, login, django_assert_max_num_queries
):
    rows = [BUILDERS[model](territory_a) for _ in range(ROWS)]
    if model == "initiative":
        InitiativeFactory(territory=territory_a, replicated_from=rows[0])
    client = login(coordinator_a)
    url = reverse(f"admin:prevention_{model}_changelist")
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context_data["cl"].result_list) >= ROWS
    with django_assert_max_num_queries(EXPORT_QUERIES):
        export = client.post(url, {"action": "export_csv", ACTION_CHECKBOX_NAME: [r.pk for r in rows], "index": 0})
        lines = b"".join(export.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == ROWS + 1


def test_settings_admin_shares_through_the_service(territory_a, coordinator_a, login):
    settings_row = PreventionSettingsFactory(territory=territory_a)
    client = login(coordinator_a)
    response = client.post(
        reverse("admin:prevention_preventionsettings_change", args=[settings_row.pk]),
        {"territory": territory_a.pk, "share_good_practices": "on"},
    )
    assert response.status_code == 302
    settings_row.refresh_from_db()
    assert settings_row.share_good_practices and settings_row.shared_since is not None


def test_settings_added_shared_are_dated_by_the_service(territory_a, coordinator_a, login):
    response = login(coordinator_a).post(
        reverse("admin:prevention_preventionsettings_add"), {"territory": territory_a.pk, "share_good_practices": "on"}
    )
    assert response.status_code == 302
    from prevention.models import PreventionSettings

    row = PreventionSettings.objects.get(territory=territory_a)
    assert row.share_good_practices and row.shared_since is not None


def test_initiative_documents_are_downloaded_by_the_team_only(
    territory_a, coordinator_a, login, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = InitiativeDocumentFactory(territory=territory_a, title="Bilan 2026")
    url = reverse("prevention:document", args=[territory_a.slug, document.pk])
    response = login(coordinator_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert 'filename="Bilan 2026.pdf"' in response["Content-Disposition"]
    assert client.get(url).status_code == 302  # sign in first
    detail = login(coordinator_a).get(reverse("prevention:initiative", args=[territory_a.slug, document.initiative_id]))
    assert url in detail.content.decode()
    assert (
        url
        not in client.get(
            reverse("prevention:initiative", args=[territory_a.slug, document.initiative_id])
        ).content.decode()
    )


def test_a_document_that_is_not_a_pdf_is_refused_in_french(territory_a):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = InitiativeDocumentFactory.build(
        territory=territory_a,
        initiative=InitiativeFactory(territory=territory_a),
        file=SimpleUploadedFile("bilan.pdf", b"MZ\x90\x00 not a pdf"),
    )
    with pytest.raises(ValidationError, match="pas un PDF"):
        document.full_clean()
