"""The prevention axis in headless Chromium at 360 px: a resident finds a Mercredi de la santé,
registers without an account, confirms by e-mail and receives the reminder; a coordinator records an
initiative, makes it a good practice, and another commune starts its replication."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from portal.enums import Role
from portal.events import services
from portal.events.enums import RegistrationStatus
from portal.events.models import Registration
from prevention.enums import Theme
from prevention.models import Initiative
from tests.browser.conftest import PHONE
from tests.portal.factories import CommuneFactory, MembershipFactory, TerritoryFactory
from tests.prevention.factories import AgendaDetailsFactory, InitiativeFactory, PreventionEventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def agen():
    territory = TerritoryFactory(name="Agglomération d'Agen", slug="agen")
    territory.communes.add(
        CommuneFactory(insee_code="47001", name="Agen"), CommuneFactory(insee_code="47031", name="Boé")
    )
    return territory


def test_resident_finds_a_mercredi_registers_without_account_confirms_and_is_reminded(
    phone_page, page, live_server, agen, assert_accessible, screenshot
):
    agen_commune = agen.communes.get(name="Agen")
    starts = (timezone.now() + dt.timedelta(days=5)).replace(hour=8, minute=0, second=0, microsecond=0)
    mercredi = PreventionEventFactory(
        territory=agen,
        title="Mercredi de la santé : le diabète",
        commune=agen_commune,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=6),
        capacity=30,
        place="Salle des fêtes, à côté de la collecte de sang",
    )
    AgendaDetailsFactory(territory=agen, event=mercredi, theme=Theme.CHRONIC_DISEASES)
    for theme, title in (
        (Theme.FIRST_AID, "Formation aux premiers secours (PSC1)"),
        (Theme.OTHER, "Université de la santé : le sommeil"),
    ):
        AgendaDetailsFactory(
            territory=agen, theme=theme, event=PreventionEventFactory(territory=agen, title=title, commune=agen_commune)
        )
    past = PreventionEventFactory(territory=agen, title="Mercredi de la santé : vaccination", past=True)
    AgendaDetailsFactory(territory=agen, event=past, theme=Theme.VACCINATION)

    p = phone_page
    p.goto(f"{live_server.url}/agen/")
    p.get_by_role("link", name="Prévention santé").click()
    expect(p.get_by_role("heading", name="Agenda de prévention")).to_be_visible()
    assert fits_the_screen(p)
    assert_accessible(p, "agenda")

    # Garbage typed in the address: a French message by the field, never a 500.
    p.goto(f"{live_server.url}/agen/prevention/?du=2026-13-45&theme=zzz")
    expect(p.get_by_text("Saisissez une date valide").first).to_be_visible()
    assert_accessible(p, "agenda refused filters")

    p.goto(f"{live_server.url}/agen/prevention/")
    p.get_by_label("Thème").select_option(label="Maladies chroniques (diabète, cœur…)")
    p.get_by_label("Commune").select_option(label="Agen")
    p.get_by_role("button", name="Filtrer").click()
    expect(p.get_by_role("status")).to_have_text("1 événement")
    screenshot(p, "prevention-agenda-360")
    p.get_by_role("link", name="Mercredi de la santé : le diabète").click()
    assert fits_the_screen(p)
    assert_accessible(p, "event page")

    p.get_by_label("Nom et prénom").fill("Camille Martin")
    p.get_by_label("Adresse e-mail").fill("camille@exemple.fr")
    p.get_by_role("button", name="Je m'inscris").click()
    expect(p.get_by_text("Un e-mail vient d'être envoyé à camille@exemple.fr", exact=False)).to_be_visible()
    assert_accessible(p, "check your e-mail")

    [message] = [m for m in mail.outbox if m.to == ["camille@exemple.fr"]]
    link = re.search(r"https?://\S+/confirmer/\S+/", message.body).group(0)
    p.goto(live_server.url + "/" + link.split("://", 1)[1].split("/", 1)[1])
    assert_accessible(p, "confirmation page")
    p.get_by_role("button", name="Confirmer mon inscription").click()
    expect(p.get_by_text("Votre inscription est enregistrée.", exact=False)).to_be_visible()
    assert fits_the_screen(p)
    assert_accessible(p, "registered")
    registration = Registration.objects.get(email="camille@exemple.fr")
    assert registration.status == RegistrationStatus.REGISTERED and registration.event == mercredi

    # The day before, the periodic reminder of portal/events reaches her (the agenda has no other).
    mail.outbox.clear()
    assert services.registration_reminders_send(now=starts - dt.timedelta(hours=20)) == 1
    [reminder] = [m for m in mail.outbox if m.to == ["camille@exemple.fr"]]
    assert "Mercredi de la santé : le diabète" in reminder.subject + reminder.body
    assert "/annuler/" in reminder.body

    # Past events keep their figures; the wide screen too.
    p.goto(f"{live_server.url}/agen/prevention/?quand=passes")
    expect(p.get_by_text("Mercredi de la santé : vaccination")).to_be_visible()
    assert_accessible(p, "past events")
    page.goto(f"{live_server.url}/agen/prevention/")
    screenshot(page, "prevention-agenda-1280")
    assert_accessible(page, "agenda 1280")


@pytest.fixture
def cotentin():
    territory = TerritoryFactory(name="Communauté d'agglomération du Cotentin", slug="cotentin")
    territory.communes.add(
        CommuneFactory(insee_code="50129", name="Cherbourg-en-Cotentin"),
        CommuneFactory(insee_code="50615", name="Valognes"),
        CommuneFactory(insee_code="50041", name="La Hague"),
    )
    return territory


def test_coordinator_records_an_initiative_and_another_commune_starts_its_replication(
    phone_page, page, live_server, cotentin, make_person, sign_in, assert_accessible, screenshot
):
    claire = make_person("claire@cotentin.fr", totp=True, is_staff=True, first_name="Claire", last_name="Lebrun")
    MembershipFactory(user=claire, territory=cotentin, role=Role.COORDINATOR)
    InitiativeFactory(
        territory=cotentin,
        title="Air intérieur dans les crèches",
        theme=Theme.ENVIRONMENTAL_HEALTH,
        communes=[cotentin.communes.get(name="La Hague")],
    )
    p = phone_page
    sign_in(p, claire, expect_path=None)

    p.goto(f"{live_server.url}/admin/prevention/initiative/add/")
    p.get_by_label("Intitulé").fill("Parcours santé seniors")
    p.get_by_label("Présentation").fill("Des ateliers équilibre, mémoire et nutrition pour les plus de 65 ans.")
    p.get_by_label("Thème").select_option(label="Bien vieillir")
    p.get_by_label("Personnes âgées").check()
    p.get_by_label("Territoire").select_option(label="Communauté d'agglomération du Cotentin")
    p.get_by_label("Communes").select_option(label="Cherbourg-en-Cotentin (50129)")
    p.get_by_label("Début").fill("2024-09-01") if p.get_by_label("Début").get_attribute(
        "type"
    ) == "date" else p.get_by_label("Début").fill("01/09/2024")
    p.get_by_role("button", name=re.compile("Ajouter un objet Fiche de bonne pratique", re.I)).click()
    p.locator("#id_replication_sheet-0-why_it_works").fill("Des ateliers courts, près de chez soi.")
    p.locator("#id_replication_sheet-0-key_steps").fill(
        "Une salle de quartier ; deux animateurs du CHPC ; huit séances."
    )
    p.get_by_role("button", name="Enregistrer et continuer les modifications").click()
    expect(p.locator(".messagelist")).to_contain_text("Parcours santé seniors")
    original = Initiative.objects.get(title="Parcours santé seniors")
    assert list(original.communes.values_list("name", flat=True)) == ["Cherbourg-en-Cotentin"]
    assert Initiative.objects.good_practices().get() == original
    assert_accessible(p, "initiative change page")

    p.get_by_role("link", name="Une autre commune reprend cette bonne pratique").click()
    assert_accessible(p, "replication page")
    p.get_by_role("button", name="Démarrer la réplication").click()
    expect(p.locator(".errorlist").first).to_be_visible()  # no commune chosen: refused by the field
    assert_accessible(p, "replication refused")
    p.get_by_label("Commune(s) qui reprennent l'action").select_option(label="Valognes")
    p.get_by_label("Intitulé de la réplication").fill("Parcours santé seniors — Valognes")
    p.get_by_role("button", name="Démarrer la réplication").click()
    expect(p.locator(".messagelist")).to_contain_text("liée à la bonne pratique d'origine")
    copy = Initiative.objects.get(title="Parcours santé seniors — Valognes")
    assert copy.replicated_from == original and list(copy.communes.values_list("name", flat=True)) == ["Valognes"]

    # What spread from where, on the public site; the gaps by commune.
    p.goto(f"{live_server.url}/cotentin/prevention/bonnes-pratiques/")
    expect(p.get_by_role("link", name="Valognes")).to_be_visible()
    assert fits_the_screen(p)
    assert_accessible(p, "good practices")
    screenshot(p, "prevention-good-practices-360")
    p.goto(f"{live_server.url}/cotentin/prevention/communes/")
    assert_accessible(p, "commune table 360")
    assert fits_the_screen(p)
    screenshot(p, "prevention-communes-360")
    page.goto(f"{live_server.url}/cotentin/prevention/communes/")
    assert_accessible(page, "commune table 1280")
    screenshot(page, "prevention-communes-1280")


def test_prevention_pages_on_the_demo_data_at_360_and_1280(
    phone_page, page, live_server, make_person, sign_in, assert_accessible, screenshot
):
    """Every prevention page, on the demo's Agen and Cotentin, read by a phone and a wide screen."""
    from portal import demo

    territories = demo.build()
    claire = make_person("claire@agen.fr", totp=True, is_staff=True, first_name="Claire", last_name="Lebrun")
    MembershipFactory(user=claire, territory=territories["agen"], role=Role.COORDINATOR)
    public = [
        ("agen-agenda", "/agen/prevention/"),
        ("agen-past", "/agen/prevention/?quand=passes"),
        ("cotentin-communes", "/cotentin/prevention/communes/"),
        ("cotentin-initiatives", "/cotentin/prevention/actions/?theme=ageing"),
        ("cotentin-good-practices", "/cotentin/prevention/bonnes-pratiques/"),
    ]
    original = Initiative.objects.get(title="Parcours santé seniors")
    public.append(("cotentin-initiative", f"/cotentin/prevention/actions/{original.pk}/"))
    for name, path in public:
        for viewer, width in ((phone_page, 360), (page, 1280)):
            viewer.goto(live_server.url + path)
            assert_accessible(viewer, f"{path} at {width}")
            if width == 360:
                assert fits_the_screen(viewer), path
            screenshot(viewer, f"prevention-{name}-{width}")
    sign_in(phone_page, claire, expect_path=None)
    mercredis = Initiative.objects.get(title="Mercredis de la santé")
    for name, path in (
        ("agen-team-initiative", f"/agen/prevention/actions/{mercredis.pk}/"),
        ("agen-shared", "/agen/prevention/bonnes-pratiques/partagees/"),
        ("agen-sanitary", "/agen/prevention/service-sanitaire/"),
    ):
        phone_page.goto(live_server.url + path)
        assert_accessible(phone_page, path)
        assert fits_the_screen(phone_page), path
        screenshot(phone_page, f"prevention-{name}-360")
    phone_page.get_by_role("link", name="Partagées par d'autres territoires").click()
    phone_page.get_by_role("link", name="Parcours santé seniors").click()
    expect(phone_page.get_by_text("Partagée par Communauté d'agglomération du Cotentin")).to_be_visible()
    assert_accessible(phone_page, "shared sheet")
    screenshot(phone_page, "prevention-agen-shared-sheet-360")
