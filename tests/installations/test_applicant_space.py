"""The applicant's own cases: only theirs, never the team's private notes; messages, documents,
withdrawal, their data; a fixed number of queries whatever the number of rows."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from installations.enums import CaseStatus, EventKind, NeedKind, NeedState
from installations.models import CaseDocument, Message
from portal.enums import ArsZone
from tests.installations.factories import (
    PDF_BYTES,
    PNG_BYTES,
    AidFactory,
    CaseDocumentFactory,
    CaseEventFactory,
    CaseFactory,
    MessageFactory,
    NeedFactory,
    NoteFactory,
    OpportunityFactory,
)
from tests.portal.factories import CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db

CASE_PAGES = ("case_detail", "case_withdraw", "case_personal_data", "case_export", "case_erase")
CASE_POSTS = ("message_add", "document_add", "case_withdraw", "case_erase")


def url(name, case, **kwargs):
    return reverse(f"installations:{name}", kwargs={"territory_slug": case.territory.slug, "pk": case.pk, **kwargs})


@pytest.fixture
def applicant_a(db):
    return UserFactory(email="lucie.durand@exemple.fr", first_name="Lucie", last_name="Durand")


@pytest.fixture
def case_a(territory_a, applicant_a):
    commune = CommuneFactory(insee_code="50129", name="Cherbourg-en-Cotentin", ars_zone=ArsZone.ZIP)
    territory_a.communes.add(commune)
    case = CaseFactory(territory=territory_a, applicant=applicant_a, target_communes=[commune], supported=True)
    NeedFactory(territory=territory_a, case=case, kind=NeedKind.PREMISES, state=NeedState.IN_PROGRESS)
    NeedFactory(territory=territory_a, case=case, kind=NeedKind.CHILDCARE, details="Crèche pour un enfant de 2 ans")
    return case


def test_applicant_sees_their_case_with_status_needs_and_public_timeline(case_a, applicant_a, login):
    CaseEventFactory(territory=case_a.territory, case=case_a, summary="Statut : Accompagnement en cours", public=True)
    CaseEventFactory(territory=case_a.territory, case=case_a, summary="Assignée en interne", public=False)
    body = login(applicant_a).get(url("case_detail", case_a)).content.decode()
    assert case_a.reference in body
    assert "Accompagnement en cours" in body
    assert "Locaux ou cabinet à reprendre" in body and "En cours" in body
    assert "Crèche pour un enfant de 2 ans" in body
    assert "Assignée en interne" not in body


def test_private_notes_never_appear_to_the_applicant(case_a, applicant_a, login):
    NoteFactory(territory=case_a.territory, case=case_a, body="NOTE-SECRETE rappeler la mairie")
    client = login(applicant_a)
    for name in ("case_detail", "case_export"):
        assert "NOTE-SECRETE" not in client.get(url(name, case_a)).content.decode()
    assert (
        "NOTE-SECRETE"
        not in client.get(
            reverse("installations:case_list", kwargs={"territory_slug": case_a.territory.slug})
        ).content.decode()
    )


@pytest.mark.parametrize("name", CASE_PAGES)
def test_another_applicant_gets_404_on_the_case_pages(name, case_a, login):
    other = login(UserFactory(email="autre@exemple.fr"))
    assert other.get(url(name, case_a)).status_code == 404


@pytest.mark.parametrize("name", CASE_POSTS)
def test_another_applicant_cannot_act_on_the_case(name, case_a, login):
    other = login(UserFactory(email="autre@exemple.fr"))
    assert other.post(url(name, case_a), {"message-body": "intrusion", "confirm": "yes"}).status_code == 404
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.SUPPORTED
    assert not Message.objects.filter(body="intrusion").exists()


def test_another_applicant_cannot_download_the_documents(case_a, login):
    document = CaseDocumentFactory(territory=case_a.territory, case=case_a)
    other = login(UserFactory(email="autre@exemple.fr"))
    assert other.get(url("document_download", case_a, document_pk=document.pk)).status_code == 404


def test_the_case_through_another_territory_site_answers_404(case_a, territory_b, applicant_a, login):
    client = login(applicant_a)
    wrong = reverse("installations:case_detail", kwargs={"territory_slug": territory_b.slug, "pk": case_a.pk})
    assert client.get(wrong).status_code == 404


def test_the_territory_coordinator_gets_404_in_the_applicant_pages(case_a, coordinator_a, login):
    assert login(coordinator_a).get(url("case_detail", case_a)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(case_a):
    response = Client().get(url("case_detail", case_a))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_applicant_answers_the_coordinator(case_a, applicant_a, coordinator_a, login):
    MessageFactory(
        territory=case_a.territory, case=case_a, author=coordinator_a, from_applicant=False, body="Pouvez-vous venir ?"
    )
    client = login(applicant_a)
    assert "Pouvez-vous venir ?" in client.get(url("case_detail", case_a)).content.decode()
    response = client.post(url("message_add", case_a), {"message-body": "Oui, mardi matin."})
    assert response.status_code == 302
    message = Message.objects.get(body="Oui, mardi matin.")
    assert message.from_applicant and message.author == applicant_a
    assert "Oui, mardi matin." in client.get(response["Location"]).content.decode()


def test_an_empty_message_is_refused_next_to_the_field(case_a, applicant_a, login):
    response = login(applicant_a).post(url("message_add", case_a), {"message-body": "  "})
    assert response.status_code == 400
    assert 'id="id_message-body_error"' in response.content.decode()


def test_applicant_adds_a_pdf_and_an_image(case_a, applicant_a, login):
    client = login(applicant_a)
    pdf = SimpleUploadedFile("diplome.pdf", PDF_BYTES, content_type="application/pdf")
    assert client.post(url("document_add", case_a), {"document-file": pdf}).status_code == 302
    png = SimpleUploadedFile("photo.png", PNG_BYTES, content_type="image/png")
    assert client.post(url("document_add", case_a), {"document-file": png}).status_code == 302
    documents = CaseDocument.objects.filter(case=case_a).order_by("pk")
    assert [d.content_type for d in documents] == ["application/pdf", "image/png"]
    download = client.get(url("document_download", case_a, document_pk=documents[0].pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_an_executable_renamed_pdf_is_refused_with_a_clear_message(case_a, applicant_a, login):
    fake = SimpleUploadedFile("diplome.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf")
    response = login(applicant_a).post(url("document_add", case_a), {"document-file": fake})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_document-file_error"' in body
    assert "Seuls les fichiers PDF, PNG et JPEG sont acceptés" in body
    assert not CaseDocument.objects.exists()


def test_an_oversized_upload_is_refused_with_its_size(case_a, applicant_a, login):
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    response = login(applicant_a).post(url("document_add", case_a), {"document-file": big})
    assert response.status_code == 400
    assert "la limite est de 10 Mo" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_withdrawal_asks_for_confirmation_then_withdraws(case_a, applicant_a, login):
    client = login(applicant_a)
    page = client.get(url("case_withdraw", case_a))
    assert page.status_code == 200
    assert "Oui, retirer ma demande" in page.content.decode()
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.SUPPORTED  # nothing happens on GET
    response = client.post(url("case_withdraw", case_a), {"reason": "Projet reporté"})
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.WITHDRAWN
    assert case_a.events.filter(payload__reason="Projet reporté").exists()
    after = client.get(url("case_detail", case_a)).content.decode()
    assert "Retirée par le demandeur" in after
    assert url("case_withdraw", case_a) not in after


def test_data_export_contains_the_applicant_data_and_no_note(case_a, applicant_a, login):
    MessageFactory(territory=case_a.territory, case=case_a, body="Mon message au guichet")
    NoteFactory(territory=case_a.territory, case=case_a, body="NOTE-SECRETE")
    response = login(applicant_a).get(url("case_export", case_a))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    data = json.loads(text)
    assert data["reference"] == case_a.reference
    assert data["demandeur"]["email"] == "lucie.durand@exemple.fr"
    assert {n["besoin"] for n in data["besoins"]} == {"Locaux ou cabinet à reprendre", "Garde d'enfants et écoles"}
    assert data["messages"][0]["texte"] == "Mon message au guichet"
    assert "NOTE-SECRETE" not in text
    assert case_a.events.filter(kind=EventKind.DATA_EXPORTED).exists()


def test_erasing_personal_data_needs_the_confirmation_box(case_a, applicant_a, login):
    client = login(applicant_a)
    assert client.get(url("case_erase", case_a)).status_code == 200
    refused = client.post(url("case_erase", case_a), {})
    assert refused.status_code == 400
    assert "Cochez cette case pour confirmer l&#x27;effacement" in refused.content.decode()
    case_a.refresh_from_db()
    assert case_a.erased_at is None
    response = client.post(url("case_erase", case_a), {"confirm": "yes"})
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.erased_at is not None
    assert case_a.applicant_first_name == "" and case_a.applicant is None
    assert client.get(url("case_detail", case_a)).status_code == 404


def test_eligible_aids_are_shown_with_why(case_a, applicant_a, login):
    AidFactory(territory=case_a.territory, name="Contrat de début d'exercice", zones=["zip"])
    AidFactory(territory=case_a.territory, name="Aide réservée aux sages-femmes", professions=["midwife"])
    body = login(applicant_a).get(url("case_detail", case_a)).content.decode()
    assert "Contrat de début d&#x27;exercice" in body
    assert "Cherbourg-en-Cotentin est classée" in body
    assert "Réservée à : Sage-femme" in body


def test_linked_published_opportunities_are_shown(case_a, applicant_a, login):
    shown = OpportunityFactory(territory=case_a.territory, title="Cabinet libre à Cherbourg")
    hidden = OpportunityFactory(territory=case_a.territory, title="Brouillon de poste", draft=True)
    shown.cases.add(case_a)
    hidden.cases.add(case_a)
    body = login(applicant_a).get(url("case_detail", case_a)).content.decode()
    assert "Cabinet libre à Cherbourg" in body
    assert "Brouillon de poste" not in body


def test_case_list_shows_only_own_cases_of_this_territory(case_a, applicant_a, territory_b, login):
    mine_elsewhere = CaseFactory(territory=territory_b, applicant=applicant_a)
    someone_else = CaseFactory(territory=case_a.territory)
    body = (
        login(applicant_a)
        .get(reverse("installations:case_list", kwargs={"territory_slug": case_a.territory.slug}))
        .content.decode()
    )
    assert case_a.reference in body
    assert mine_elsewhere.reference not in body
    assert someone_else.reference not in body


def test_personal_space_lists_the_cases_of_every_territory(case_a, applicant_a, territory_b, login):
    elsewhere = CaseFactory(territory=territory_b, applicant=applicant_a)
    someone_else = CaseFactory(territory=territory_b)
    html = login(applicant_a).get(reverse("portal:personal_space")).content.decode()
    assert case_a.reference in html and elsewhere.reference in html
    assert someone_else.reference not in html
    assert url("case_detail", case_a) in html


# --- query counts -------------------------------------------------------------------------------


def test_case_list_queries_do_not_grow_with_the_cases(territory_a, applicant_a, login, django_assert_num_queries):
    for _ in range(15):
        case = CaseFactory(territory=territory_a, applicant=applicant_a, assigned_to=UserFactory())
        NeedFactory.create_batch(2, territory=territory_a, case=case)
    client = login(applicant_a)
    page = reverse("installations:case_list", kwargs={"territory_slug": territory_a.slug})
    client.get(page)  # the session's activity (written once a minute), the footer's RGAA status (cached)
    # session, user, territory, the claim check, the cases, the header's unread notifications
    with django_assert_num_queries(6):
        response = client.get(page)
    assert response.content.decode().count("Demande TST-") == 15


def test_case_page_queries_do_not_grow_with_its_rows(case_a, applicant_a, login, django_assert_num_queries):
    territory = case_a.territory
    for index in range(12):
        MessageFactory(territory=territory, case=case_a, body=f"message {index}")
        CaseDocumentFactory(territory=territory, case=case_a)
        CaseEventFactory(territory=territory, case=case_a, summary=f"événement {index}")
        NoteFactory(territory=territory, case=case_a)
        opportunity = OpportunityFactory(territory=territory)
        opportunity.cases.add(case_a)
        aid = AidFactory(territory=territory, zones=["zip"])
        aid.communes.add(*case_a.target_communes.all())
        case_a.aids.add(aid)
    client = login(applicant_a)
    client.get(url("case_detail", case_a))  # the session's activity, the footer's RGAA status (cached)
    # session, user, territory, the case, its communes, needs, public events, messages, documents,
    # opportunities, the aids (with their communes, the commune's zone and which are linked: one query),
    # the header's unread notifications
    with django_assert_num_queries(12):
        response = client.get(url("case_detail", case_a))
    assert response.status_code == 200
    assert response.content.decode().count("message ") >= 12


def test_personal_space_queries_do_not_grow_with_the_cases(territory_a, territory_b, applicant_a, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for territory in (territory_a, territory_b):
        for index in range(6):
            consent = {"household_consent": True, "household_consent_at": timezone.now()} if index % 2 else {}
            until = datetime.date(2028, 3, 1) if consent else None
            case = CaseFactory(territory=territory, applicant=applicant_a, household_retention_until=until, **consent)
            NeedFactory.create_batch(2, territory=territory, case=case)
    client = login(applicant_a)
    client.get(reverse("portal:personal_space"))  # the session's activity (written once a minute)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portal:personal_space"))
    # session, user, profile, the cases (with their territory), memberships, the header's unread
    # notifications; no territory to show (the person came from none)
    assert len(queries) == 6, [query["sql"] for query in queries]
    page = response.content.decode()
    assert page.count("Demande TST-") == 12
    assert page.count("Retirer mon consentement") == 6 and page.count("jusqu'au 1 mars 2028") == 6


def test_the_readable_data_page_lists_what_the_portal_holds_in_plain_french(case_a, applicant_a, login, territory_a):
    case_a.applicant_phone, case_a.rpps = "02 33 00 00 00", "10002415783"
    case_a.save()
    MessageFactory(territory=territory_a, case=case_a, body="Mon message au guichet")
    NoteFactory(territory=territory_a, case=case_a, body="NOTE-SECRETE")
    # Another person's request in the same territory, with their own marker.
    other = CaseFactory(territory=territory_a, applicant=UserFactory(email="autre.personne@exemple.fr"))
    MessageFactory(territory=territory_a, case=other, body="MESSAGE-D-UNE-AUTRE-PERSONNE")
    client = login(applicant_a)
    detail = client.get(url("case_detail", case_a)).content.decode()
    assert url("case_personal_data", case_a) in detail  # linked from the applicant's space
    response = client.get(url("case_personal_data", case_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Les données que le guichet détient sur vous" in body
    for shown in (
        "lucie.durand@exemple.fr",
        "Lucie",
        "Durand",
        "10002415783",
        "Cherbourg-en-Cotentin",
        "Crèche pour un enfant de 2 ans",
        "Mon message au guichet",
        case_a.reference,
    ):
        assert shown in body, shown
    assert "02\u00a033\u00a000\u00a000\u00a000" in body  # a phone number that never breaks
    assert "NOTE-SECRETE" not in body
    assert "autre.personne@exemple.fr" not in body and "MESSAGE-D-UNE-AUTRE-PERSONNE" not in body
    assert other.reference not in body
    # The JSON is still there, linked from the page.
    assert url("case_export", case_a) in body
    assert json.loads(client.get(url("case_export", case_a)).content)["demandeur"]["rpps"] == "10002415783"
    # The person's timeline says the data was read.
    assert case_a.events.filter(summary="Données personnelles consultées", public=True).exists()
