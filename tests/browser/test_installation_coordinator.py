"""The coordinator's journey in the admin: triage the new requests, take one in charge, assign it,
refer a need to a partner, record the settlement (signed in with the second factor)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from installations.enums import CaseStatus, NeedKind, NeedState
from installations.models import Case, FollowUp, Need
from portal.enums import ArsZone, Role
from tests.installations.factories import CaseFactory, NeedFactory
from tests.portal.factories import CommuneFactory, MembershipFactory, OrganisationFactory, TerritoryFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def cotentin():
    territory = TerritoryFactory(name="Communauté d'agglomération du Cotentin", slug="cotentin")
    territory.communes.add(
        CommuneFactory(insee_code="50129", name="Cherbourg-en-Cotentin", ars_zone=ArsZone.ZIP),
        CommuneFactory(insee_code="50602", name="Valognes", ars_zone=ArsZone.ZAC),
    )
    return territory


def test_coordinator_triages_assigns_refers_and_settles_a_case(page, live_server, cotentin, make_person, sign_in):
    claire = make_person("claire@cotentin.fr", totp=True, is_staff=True, first_name="Claire", last_name="Lebrun")
    MembershipFactory(user=claire, territory=cotentin, role=Role.COORDINATOR)
    marc = make_person("marc@cotentin.fr", is_staff=True, first_name="Marc", last_name="Hamel")
    MembershipFactory(user=marc, territory=cotentin, role=Role.COORDINATOR)
    cpam = OrganisationFactory(territory=cotentin, name="CPAM de la Manche", kind="cpam")
    referent = make_person("referent@cpam.fr", is_staff=True, first_name="Rémi", last_name="Caron")
    MembershipFactory(user=referent, territory=cotentin, role=Role.PARTNER, organisation=cpam)

    case = CaseFactory(territory=cotentin, submitted_at=timezone.now() - datetime.timedelta(days=3))
    NeedFactory(territory=cotentin, case=case, kind=NeedKind.ADMIN_STEPS, details="Inscription à la CPAM")
    older = CaseFactory(territory=cotentin, supported=True)

    sign_in(page, claire, expect_path="/admin/installations/case/dashboard/")

    # Triage: the new requests only.
    page.goto(f"{live_server.url}/admin/installations/case/?status=submitted")
    results = page.locator("#result_list")
    expect(results).to_contain_text(case.reference)
    expect(results).not_to_contain_text(older.reference)
    results.get_by_role("link", name=case.reference).click()

    page.get_by_role("link", name="Prendre en charge").click()
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".messagelist")).to_contain_text("Prendre en charge")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUPPORTED

    page.get_by_role("link", name="Confier à un coordinateur").click()
    page.get_by_label("Confier à").select_option(label=str(marc))
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".messagelist")).to_contain_text("Confier à un coordinateur")
    assert Case.objects.get(pk=case.pk).assigned_to == marc

    # Refer the administrative need to the CPAM's referent, in the needs' inline.
    page.locator('select[name="needs-0-referred_to"]').select_option(label=cpam.name)
    page.locator('select[name="needs-0-referent"]').select_option(label=str(referent))
    page.locator('input[name="_continue"]').click()
    page.wait_for_load_state()
    need = Need.objects.get(case=case)
    assert need.state == NeedState.REFERRED and need.referent == referent

    page.get_by_role("link", name="Enregistrer l'installation").click()
    page.get_by_label("Date d'installation").fill(timezone.localdate().isoformat())
    page.get_by_label("Commune d'installation").select_option(label="Valognes (50602)")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".messagelist")).to_contain_text("Enregistrer l'installation")
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLED
    assert case.settlement_commune.name == "Valognes"
    assert FollowUp.objects.filter(case=case).count() == 3


def test_coordinator_filters_the_list_and_confides_the_page_in_one_go(
    page, live_server, cotentin, make_person, sign_in, screenshot
):
    claire = make_person("claire@cotentin.fr", totp=True, is_staff=True, first_name="Claire", last_name="Lebrun")
    MembershipFactory(user=claire, territory=cotentin, role=Role.COORDINATOR)
    marc = make_person("marc@cotentin.fr", is_staff=True, first_name="Marc", last_name="Hamel")
    MembershipFactory(user=marc, territory=cotentin, role=Role.COORDINATOR)
    nurses = [CaseFactory(territory=cotentin, profession="nurse") for _ in range(3)]
    doctor = CaseFactory(territory=cotentin, profession="doctor_gp")
    sign_in(page, claire, expect_path="/admin/installations/case/dashboard/")

    page.goto(f"{live_server.url}/admin/installations/case/")
    expect(page.get_by_role("link", name="Nouvelle demande (4)")).to_be_visible()
    # More filters, by keyboard: open the panel, choose the profession, submit.
    page.get_by_text("Plus de filtres").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Profession").select_option(label="Infirmier ou infirmière")
    page.get_by_role("button", name="Filtrer").press("Enter")
    results = page.locator("#result_list")
    for case in nurses:
        expect(results).to_contain_text(case.reference)
    expect(results).not_to_contain_text(doctor.reference)
    expect(page.get_by_text("3 demandes")).to_be_visible()
    screenshot(page, "case-list-1280")

    # Tick the whole page with the header box, confide it to Marc.
    page.get_by_label("Cocher toutes les demandes de la page").check()
    page.get_by_label("Pour les demandes cochées :").select_option(label=f"Confier à {marc} ({cotentin.name})")
    page.get_by_role("button", name="Appliquer").click()
    expect(page.locator(".messagelist")).to_contain_text(f"3 demandes confiées à {marc}.")
    # Back on the same filtered list.
    expect(page.get_by_label("Profession")).to_have_value("nurse")
    assert set(Case.objects.filter(pk__in=[c.pk for c in nurses]).values_list("assigned_to", flat=True)) == {marc.pk}
    assert Case.objects.get(pk=doctor.pk).assigned_to is None

    # Sort by reference with the column header (ascending, then descending), the filter kept.
    header = page.locator("#result_list thead").get_by_role("link", name="Référence")
    header.click()
    expect(page.locator("#result_list th[aria-sort='ascending']")).to_contain_text("Référence")
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text(min(c.reference for c in nurses))
    page.locator("#result_list thead").get_by_role("link", name="Référence").click()
    expect(first_row).to_contain_text(max(c.reference for c in nurses))
    expect(page.get_by_label("Profession")).to_have_value("nurse")

    page.set_viewport_size({"width": 360, "height": 780})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width} px)"
    screenshot(page, "case-list-360")
