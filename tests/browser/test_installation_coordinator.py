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

    sign_in(page, claire)

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
