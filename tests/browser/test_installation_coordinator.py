"""The coordinator's journey in the admin: triage the new requests, then on the case page take one in
charge, write to the applicant, refer a need to a partner's referent, record their answer, record the
settlement (signed in with the second factor); the partner referent's journey on their own page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from installations.enums import CaseStatus, NeedKind, NeedState
from installations.models import Case, FollowUp, Need
from installations.services.needs import need_refer
from portal.enums import ArsZone, Role
from tests.installations.factories import CaseFactory, NeedFactory
from tests.portal.factories import CommuneFactory, MembershipFactory, OrganisationFactory, TerritoryFactory

# Where a coordinator lands after signing in (their role home).
DASHBOARD = "/admin/installations/case/dashboard/"

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


def no_sideways_scroll(page):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"the page scrolls sideways ({width} px in {viewport} px)"


@pytest.mark.parametrize("width", [1280, 360])
def test_coordinator_handles_a_case_from_new_to_settled_on_the_case_page(
    page, live_server, cotentin, make_person, sign_in, assert_accessible, screenshot, width
):
    page.set_viewport_size({"width": width, "height": 900})
    claire = make_person("claire@cotentin.fr", totp=True, is_staff=True, first_name="Claire", last_name="Lebrun")
    MembershipFactory(user=claire, territory=cotentin, role=Role.COORDINATOR)
    cpam = OrganisationFactory(territory=cotentin, name="CPAM de la Manche", kind="cpam")
    OrganisationFactory.create_batch(5, territory=cotentin)  # organisations without a referent: not offered
    referent = make_person("referent@cpam.fr", is_staff=True, first_name="Rémi", last_name="Caron")
    MembershipFactory(user=referent, territory=cotentin, role=Role.PARTNER, organisation=cpam)

    case = CaseFactory(territory=cotentin, submitted_at=timezone.now() - datetime.timedelta(days=3))
    NeedFactory(territory=cotentin, case=case, kind=NeedKind.ADMIN_STEPS, details="Inscription à la CPAM")
    NeedFactory(territory=cotentin, case=case, kind=NeedKind.HOUSING_LONG)
    older = CaseFactory(territory=cotentin, supported=True)

    sign_in(page, claire, expect_path=DASHBOARD)
    page.goto(f"{live_server.url}/admin/installations/case/?status=submitted")
    results = page.locator("#result_list")
    expect(results).not_to_contain_text(older.reference)
    results.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    assert_accessible(page, "case page, new")
    no_sideways_scroll(page)
    screenshot(page, f"case-page-new-{width}")

    # Take charge, by keyboard.
    page.get_by_role("button", name="Prendre en charge").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Demande prise en charge")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUPPORTED

    page.get_by_label("Nouveau message au demandeur").fill("Bonjour, je vous appelle jeudi à 14 h.")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.locator(".messagelist")).to_contain_text("Message envoyé au demandeur.")
    expect(page.locator("#conversation")).to_contain_text("je vous appelle jeudi")

    # Refer the administrative need: only the referent is offered; the confirmation names him.
    need = Need.objects.get(case=case, kind=NeedKind.ADMIN_STEPS)
    card = page.locator(f"#need-{need.pk}")
    card.get_by_text("Orienter vers un partenaire").click()
    options = card.get_by_label("Orienter vers").locator("option")
    expect(options).to_have_count(2)
    card.get_by_label("Orienter vers").select_option(label="Rémi Caron — CPAM de la Manche")
    card.get_by_label("Le demandeur accepte").check()
    card.get_by_role("button", name="Orienter", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("orienté vers Rémi Caron (CPAM de la Manche), prévenu")
    assert_accessible(page, "case page, referred")

    # The partner answered by phone: the coordinator records it on the card.
    card = page.locator(f"#need-{need.pk}")
    card.get_by_label("Accepté").check()
    card.get_by_label("Motif ou précisions").fill("Accord de Rémi au téléphone.")
    card.get_by_role("button", name="Enregistrer la réponse").click()
    expect(page.locator(".messagelist")).to_contain_text("Réponse du partenaire enregistrée : Accepté.")
    expect(page.locator(f"#need-{need.pk}")).to_contain_text("Accord de Rémi au téléphone.")
    need.refresh_from_db()
    assert need.referral_answer == "accepted" and need.contact_consent
    no_sideways_scroll(page)
    screenshot(page, f"case-page-supported-{width}")

    page.get_by_role("link", name="Enregistrer l'installation").click()
    assert_accessible(page, "settle step")
    page.get_by_label("Date d'installation").fill(timezone.localdate().isoformat())
    page.get_by_label("Commune d'installation").select_option(label="Valognes (50602)")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".messagelist")).to_contain_text("Enregistrer l'installation")
    expect(page.locator("#suivis")).to_contain_text("À 1 an")
    assert_accessible(page, "case page, settled")
    no_sideways_scroll(page)
    screenshot(page, f"case-page-settled-{width}")
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLED and case.settlement_commune.name == "Valognes"
    assert FollowUp.objects.filter(case=case).count() == 3


@pytest.mark.parametrize("width", [1280, 360])
def test_partner_accepts_a_referral_and_answers_the_coordinator(
    page, live_server, cotentin, make_person, sign_in, assert_accessible, screenshot, width
):
    page.set_viewport_size({"width": width, "height": 900})
    claire = make_person("claire@cotentin.fr", is_staff=True, first_name="Claire", last_name="Lebrun")
    MembershipFactory(user=claire, territory=cotentin, role=Role.COORDINATOR)
    cpam = OrganisationFactory(territory=cotentin, name="CPAM de la Manche", kind="cpam")
    remi = make_person("referent@cpam.fr", totp=True, is_staff=True, first_name="Rémi", last_name="Caron")
    MembershipFactory(user=remi, territory=cotentin, role=Role.PARTNER, organisation=cpam)
    case = CaseFactory(territory=cotentin, supported=True, assigned_to=claire, applicant_phone="06 12 34 56 78")
    need = NeedFactory(
        territory=cotentin, case=case, kind=NeedKind.ADMIN_STEPS, due_date=timezone.localdate() + datetime.timedelta(7)
    )
    need_refer(
        actor=claire,
        need=need,
        organisation=cpam,
        referent=remi,
        message="Immatriculation à faire.",
        contact_consent=True,
    )

    # A partner referent lands on their referrals (their role home).
    sign_in(page, remi, expect_path="/admin/installations/need/orientations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Besoins qui vous sont orientés")
    assert_accessible(page, "referrals")
    no_sideways_scroll(page)
    screenshot(page, f"referrals-{width}")
    page.get_by_role("link", name=f"Démarches administratives (Ordre, CPAM, ARS) — demande {case.reference}").click()
    expect(page.locator("#contact")).to_contain_text("06 12 34 56 78")
    expect(page.locator("#thread")).to_contain_text("Immatriculation à faire.")
    assert_accessible(page, "referral")

    page.get_by_label("Accepté").check()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.locator(".messagelist")).to_contain_text("Votre réponse est transmise à la coordination : accepté.")
    page.get_by_label("Message à Claire Lebrun (coordination)").fill("Rendez-vous pris le 12 à la CPAM.")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(page.locator("#thread")).to_contain_text("Rendez-vous pris le 12 à la CPAM.")
    page.get_by_label("Où en est ce besoin ?").select_option(label="Résolu")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("État du besoin enregistré : Résolu.")
    assert_accessible(page, "referral answered")
    no_sideways_scroll(page)
    screenshot(page, f"referral-{width}")
    need.refresh_from_db()
    assert need.referral_answer == "accepted" and need.state == NeedState.DONE


def test_coordinator_filters_the_list_and_confides_the_page_in_one_go(
    page, live_server, cotentin, make_person, sign_in, screenshot
):
    claire = make_person("claire@cotentin.fr", totp=True, is_staff=True, first_name="Claire", last_name="Lebrun")
    MembershipFactory(user=claire, territory=cotentin, role=Role.COORDINATOR)
    marc = make_person("marc@cotentin.fr", is_staff=True, first_name="Marc", last_name="Hamel")
    MembershipFactory(user=marc, territory=cotentin, role=Role.COORDINATOR)
    nurses = [CaseFactory(territory=cotentin, profession="nurse") for _ in range(3)]
    doctor = CaseFactory(territory=cotentin, profession="doctor_gp")
    sign_in(page, claire, expect_path=DASHBOARD)

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


def test_second_coordinator_saving_an_old_page_is_told_who_changed_what(
    page, browser, live_server, cotentin, make_person, sign_in, assert_accessible, screenshot
):
    alice = make_person("alice@cotentin.fr", totp=True, is_staff=True, first_name="Alice", last_name="Martin")
    bruno = make_person("bruno@cotentin.fr", totp=True, is_staff=True, first_name="Bruno", last_name="Roux")
    for person in (alice, bruno):
        MembershipFactory(user=person, territory=cotentin, role=Role.COORDINATOR)
    case = CaseFactory(territory=cotentin, supported=True, assigned_to=alice)
    need = NeedFactory(territory=cotentin, case=case, kind=NeedKind.HOUSING_LONG, details="")
    url = f"{live_server.url}/admin/installations/case/{case.pk}/change/"

    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 780})
    bruno_page = context.new_page()
    sign_in(page, alice, expect_path=DASHBOARD)
    sign_in(bruno_page, bruno, expect_path=DASHBOARD)
    page.goto(url)
    bruno_page.goto(url)

    card = page.locator(f"#need-{need.pk}")
    card.get_by_label("État").select_option(label="Résolu")
    card.get_by_role("button", name="Enregistrer ce besoin").click()
    expect(page.locator(".messagelist")).to_contain_text("Besoin « Logement durable » enregistré.")

    card = bruno_page.locator(f"#need-{need.pk}")
    card.get_by_label("Précisions").fill("T3 à Valognes, loyer sous 700 €")
    card.get_by_role("button", name="Enregistrer ce besoin").click()
    card = bruno_page.locator(f"#need-{need.pk}")
    expect(card.locator(".error-summary")).to_contain_text("a été modifié par Alice Martin à")
    expect(card.locator(".error-summary")).to_contain_text("État : désormais « Résolu »")
    expect(card.get_by_label("Précisions")).to_have_value("T3 à Valognes, loyer sous 700 €")
    expect(card.get_by_label("État")).to_have_value(NeedState.DONE)
    assert_accessible(bruno_page, "refused stale need")
    screenshot(bruno_page, "case-page-stale-360")

    card.get_by_role("button", name="Enregistrer ce besoin").click()
    expect(bruno_page.locator(".messagelist")).to_contain_text("Besoin « Logement durable » enregistré.")
    need.refresh_from_db()
    assert (need.state, need.details) == (NeedState.DONE, "T3 à Valognes, loyer sous 700 €")
    context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_coordinator_sees_a_possible_duplicate_on_the_row_and_the_case_page(
    page, live_server, cotentin, make_person, sign_in, assert_accessible, screenshot, width
):
    page.set_viewport_size({"width": width, "height": 900})
    claire = make_person("claire@cotentin.fr", totp=True, is_staff=True, first_name="Claire", last_name="Lebrun")
    MembershipFactory(user=claire, territory=cotentin, role=Role.COORDINATOR)
    first = CaseFactory(territory=cotentin, submitted_at=timezone.now() - datetime.timedelta(days=10))
    second = CaseFactory(territory=cotentin, applicant=first.applicant, possible_duplicate_of=first)

    sign_in(page, claire, expect_path=DASHBOARD)
    page.goto(f"{live_server.url}/admin/installations/case/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=second.reference, exact=True))
    expect(row).to_contain_text(f"Demande en double possible : voir {first.reference}")
    assert_accessible(page, f"la liste des demandes avec un double possible à {width} px")
    screenshot(page, f"case-list-duplicate-{width}")
    row.get_by_role("link", name=second.reference, exact=True).click()
    flag = page.locator(".cp-duplicate")
    expect(flag).to_contain_text(f"Demande en double possible : voir {first.reference}")
    assert_accessible(page, f"la page d'une demande en double possible à {width} px")
    screenshot(page, f"case-page-duplicate-{width}")
    flag.get_by_role("link", name=first.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.reference)
