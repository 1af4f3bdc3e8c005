"""A manager asks for the annual report in the admin and is not kept waiting: the request lands at
once on the document's page, "En préparation"; a real Celery worker (started only then, so the
waiting state is certain) builds it, and the page updates itself to "Bilan prêt" with the link,
without a reload; the PDF downloads and reads as the territory's report. axe-core on each state,
at 1,280 and 360 px."""

import subprocess

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from playwright.sync_api import expect

from portal.documents.enums import DocumentStatus
from portal.documents.models import GeneratedDocument
from portal.enums import Role
from portal.notifications.models import Notification
from tests.browser.conftest import PHONE
from tests.governance.factories import AnnualReportFactory, BodyFactory
from tests.portal.factories import MembershipFactory, TerritoryFactory

PDFTOTEXT = "/usr/bin/pdftotext"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_asks_for_the_annual_report_and_the_page_turns_ready_by_itself(
    page, live_server, real_broker, make_person, sign_in, assert_accessible, screenshot, tmp_path
):
    cotentin = TerritoryFactory(name="Communauté d'agglomération du Cotentin", slug="cotentin")
    manager = make_person("direction@cotentin.fr", totp=True, staff=True, first_name="Claire")
    MembershipFactory(user=manager, territory=cotentin, role=Role.MANAGER)
    body = BodyFactory(territory=cotentin, name="Conseil local de santé du Cotentin")
    report = AnnualReportFactory(territory=cotentin, body=body, year=2025)
    sign_in(page, manager, expect_path=None)

    page.goto(live_server.url + reverse("admin:governance_annualreport_changelist"))
    page.get_by_role("checkbox", name=str(report), exact=False).check()
    page.locator("select[name=action]").select_option(label="Générer (ou régénérer) le bilan en PDF")
    page.get_by_role("button", name="Envoyer").click()

    document = GeneratedDocument.objects.get()
    page.wait_for_url(f"{live_server.url}/cotentin/documents/{document.pk}/")
    state = page.get_by_role("status").filter(has_text="En préparation")
    expect(state).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilan annuel 2025 — Conseil local de santé du Cotentin")
    assert document.status == DocumentStatus.PENDING  # nothing builds it yet: the page answered at once
    assert_accessible(page, "document en préparation")
    screenshot(page, "document-pending-1280")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "document-pending-360")
    page.set_viewport_size({"width": 1280, "height": 900})

    url_before = page.url
    page.evaluate("window.notReloaded = true")  # gone if the page reloads
    with start_worker(real_broker, pool="solo", perform_ping_check=False, queues=["reports"]):
        expect(page.locator("#document-state-message")).to_contain_text("Bilan prêt", timeout=90_000)
    assert page.evaluate("window.notReloaded === true") and page.url == url_before
    link = page.get_by_role("link", name="Télécharger le PDF")
    expect(link).to_be_visible()
    assert_accessible(page, "document prêt")
    screenshot(page, "document-ready-1280")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "document-ready-360")

    with page.expect_download() as download_info:
        link.click()
    pdf = tmp_path / "bilan.pdf"
    download_info.value.save_as(pdf)
    assert download_info.value.suggested_filename == "Bilan annuel 2025 — Conseil local de santé du Cotentin.pdf"
    # Poppler's pdftotext, as a person's PDF reader would extract it (fixed arguments, our own file).
    text = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    assert "Bilan annuel 2025" in text and "Cotentin" in text

    notification = Notification.objects.get(recipient=manager, kind="documents.ready")
    assert notification.subject == "Bilan prêt : Bilan annuel 2025 — Conseil local de santé du Cotentin"


def test_a_failed_report_says_why_and_relancer_prepares_it_again_on_a_phone(
    phone_page, live_server, make_person, sign_in, assert_accessible, screenshot
):
    from portal.documents.tasks import timeout_reason
    from tests.documents.factories import GeneratedDocumentFactory

    agen = TerritoryFactory(name="Agglomération d'Agen", slug="agen")
    coordinator = make_person("coordination@agen.fr", totp=True, staff=True)
    MembershipFactory(user=coordinator, territory=agen, role=Role.COORDINATOR)
    document = GeneratedDocumentFactory(
        territory=agen, title="Bilan annuel 2025 — Conseil de santé", failed=True, error=timeout_reason()
    )
    sign_in(phone_page, coordinator, expect_path=None)
    phone_page.goto(f"{live_server.url}/agen/documents/{document.pk}/")
    message = phone_page.locator("#document-state-message")
    expect(message).to_contain_text("Bilan non préparé")
    expect(message).to_contain_text("La préparation a pris plus de 5 minutes et a été arrêtée.")
    assert_accessible(phone_page, "document en échec")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone_page, "document-failed-360")

    # Tests run tasks eagerly: the build runs as the retry commits, before the page comes back.
    phone_page.get_by_role("button", name="Relancer la préparation du document").click()
    expect(phone_page.get_by_text("Préparation relancée")).to_be_visible()
    expect(message).to_contain_text("Bilan prêt")
    expect(phone_page.get_by_role("link", name="Télécharger le PDF")).to_be_visible()
