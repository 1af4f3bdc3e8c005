"""The elected official's journey in headless Chromium: sign in, read the year's figures, download the
annual report, and find in the PDF their territory's data (and nothing of another territory)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from governance.enums import Attendance
from governance.services.annual_report import report_request
from portal.enums import Role
from tests.browser.conftest import (  # noqa: F401 - fixtures shared with the other journeys
    base_url,
    browser_context_args,
    browser_type_launch_args,
    make_person,
    phone_page,
    sign_in,
)
from tests.governance.factories import (
    ActionSheetFactory,
    BodyFactory,
    DeliberationFactory,
    MeetingFactory,
    ParticipationFactory,
)
from tests.portal.factories import MembershipFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = timezone.localdate().year


def _territory_with_a_report(name, slug, coordinator_email, sheet_title):
    territory = TerritoryFactory(name=name, slug=slug)
    coordinator = MembershipFactory(territory=territory, role=Role.COORDINATOR, user__email=coordinator_email).user
    body = BodyFactory(territory=territory, name=f"Conseil de santé — {name}")
    meeting = MeetingFactory(territory=territory, body=body, held=True)
    for _ in range(4):
        ParticipationFactory(territory=territory, meeting=meeting, attendance=Attendance.PRESENT)
    for number in (1, 2):
        DeliberationFactory(
            territory=territory,
            body=body,
            meeting=meeting,
            year=YEAR,
            number=number,
            decided_on=dt.date(YEAR, 3, 12),
            votes_for=4,
        )
    ActionSheetFactory(territory=territory, code="2.1", title=sheet_title)
    # Transactional test: the document task runs (eagerly) as soon as the request commits.
    report_request(actor=coordinator, body=body, year=YEAR)
    return territory


def test_elected_official_signs_in_reads_the_figures_and_downloads_the_report(
    page,
    live_server,
    make_person,  # noqa: F811 - the imported fixture
    sign_in,  # noqa: F811 - the imported fixture
    tmp_path,
):
    cotentin = _territory_with_a_report(
        "Communauté d'agglomération du Cotentin", "cotentin", "coord@cotentin.fr", "Créer les Mercredis de la santé"
    )
    _territory_with_a_report("Agglomération d'Agen", "agen", "coord@agen.fr", "Former aux premiers secours")
    elected = make_person("vice-presidente@cotentin.fr")
    MembershipFactory(territory=cotentin, user=elected, role=Role.ELECTED_OFFICIAL)

    sign_in(page, elected, expect_path="/cotentin/gouvernance/")  # their role's page, straight after signing in

    expect(page.get_by_role("heading", level=1)).to_have_text("Gouvernance et Contrat local de santé")
    figures = page.locator("section[aria-labelledby=figures-title]")
    expect(figures).to_contain_text(f"Chiffres clés {YEAR}")
    expect(figures).to_contain_text("2 délibérations et avis")
    expect(figures).to_contain_text("1 séance plénière tenue")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Télécharger le PDF — bilan {YEAR}").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    assert path.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(path)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Communauté d'agglomération du Cotentin" in text
    assert f"Bilan annuel {YEAR}" in text
    assert "Créer les Mercredis de la santé" in text
    assert "2 délibérations et avis" in text
    assert "Agen" not in text and "Former aux premiers secours" not in text

    # Another territory's governance page says whom it is for, and shows nothing of Agen's.
    response = page.goto(f"{live_server.url}/agen/gouvernance/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Cette page est réservée")
    expect(page.get_by_text("Former aux premiers secours")).to_have_count(0)


def test_council_member_page_fits_a_phone_and_lists_the_next_meeting(
    phone_page,  # noqa: F811 - the imported fixture
    live_server,
    make_person,  # noqa: F811 - the imported fixture
    sign_in,  # noqa: F811 - the imported fixture
):
    from tests.governance.factories import MandateFactory

    territory = TerritoryFactory(name="Communauté d'agglomération du Cotentin", slug="cotentin")
    body = BodyFactory(territory=territory, name="Conseil de santé du Cotentin")
    member = make_person("membre@cotentin.fr")
    MembershipFactory(territory=territory, user=member, role=Role.COUNCIL_MEMBER)
    MandateFactory(territory=territory, body=body, user=member)
    MeetingFactory(territory=territory, body=body, title="Séance plénière de printemps")

    sign_in(phone_page, member, expect_path="/cotentin/gouvernance/")
    expect(phone_page.get_by_role("link", name="Séance plénière de printemps")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360, "no horizontal scrolling at 360px"
