"""The coordinator's case page (installations/admin/case_page.py): what it shows, each card's form
through its service, refusals kept next to their field, its query count, its isolation."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from installations.eligibility import case_eligible_aids
from installations.enums import CaseStatus, EventKind, NeedKind, NeedState, ReferralAnswer
from installations.models import CaseDocument, CaseEvent, Message, Need, Note
from installations.services.lifecycle import case_settle
from installations.services.needs import need_refer
from installations.services.personal_data import case_erase_personal_data
from installations.services.versions import need_token
from portal.enums import Role
from portal.notifications.models import Notification
from tests.installations.admin_helpers import change_url, get_with_queries
from tests.installations.factories import (
    AidFactory,
    CaseDocumentFactory,
    CaseEventFactory,
    CaseFactory,
    FollowUpFactory,
    MessageFactory,
    NeedFactory,
    NoteFactory,
    OpportunityFactory,
)
from tests.portal.factories import MembershipFactory, OrganisationFactory, UserFactory


def action(case, name):
    return reverse("admin:installations_case_action", args=[case.pk, name])


def need_post(need, **changes):
    """The need card's form as the page wrote it, with `changes`."""
    data = {
        "need": need.pk,
        f"need-{need.pk}-state": need.state,
        f"need-{need.pk}-owner": need.owner_id or "",
        f"need-{need.pk}-due_date": need.due_date.isoformat() if need.due_date else "",
        f"need-{need.pk}-details": need.details,
        f"need-{need.pk}-version": need_token(need),
    }
    data.update({f"need-{need.pk}-{name}": value for name, value in changes.items()})
    return data


def fill(case, needs, messages, territory, *, coordinator=None, partner=None):
    """`needs` needs (the first two referred to `partner`, each with a thread), `messages` messages,
    events and notes, a document and a follow-up per three messages."""
    for kind in list(NeedKind)[:needs]:
        NeedFactory(territory=territory, case=case, kind=kind)
    CaseEventFactory.create_batch(messages, territory=territory, case=case, actor=coordinator)
    MessageFactory.create_batch(messages, territory=territory, case=case, author=coordinator)
    NoteFactory.create_batch(messages, territory=territory, case=case, author=coordinator)
    CaseDocumentFactory.create_batch(max(1, messages // 3), territory=territory, case=case)
    for years in range(1, 2 + messages // 10):
        FollowUpFactory(territory=territory, case=case, years=years, due_date=datetime.date(2027 + years, 1, 5))
    for need in case.needs.order_by("pk")[:2]:
        if partner is not None:
            need_refer(
                actor=coordinator,
                need=need,
                organisation=partner.organisation,
                referent=partner,
                message="Pouvez-vous l'accompagner ?",
                contact_consent=True,
            )
        NoteFactory(territory=territory, case=case, need=need, author=partner or coordinator)


def test_case_page_query_count_is_pinned_whatever_its_needs_messages_and_events(
    territory_a, coordinator_a, client_a, partner_a
):
    small, big = CaseFactory(territory=territory_a), CaseFactory(territory=territory_a, supported=True)
    fill(small, 1, 1, territory_a)
    fill(big, 9, 30, territory_a, coordinator=coordinator_a, partner=partner_a)
    aids = AidFactory.create_batch(4, territory=territory_a)
    big.aids.add(aids[0])
    OpportunityFactory.create_batch(2, territory=territory_a)
    client_a.get(change_url(small))  # the first page of the session reads what later ones have at hand
    counts = {}
    for case in (small, big):
        page, counts[case.pk] = get_with_queries(client_a, change_url(case))
        assert page.status_code == 200
    assert len(page.context_data["need_cards"]) == 9 and len(page.context_data["data"].messages) == 30
    assert len(page.context_data["data"].events) > 30 and page.context_data["need_cards"][0].thread
    assert len(counts[small.pk]) == len(counts[big.pk]), counts
    # Pinned: session, user, second factor, memberships; the case (its communes' ids and names read
    # as columns); the staff access log's INSERT (tests/privacy/test_access_log.py); needs, notes,
    # messages, events, documents, follow-ups, aids (their communes' ids read as a column),
    # opportunities, the team and the referents together (the eligibility's commune, its coverage
    # and zoning, three more, only for a case that names a commune in a territory with aids).
    assert len(counts[big.pk]) == 15, counts[big.pk]


def test_case_page_shows_the_applicant_the_needs_and_the_conversation(territory_a, coordinator_a, client_a):
    case = CaseFactory(territory=territory_a, applicant_first_name="Lucie", applicant_last_name="Durand")
    need = NeedFactory(territory=territory_a, case=case, kind=NeedKind.HOUSING_LONG, due_date=datetime.date(2027, 3, 1))
    MessageFactory(territory=territory_a, case=case, body="Je cherche un logement à Valognes.", from_applicant=True)
    NoteFactory(territory=territory_a, case=case, body="Rappeler jeudi.")
    html = client_a.get(change_url(case)).content.decode()
    assert "Lucie Durand" in html and case.applicant_email in html
    assert f'id="need-{need.pk}"' in html and "Logement durable" in html and "1er mars 2027" in html
    assert "Je cherche un logement à Valognes." in html and "Rappeler jeudi." in html
    assert "Prendre en charge" in html
    # Every field has its label (the admin's change form had none for a dozen selects).
    assert f'<label for="id_need-{need.pk}-state">' in html and '<label for="id_message-body">' in html


def test_take_charge_message_and_note_through_the_services(territory_a, coordinator_a, client_a):
    case = CaseFactory(territory=territory_a)
    response = client_a.post(action(case, "take_charge"))
    assert response.status_code == 302 and response["Location"].endswith("#workflow")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORTED and case.assigned_to == coordinator_a

    response = client_a.post(action(case, "message"), {"message-body": "Bonjour, je vous appelle jeudi."})
    assert response["Location"] == change_url(case) + "#message"
    message = Message.objects.get(case=case)
    assert not message.from_applicant and message.author == coordinator_a
    assert Notification.objects.filter(recipient=case.applicant, kind="installations.message_to_applicant").exists()
    client_a.post(action(case, "note"), {"note-body": "Candidat sérieux."})
    assert Note.objects.get(case=case).body == "Candidat sérieux."
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {EventKind.STATUS_CHANGED, EventKind.MESSAGE, EventKind.NOTE} <= kinds


def test_an_empty_message_is_refused_next_to_its_field_and_the_rest_is_kept(territory_a, client_a):
    case = CaseFactory(territory=territory_a, supported=True)
    need = NeedFactory(territory=territory_a, case=case, kind=NeedKind.PREMISES)
    response = client_a.post(action(case, "need"), need_post(need, due_date="pas une date", details="Local à Valognes"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saisissez une date valide." in html and "Local à Valognes" in html
    assert f'aria-describedby="id_need-{need.pk}-due_date_error"' in html
    response = client_a.post(action(case, "message"), {"message-body": "   "})
    assert response.status_code == 400 and "Ce champ est obligatoire." in response.content.decode()
    assert not Message.objects.exists()


def test_need_card_writes_state_owner_due_date_and_details(territory_a, coordinator_a, client_a, staff_of):
    marc = staff_of(territory_a, Role.MANAGER)
    case = CaseFactory(territory=territory_a)
    need = NeedFactory(territory=territory_a, case=case, kind=NeedKind.PREMISES)
    response = client_a.post(
        action(case, "need"), need_post(need, state=NeedState.IN_PROGRESS, owner=marc.pk, due_date="2027-01-15")
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#need-{need.pk}")
    need.refresh_from_db()
    assert (need.state, need.owner, need.due_date) == (NeedState.IN_PROGRESS, marc, datetime.date(2027, 1, 15))
    outsider = UserFactory()
    refused = client_a.post(action(case, "need"), need_post(need, owner=outsider.pk))
    assert refused.status_code == 400 and "Sélectionnez un choix valide" in refused.content.decode()


def test_add_need_refuses_a_kind_already_there(territory_a, client_a):
    case = CaseFactory(territory=territory_a)
    NeedFactory(territory=territory_a, case=case, kind=NeedKind.PREMISES)
    refused = client_a.post(action(case, "add_need"), {"add-need-kind": NeedKind.PREMISES})
    assert refused.status_code == 400 and case.needs.count() == 1
    client_a.post(action(case, "add_need"), {"add-need-kind": NeedKind.CHILDCARE, "add-need-details": "Crèche"})
    assert case.needs.get(kind=NeedKind.CHILDCARE).details == "Crèche"


def test_orienter_vers_lists_only_referents_and_names_who_was_told(territory_a, coordinator_a, client_a, partner_a):
    # Ten organisations, one with a referent: only that person is offered.
    OrganisationFactory.create_batch(9, territory=territory_a)
    council = UserFactory(email="elu@exemple.fr")
    MembershipFactory(user=council, territory=territory_a, role=Role.ELECTED_OFFICIAL)
    case = CaseFactory(territory=territory_a)
    need = NeedFactory(territory=territory_a, case=case, kind=NeedKind.ADMIN_STEPS)
    page = client_a.get(change_url(case))
    form = page.context_data["need_cards"][0].refer_form
    assert [label for value, label in form.fields["referent"].choices if value] == [
        f"{partner_a.get_full_name() or partner_a.email} — CPAM de la Manche"
    ]
    membership = partner_a.memberships.get()
    wrong = client_a.post(action(case, "refer"), {"need": need.pk, f"refer-{need.pk}-referent": council.pk})
    assert wrong.status_code == 400 and "Sélectionnez un choix valide" in wrong.content.decode()
    response = client_a.post(
        action(case, "refer"),
        {
            "need": need.pk,
            f"refer-{need.pk}-referent": membership.pk,
            f"refer-{need.pk}-message": "Immatriculation à faire.",
            f"refer-{need.pk}-contact_consent": "on",
        },
        follow=True,
    )
    need.refresh_from_db()
    assert need.referent == partner_a and need.state == NeedState.REFERRED and need.contact_consent
    assert f"orienté vers {partner_a.get_full_name() or partner_a.email} (CPAM de la Manche), prévenu" in (
        response.content.decode()
    )
    assert Notification.objects.filter(recipient=partner_a, kind="installations.need_referred").exists()


def test_coordinator_records_the_partners_answer_and_sees_it_on_the_card(
    territory_a, coordinator_a, client_a, partner_a
):
    case = CaseFactory(territory=territory_a, supported=True)
    need = NeedFactory(territory=territory_a, case=case, kind=NeedKind.ADMIN_STEPS)
    need_refer(actor=coordinator_a, need=need, organisation=partner_a.organisation, referent=partner_a)
    refused = client_a.post(action(case, "answer"), {"need": need.pk, f"answer-{need.pk}-answer": "declined"})
    assert refused.status_code == 400 and "Indiquez pourquoi" in refused.content.decode()
    client_a.post(
        action(case, "answer"),
        {"need": need.pk, f"answer-{need.pk}-answer": "accepted", f"answer-{need.pk}-reason": "Au téléphone."},
    )
    need.refresh_from_db()
    assert need.referral_answer == ReferralAnswer.ACCEPTED and need.referral_answered_by == coordinator_a
    client_a.post(action(case, "thread"), {"need": need.pk, f"thread-{need.pk}-body": "Merci !"})
    assert Notification.objects.filter(recipient=partner_a, kind="installations.referral_message").exists()
    html = client_a.get(change_url(case)).content.decode()
    assert "Accepté" in html and "Au téléphone." in html and "Merci !" in html


def test_links_card_links_and_unlinks_with_the_timeline_saying_both(territory_a, coordinator_a, client_a):
    case = CaseFactory(territory=territory_a)
    aids = AidFactory.create_batch(2, territory=territory_a)
    opportunity = OpportunityFactory(territory=territory_a, published=True)
    page = client_a.get(change_url(case))
    token = page.context_data["links_form"].initial["version"]
    client_a.post(
        action(case, "links"),
        {"links-aids": [a.pk for a in aids], "links-opportunities": [opportunity.pk], "links-version": token},
    )
    assert set(case.aids.all()) == set(aids) and list(case.opportunities.all()) == [opportunity]
    token = client_a.get(change_url(case)).context_data["links_form"].initial["version"]
    client_a.post(action(case, "links"), {"links-aids": [aids[0].pk], "links-version": token})
    assert list(case.aids.all()) == [aids[0]] and not case.opportunities.exists()
    summaries = list(CaseEvent.objects.filter(case=case).values_list("summary", flat=True))
    assert f"Aide retirée : {aids[1].name}" in summaries
    assert f"Opportunité retirée : {opportunity.title}" in summaries


def test_document_card_refuses_a_file_that_is_not_a_pdf_and_keeps_a_good_one(territory_a, client_a):
    case = CaseFactory(territory=territory_a)
    bad = client_a.post(action(case, "document"), {"document-file": SimpleUploadedFile("x.pdf", b"MZ nope")})
    assert bad.status_code == 400 and "Seuls les fichiers PDF" in bad.content.decode()
    good = SimpleUploadedFile("bail.pdf", b"%PDF-1.4 contenu")
    assert client_a.post(action(case, "document"), {"document-file": good}).status_code == 302
    assert CaseDocument.objects.get(case=case).original_name == "bail.pdf"


def test_follow_up_card_records_a_follow_up(territory_a, coordinator_a, client_a, communes_a):
    case = CaseFactory(territory=territory_a, supported=True)
    case_settle(actor=coordinator_a, case=case, settlement_date=datetime.date(2026, 9, 1), commune=communes_a[0])
    follow_up = case.follow_ups.order_by("years").first()
    client_a.post(
        action(case, "follow_up"),
        {"follow_up": follow_up.pk, f"followup-{follow_up.pk}-still_practising": "yes"},
    )
    follow_up.refresh_from_db()
    assert follow_up.still_practising is True and follow_up.done_by == coordinator_a


def test_an_erased_case_offers_no_form_to_write(territory_a, coordinator_a, client_a):
    case = CaseFactory(territory=territory_a)
    NeedFactory(territory=territory_a, case=case, kind=NeedKind.PREMISES)
    case_erase_personal_data(actor=coordinator_a, case=case)
    page = client_a.get(change_url(case))
    assert page.status_code == 200
    assert page.context_data["steps"] == [] and not page.context_data["note_form"]
    assert page.context_data["need_cards"][0].form is None


@pytest.mark.parametrize("name", ["note", "message", "take_charge", "links"])
def test_another_territorys_case_answers_404_to_every_card(territory_a, coordinator_b, login, name):
    case = CaseFactory(territory=territory_a)
    client = login(coordinator_b)
    assert client.get(change_url(case)).status_code == 404
    assert client.post(action(case, name), {"note-body": "x", "message-body": "x"}).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and not Note.objects.exists() and not Message.objects.exists()


def test_a_need_of_another_case_answers_404(territory_a, client_a):
    case, other = CaseFactory(territory=territory_a), CaseFactory(territory=territory_a)
    need = NeedFactory(territory=territory_a, case=other, kind=NeedKind.PREMISES)
    assert client_a.post(action(case, "need"), need_post(need, state=NeedState.DONE)).status_code == 404
    assert Need.objects.get(pk=need.pk).state == NeedState.OPEN


def test_a_need_owner_who_left_the_team_is_kept_when_the_card_is_saved(territory_a, client_a, staff_of):
    former = staff_of(territory_a, Role.COORDINATOR, email="ancienne@exemple.fr")
    case = CaseFactory(territory=territory_a)
    need = NeedFactory(territory=territory_a, case=case, kind=NeedKind.PREMISES, owner=former)
    former.is_active = False
    former.save()
    response = client_a.post(action(case, "need"), need_post(need, details="Local trouvé"))
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.owner == former and need.details == "Local trouvé"


def test_eligibility_reads_the_first_target_commune_and_each_aids_communes(territory_a, client_a, communes_a):
    """The page reads the aids' communes and the case's communes as columns: the verdicts are those
    the eligibility gives reading them itself."""
    case = CaseFactory(territory=territory_a, supported=True)
    case.target_communes.set(communes_a[:2])
    AidFactory(territory=territory_a, name="Partout")
    AidFactory(territory=territory_a, name="Ici").communes.set([communes_a[0]])
    AidFactory(territory=territory_a, name="Ailleurs").communes.set([communes_a[-1]])
    AidFactory(territory=territory_a, name="Retirée", active=False)
    page = client_a.get(change_url(case))
    shown = [(item.aid.name, item.eligible, item.reasons) for item, _verdict in page.context_data["eligibility"]]
    expected = [(result.aid.name, result.eligible, result.reasons) for result in case_eligible_aids(case)]
    assert shown == expected and len(shown) == 3
    names = ", ".join(commune.name for commune in sorted(communes_a[:2], key=lambda commune: commune.name))
    assert f"<dd>{names}</dd>" in page.content.decode()
