"""The request's last steps as a person meets them: the needs step as one group, the review page
with every answer and edit links named by what they edit, the "envoyée" page with the reference,
the address and a way to send the e-mail again or correct the address, and the PDF summary."""

import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from installations.enums import NeedKind
from installations.models import Case
from portal.notifications.models import Notification
from tests.installations.test_public_request import (
    contact_data,
    fill_until_review,
    needs_data,
    profile_data,
    project_data,
    step_url,
    submit,
)
from tests.portal.factories import CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(territory_a):
    # Created out of order, one accented: the page lists them in French order.
    names = [
        ("50602", "Valognes"),
        ("50162", "Écausseville"),
        ("50129", "Cherbourg-en-Cotentin"),
        ("50218", "Eroudeville"),
    ]
    communes = [CommuneFactory(insee_code=code, name=name) for code, name in names]
    territory_a.communes.add(*communes)
    return communes


def text(response):
    return response.content.decode()


def test_the_communes_are_listed_in_french_order_in_a_box_that_scrolls(territory_a, communes):
    client = Client()
    client.post(step_url(territory_a, "vous"), profile_data())
    page = text(client.get(step_url(territory_a, "projet")))
    order = [m for m in re.findall(r"</?label[^>]*>\s*<input[^>]*>\s*([^<]+?)\s*</label>", page)]
    assert order == ["Cherbourg-en-Cotentin", "Écausseville", "Eroudeville", "Valognes"]
    assert 'class="commune-picker"' in page
    assert "js/commune_picker.js" in page and "css/applicant.css" in page
    aids = text(client.get(reverse("installations:aids", kwargs={"territory_slug": territory_a.slug})))
    assert aids.index("Écausseville") < aids.index("Eroudeville") < aids.index("Valognes")


def test_the_start_page_counts_the_steps_right(territory_a):
    page = text(Client().get(reverse("installations:start", kwargs={"territory_slug": territory_a.slug})))
    assert "cinq courtes étapes, six si vous demandez de l'aide pour votre conjoint ou vos enfants" in page


def test_the_needs_are_one_group_whose_error_is_linked_and_whose_details_follow_their_box(territory_a, communes):
    client = Client()
    client.post(step_url(territory_a, "vous"), profile_data())
    client.post(step_url(territory_a, "projet"), project_data(communes))
    page = text(client.post(step_url(territory_a, "besoins"), needs_data()))
    assert '<fieldset class="field field-group needs field-error" aria-describedby="needs_error">' in page
    assert "<legend>Pour quoi souhaitez-vous être aidé ?" in page
    first_box = f"id_besoins-need_{NeedKind.values[0]}"
    assert f'<a href="#{first_box}">Pour quoi souhaitez-vous être aidé ? : Cochez au moins un besoin' in page
    # Each details box sits in its need's block, after its box: CSS shows it once the box is ticked.
    assert re.search(
        rf'<div class="need">\s*<div class="field field-checkbox">\s*<input[^>]*id="{first_box}"[^>]*>.*?'
        rf'id="id_besoins-details_{NeedKind.values[0]}"',
        page,
        re.S,
    )


def test_review_shows_every_answer_with_edit_links_that_say_what_they_edit_and_come_back(territory_a, communes):
    client = Client()
    fill_until_review(client, territory_a, communes)
    page = text(client.get(step_url(territory_a, "verification")))
    for answer in (
        "Médecin généraliste",
        "Remplaçant",  # situation
        "Libéral",  # mode d'exercice
        "Maison de santé",  # structure
        "Rejoindre la MSP du centre-ville.",  # project description
        "Valognes",
        "1er mars 2027",
    ):
        assert answer in page, answer
    assert "Modifier : vous" not in page
    assert "Modifier votre profession, votre situation ou votre numéro RPPS" in page
    assert "Modifier les communes, la date, le mode d'exercice, la structure ou la description du projet" in page
    edit = step_url(territory_a, "projet") + "?depuis-verification=1"
    assert f'href="{edit}"' in page
    changed = project_data(communes, **{"projet-project_description": "Ouvrir un cabinet."})
    response = client.post(edit, changed)
    assert response["Location"] == step_url(territory_a, "verification")
    assert "Ouvrir un cabinet." in text(client.get(step_url(territory_a, "verification")))


def test_an_empty_project_reads_pas_encore_choisi(territory_a, communes):
    client = Client()
    client.post(step_url(territory_a, "vous"), profile_data())
    client.post(
        step_url(territory_a, "projet"),
        {"projet-planned_date": "", "projet-practice_mode": "", "projet-structure_type": ""},
    )
    client.post(step_url(territory_a, "besoins"), needs_data(NeedKind.PREMISES))
    client.post(step_url(territory_a, "coordonnees"), contact_data())
    page = text(client.get(step_url(territory_a, "verification")))
    assert "pas encore choisi" in page and "pas encore décidé" in page


def test_sent_page_shows_the_reference_and_the_address_and_resends_to_a_corrected_one(
    territory_a, communes, django_capture_on_commit_callbacks
):
    client = Client()
    fill_until_review(client, territory_a, communes)
    response, _key = submit(client, territory_a, capture=django_capture_on_commit_callbacks)
    sent_url = reverse("installations:submitted", kwargs={"territory_slug": territory_a.slug})
    assert response["Location"] == sent_url
    case = Case.objects.get()
    page = text(client.get(sent_url))
    assert case.reference in page and "lucie.durand@exemple.fr" in page
    first_nonce = case.confirmation_nonce

    # Too soon: refused next to the field, the address typed kept.
    page = text(client.post(sent_url, {"email": "lucie.durand@exemple.com"}))
    assert "attendez une minute" in page and 'value="lucie.durand@exemple.com"' in page
    assert "<title>Erreur : " in page

    Case.objects.filter(pk=case.pk).update(confirmation_sent_at=timezone.now() - datetime.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sent_url, {"email": "lucie.durand@exemple.com"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.applicant_email == "lucie.durand@exemple.com"
    assert case.confirmation_nonce != first_nonce  # the link sent to the wrong address no longer works
    sent_to = list(
        Notification.objects.filter(kind="installations.case_confirmation")
        .order_by("pk")
        .values_list("email_address", flat=True)
    )
    assert sent_to == ["lucie.durand@exemple.fr", "lucie.durand@exemple.com"]
    assert "lucie.durand@exemple.com" in text(client.get(sent_url))

    page = text(client.post(sent_url, {"email": "pas-une-adresse"}))
    assert "id_email_error" in page


def test_the_sent_page_of_another_browser_shows_no_case_and_its_pdf_is_404(territory_a, communes):
    client = Client()
    fill_until_review(client, territory_a, communes)
    submit(client, territory_a)
    stranger = Client()
    sent = reverse("installations:submitted", kwargs={"territory_slug": territory_a.slug})
    page = text(stranger.get(sent))
    assert Case.objects.get().reference not in page
    assert stranger.post(sent, {"email": "intrus@exemple.fr"}).status_code == 200
    assert Case.objects.get().applicant_email == "lucie.durand@exemple.fr"
    pdf = reverse("installations:submitted_pdf", kwargs={"territory_slug": territory_a.slug})
    assert stranger.get(pdf).status_code == 404


def test_the_pdf_summary_holds_every_answer(territory_a, communes):
    client = Client()
    fill_until_review(client, territory_a, communes, needs=(NeedKind.PREMISES, NeedKind.HOUSING_LONG))
    submit(client, territory_a)
    case = Case.objects.get()
    response = client.get(reverse("installations:submitted_pdf", kwargs={"territory_slug": territory_a.slug}))
    assert response["Content-Type"] == "application/pdf"
    assert f"demande-{case.reference}.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    content = " ".join(page.extract_text() for page in reader.pages)
    content = " ".join(content.split())
    for answer in (
        case.reference,
        "Médecin généraliste",
        "Rejoindre la MSP du centre-ville.",
        "Valognes",
        "Logement durable",
        "lucie.durand@exemple.fr",
        "du Territoire Alpha",
    ):
        assert answer in content, answer
