"""The coordinator's admin: scoping, the case page, the export, the workflow and the inlines (the case
list has tests/installations/test_case_list.py)."""

import csv
import io

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from installations.enums import CaseStatus, EventKind, NeedKind
from installations.models import Case, CaseEvent, Note
from installations.services.needs import need_refer
from portal.enums import Profession
from portal.notifications.models import Notification
from tests.installations.admin_helpers import CHANGELIST, EXPORT, change_url, make_cases
from tests.installations.factories import (
    CaseDocumentFactory,
    CaseFactory,
    NeedFactory,
    NoteFactory,
)
from tests.portal.factories import UserFactory

# --- isolation ----------------------------------------------------------------------------------


def test_coordinator_of_other_territory_gets_404_on_case_pages(territory_a, coordinator_b, login):
    case = CaseFactory(territory=territory_a)
    document = CaseDocumentFactory(territory=territory_a, case=case)
    client = login(coordinator_b)
    for url in (
        change_url(case),
        reverse("admin:installations_case_workflow", args=[case.pk, "take_charge"]),
        reverse("admin:installations_case_document", args=[case.pk, document.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("admin:installations_case_workflow", args=[case.pk, "take_charge"])).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_partner_sees_only_the_needs_referred_to_them_and_their_cases_minimal_info(
    territory_a, coordinator_a, partner_a, login
):
    referred_case = CaseFactory(territory=territory_a, applicant_email="secret@exemple.fr")
    referred = NeedFactory(territory=territory_a, case=referred_case, kind=NeedKind.ADMIN_STEPS)
    sibling = NeedFactory(territory=territory_a, case=referred_case, kind=NeedKind.HOUSING_LONG)
    other_case = CaseFactory(territory=territory_a)
    other = NeedFactory(territory=territory_a, case=other_case, kind=NeedKind.ADMIN_STEPS)
    need_refer(actor=coordinator_a, need=referred, organisation=partner_a.organisation, referent=partner_a)
    client = login(partner_a)

    # Django's need pages lead them to their own referrals page.
    needs = client.get(reverse("admin:installations_need_changelist"))
    assert needs.status_code == 302 and needs["Location"] == reverse("admin:installations_referrals")
    assert client.get(reverse("admin:installations_need_change", args=[referred.pk]))["Location"] == reverse(
        "admin:installations_referral", args=[referred.pk]
    )
    for need in (sibling, other):
        assert client.get(reverse("admin:installations_referral", args=[need.pk])).status_code == 404

    cases = client.get(CHANGELIST)
    assert [c.pk for c in cases.context_data["cases"]] == [referred_case.pk]
    # Their list: no applicant column, no bulk actions, no export; only the status and the reference.
    html = cases.content.decode()
    assert "secret@exemple.fr" not in html and 'name="_selected_action"' not in html and EXPORT not in html
    assert set(cases.context_data["filterset"].filters) == {"q", "status", "o"}
    # The case page is the team's: a partner is sent to their referrals, and nothing is written.
    page = client.get(change_url(referred_case))
    assert page.status_code == 302 and page["Location"] == reverse("admin:installations_referrals")
    assert client.get(change_url(other_case)).status_code == 404
    note = client.post(reverse("admin:installations_case_action", args=[referred_case.pk, "note"]), {"note-body": "x"})
    assert note.status_code == 404 and not Note.objects.exists()
    assert client.get(EXPORT).status_code == 403
    assert client.get(reverse("admin:installations_dashboard")).status_code == 403


# --- export -------------------------------------------------------------------------------------


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_export_holds_exactly_the_filtered_list(territory_a, territory_b, client_a, django_assert_max_num_queries):
    cases = make_cases(territory_a, 30)
    for case in cases[:12]:
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.SUPPORTED)
    make_cases(territory_b, 3, status=CaseStatus.SUPPORTED)
    params = {"status": CaseStatus.SUPPORTED, "profession": Profession.NURSE}
    expected = [c.reference for c in cases[:12] if c.profession == Profession.NURSE]

    listed = client_a.get(CHANGELIST, params).context_data["cases"]
    assert [c.reference for c in listed] == expected
    # Session, user, memberships, the filters' choices, the page count, then one SELECT for the cases
    # and one per prefetched relation (by chunks of 500 rows).
    with django_assert_max_num_queries(16):
        rows = read_csv(client_a.get(EXPORT, params))
    assert rows[0][0] == "référence"
    assert [row[0] for row in rows[1:]] == expected
    assert "Locaux ou cabinet à reprendre" in rows[1][9]
    # The link on the list carries its filters.
    assert client_a.get(CHANGELIST, params).context_data["export_url"].startswith(EXPORT + "?")


def test_export_action_uses_the_custom_columns(territory_a, client_a):
    case = make_cases(territory_a, 1)[0]
    response = client_a.post(CHANGELIST, {"action": "export_csv", ACTION_CHECKBOX_NAME: [case.pk], "index": 0})
    rows = read_csv(response)
    assert [row[0] for row in rows] == ["référence", case.reference]


# --- actions and workflow -----------------------------------------------------------------------


def test_bulk_assign_goes_through_the_service(territory_a, coordinator_a, staff_of, client_a):
    colleague = staff_of(territory_a, "manager")
    cases = make_cases(territory_a, 3)
    response = client_a.post(
        CHANGELIST,
        {"action": f"assign_to_{colleague.pk}", ACTION_CHECKBOX_NAME: [c.pk for c in cases], "index": 0},
    )
    assert response.status_code == 302
    assert set(Case.objects.values_list("assigned_to", flat=True)) == {colleague.pk}
    assert CaseEvent.objects.filter(kind=EventKind.ASSIGNED).count() == 3
    assert Notification.objects.filter(recipient=colleague, kind="installations.case_assigned").count() == 3


def test_workflow_buttons_apply_transitions_and_refuse_impossible_ones(
    territory_a, coordinator_a, client_a, communes_a
):
    case = CaseFactory(territory=territory_a)
    page = client_a.get(change_url(case))
    steps = [step for step, _label, _url in page.context_data["steps"]]
    assert page.context_data["can_take_charge"] and "settle" not in steps

    url = reverse("admin:installations_case_workflow", args=[case.pk, "take_charge"])
    assert client_a.post(url).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORTED and case.assigned_to == coordinator_a

    settle = reverse("admin:installations_case_workflow", args=[case.pk, "settle"])
    refused = client_a.post(settle, {"settlement_date": "2026-09-01", "settlement_commune": ""})
    assert refused.status_code == 400
    assert (
        client_a.post(settle, {"settlement_date": "2026-09-01", "settlement_commune": communes_a[0].pk}).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLED and case.follow_ups.count() == 3

    again = client_a.post(url)
    assert again.status_code == 400
    assert "Impossible de passer la demande de « Installé »" in again.content.decode()


def test_document_download_is_served_to_the_team(territory_a, client_a):
    document = CaseDocumentFactory(territory=territory_a)
    response = client_a.get(reverse("admin:installations_case_document", args=[document.case_id, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_admin_pages_render_every_variable(territory_a, coordinator_a, partner_a, client_a, login):
    case = make_cases(territory_a, 1)[0]
    need = case.needs.get(kind=NeedKind.PREMISES)
    need_refer(actor=coordinator_a, need=need, organisation=partner_a.organisation, referent=partner_a)
    pages = [
        CHANGELIST,
        change_url(case),
        reverse("admin:installations_case_workflow", args=[case.pk, "settle"]),
        reverse("admin:installations_dashboard"),
        reverse("admin:installations_need_change", args=[need.pk]),
        reverse("admin:installations_aid_add"),
        reverse("admin:installations_opportunity_add"),
        reverse("admin:installations_followup_changelist"),
    ]
    for client in (client_a, login(partner_a)):
        for url in pages:
            response = client.get(url)
            if response.status_code == 200:
                assert "!!MISSING" not in response.content.decode(), url


def test_team_exports_the_applicant_data_without_the_notes(territory_a, coordinator_a, client_a, coordinator_b, login):
    case = CaseFactory(territory=territory_a)
    NoteFactory(territory=territory_a, case=case, body="Confidentiel")
    url = reverse("admin:installations_case_personal_data", args=[case.pk])
    response = client_a.get(url)
    assert response.status_code == 200
    assert response.json()["demandeur"]["email"] == case.applicant_email
    assert "Confidentiel" not in response.content.decode()
    assert CaseEvent.objects.filter(case=case, kind=EventKind.DATA_EXPORTED, actor=coordinator_a).exists()
    assert login(coordinator_b).get(url).status_code == 404


def test_superuser_reaches_every_page(territory_a, territory_b, login):

    root = UserFactory(email="root@exemple.fr", is_staff=True, is_superuser=True)
    client = login(root)
    cases = [make_cases(territory, 1)[0] for territory in (territory_a, territory_b)]
    listed = client.get(CHANGELIST).context_data["cases"]
    assert {c.pk for c in listed} == {c.pk for c in cases}
    for url in (
        change_url(cases[1]),
        reverse("admin:installations_dashboard") + f"?territory={territory_b.pk}",
        reverse("admin:installations_need_change", args=[cases[1].needs.first().pk]),
        EXPORT,
    ):
        assert client.get(url).status_code == 200, url
