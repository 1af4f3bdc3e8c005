import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone

from installations.enums import CaseStatus, EventKind, NeedKind, NeedState
from installations.models import Case, CaseEvent, FollowUp, Need
from installations.services.applicant_mail import (
    NEWS_KIND,
    case_confirmation_token,
    case_send_confirmation,
)
from installations.services.exchanges import document_add, message_post, note_add
from installations.services.lifecycle import (
    case_assign,
    case_close,
    case_settle,
    case_take_charge,
    case_wait_for_applicant,
    case_withdraw,
)
from installations.services.needs import need_refer, need_update
from installations.services.personal_data import (
    case_erase_personal_data,
    case_export_personal_data,
    household_purge_expired,
)
from installations.services.reminders import cases_remind_waiting, follow_ups_remind_due
from installations.services.submission import case_confirm_email, case_submit, cases_claim
from portal.enums import Profession, Role
from portal.notifications.enums import EmailState
from portal.notifications.models import Notification
from tests.installations.factories import PDF_BYTES, PNG_BYTES, CaseFactory, NeedFactory


def submit(territory, actor=None, **overrides):
    data = {
        "territory": territory,
        "actor": actor,
        "email": "" if actor else "interne@exemple.fr",
        "profession": Profession.DOCTOR_GP,
        "needs": {NeedKind.PREMISES: "Un cabinet en MSP", NeedKind.HOUSING_SHORT: ""},
        "idempotency_key": "",
    }
    data.update(overrides)
    return case_submit(**data)


# --- submission ---------------------------------------------------------------------------------


def test_signed_in_submission_creates_a_submitted_case_with_needs_and_notifies_coordinators(
    territory_a, coordinator_a, applicant, communes_a
):
    case = submit(territory_a, applicant, target_communes=communes_a[:2])
    assert case.status == CaseStatus.SUBMITTED
    assert case.applicant == applicant
    assert case.reference == f"ALP-{timezone.now().year}-0001"
    assert sorted(case.needs.values_list("kind", flat=True)) == [NeedKind.HOUSING_SHORT, NeedKind.PREMISES]
    assert case.events.get().kind == EventKind.SUBMITTED
    notification = Notification.objects.get(recipient=coordinator_a)
    assert notification.kind == "installations.case_new"
    assert notification.territory == territory_a
    assert case.reference in notification.subject


def test_references_follow_each_other_per_territory(territory_a, territory_b, applicant):
    first = submit(territory_a, applicant)
    second = submit(territory_a, applicant)
    other = submit(territory_b, applicant)
    year = timezone.now().year
    assert (first.reference, second.reference) == (f"ALP-{year}-0001", f"ALP-{year}-0002")
    assert other.reference == f"BET-{year}-0001"


def test_double_submit_with_the_same_key_creates_one_case(territory_a, applicant):
    first = submit(territory_a, applicant, idempotency_key="abc123")
    second = submit(territory_a, applicant, idempotency_key="abc123")
    assert first.pk == second.pk
    assert Case.objects.count() == 1
    assert Need.objects.count() == 2


def test_anonymous_submission_waits_for_confirmation_then_reaches_the_coordinators(
    territory_a, coordinator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(territory_a, None, email="Interne@Exemple.fr")
        case_send_confirmation(case=case)
    assert case.status == CaseStatus.UNCONFIRMED
    assert case.applicant is None and case.applicant_email == "interne@exemple.fr"
    assert not Notification.objects.filter(recipient__isnull=False).exists()  # only the e-mail to the address
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["interne@exemple.fr"]
    assert case.reference in mail.outbox[0].subject

    token = case_confirmation_token(case)
    confirmed = case_confirm_email(token=token)
    assert confirmed.status == CaseStatus.SUBMITTED and confirmed.confirmed_at
    assert Notification.objects.filter(recipient=coordinator_a, kind="installations.case_new").count() == 1
    # A second click changes nothing.
    case_confirm_email(token=token)
    assert Notification.objects.filter(recipient=coordinator_a).count() == 1


def test_confirmation_e_mail_is_sent_at_most_once(territory_a, django_capture_on_commit_callbacks):
    from portal.notifications.tasks import outbox_relay, outbox_sweep

    case = submit(territory_a, None)
    with django_capture_on_commit_callbacks(execute=True):
        case_send_confirmation(case=case)
        case_send_confirmation(case=case)
    outbox_relay.apply()
    outbox_sweep.apply()
    assert len(mail.outbox) == 1


def test_tampered_confirmation_token_is_refused_with_a_french_message(territory_a):
    case = submit(territory_a, None)
    with pytest.raises(ValidationError, match="n'est pas valide"):
        case_confirm_email(token=case_confirmation_token(case) + "x")


def test_confirming_while_signed_in_with_the_same_e_mail_links_the_case(territory_a, applicant):
    case = submit(territory_a, None, email=applicant.email)
    case_confirm_email(token=case_confirmation_token(case), actor=applicant)
    case.refresh_from_db()
    assert case.applicant == applicant


def test_submission_refuses_bad_input_field_by_field(territory_a, territory_b, applicant):
    from tests.portal.factories import CommuneFactory

    foreign = CommuneFactory(insee_code="79191")
    territory_b.communes.add(foreign)
    with pytest.raises(ValidationError) as error:
        submit(
            territory_a,
            applicant,
            rpps="12345",
            needs=[],
            target_communes=[foreign],
            spouse_profession="Enseignante",
        )
    fields = error.value.message_dict
    assert "11 chiffres" in fields["rpps"][0]
    assert "au moins un besoin" in fields["needs"][0]
    assert "communes du territoire" in fields["target_communes"][0]
    assert "household_consent" in fields
    assert not Case.objects.exists()


def test_household_details_are_kept_only_with_consent_and_a_retention_deadline(territory_a, applicant):
    case = submit(
        territory_a,
        applicant,
        needs=[NeedKind.SPOUSE_JOB],
        household_consent=True,
        spouse_profession="Enseignante",
        children_ages=[3, 7],
    )
    assert case.household_consent and case.household_consent_at
    assert case.household_retention_until > timezone.localdate()
    assert case.children_ages == [3, 7]
    Case.objects.filter(pk=case.pk).update(household_retention_until=timezone.localdate() - datetime.timedelta(days=1))
    assert household_purge_expired(territory=territory_a, before=timezone.now() - datetime.timedelta(days=730)) == 1
    case.refresh_from_db()
    assert case.spouse_profession == "" and case.children_ages == []


# --- lifecycle ----------------------------------------------------------------------------------


def test_coordinator_takes_charge_then_waits_then_settles_with_events_and_follow_ups(
    territory_a, coordinator_a, applicant, communes_a
):
    case = submit(territory_a, applicant)
    case_take_charge(actor=coordinator_a, case=case)
    assert case.status == CaseStatus.SUPPORTED and case.assigned_to == coordinator_a
    case_wait_for_applicant(actor=coordinator_a, case=case, message="Pouvez-vous envoyer votre diplôme ?")
    assert case.status == CaseStatus.WAITING_APPLICANT
    message_post(actor=applicant, case=case, body="Voici mon diplôme.")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORTED, "the applicant's answer gives the case back to the coordinator"
    day = datetime.date(2026, 9, 1)
    case_settle(actor=coordinator_a, case=case, settlement_date=day, commune=communes_a[0])
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLED and case.settlement_commune == communes_a[0]
    assert case.settled_at and case.closed_at
    assert list(FollowUp.objects.filter(case=case).values_list("years", "due_date")) == [
        (1, datetime.date(2027, 9, 1)),
        (3, datetime.date(2029, 9, 1)),
        (5, datetime.date(2031, 9, 1)),
    ]
    transitions = list(
        CaseEvent.objects.filter(case=case, kind=EventKind.STATUS_CHANGED).values_list("payload__to", "actor")
    )
    assert transitions == [
        (CaseStatus.SUPPORTED, coordinator_a.pk),
        (CaseStatus.WAITING_APPLICANT, coordinator_a.pk),
        (CaseStatus.SUPPORTED, applicant.pk),
        (CaseStatus.SETTLED, coordinator_a.pk),
    ]


@pytest.mark.parametrize(
    ("trait", "call"),
    [
        ("settled", "take_charge"),
        ("withdrawn", "close"),
        ("closed", "wait"),
        (None, "wait"),
        (None, "settle"),
    ],
)
def test_impossible_transitions_are_refused_with_a_french_message(trait, call, territory_a, coordinator_a, communes_a):
    case = CaseFactory(territory=territory_a, **({trait: True} if trait else {}))
    before = case.status
    calls = {
        "take_charge": lambda: case_take_charge(actor=coordinator_a, case=case),
        "close": lambda: case_close(actor=coordinator_a, case=case),
        "wait": lambda: case_wait_for_applicant(actor=coordinator_a, case=case),
        "settle": lambda: case_settle(
            actor=coordinator_a, case=case, settlement_date=datetime.date(2026, 9, 1), commune=communes_a[0]
        ),
    }
    with pytest.raises(ValidationError, match="Impossible de passer la demande de"):
        calls[call]()
    case.refresh_from_db()
    assert case.status == before
    assert not CaseEvent.objects.filter(case=case).exists()


def test_status_change_notifies_the_applicant(territory_a, coordinator_a, applicant):
    case = submit(territory_a, applicant)
    case_take_charge(actor=coordinator_a, case=case)
    notification = Notification.objects.get(recipient=applicant)
    assert notification.kind == "installations.case_status"
    assert "Accompagnement en cours" in notification.subject


def test_settling_outside_the_territory_is_refused(territory_a, coordinator_a, communes_a):
    from tests.portal.factories import CommuneFactory

    case = CaseFactory(territory=territory_a, supported=True)
    with pytest.raises(ValidationError) as error:
        case_settle(actor=coordinator_a, case=case, settlement_date=datetime.date(2026, 9, 1), commune=CommuneFactory())
    assert "settlement_commune" in error.value.message_dict


def test_applicant_withdraws_their_own_case_but_not_someone_else(territory_a, applicant):
    from tests.portal.factories import UserFactory

    case = CaseFactory(territory=territory_a, applicant=applicant)
    with pytest.raises(PermissionDenied):
        case_withdraw(actor=UserFactory(), case=case)
    case_withdraw(actor=applicant, case=case, reason="Projet reporté")
    assert case.status == CaseStatus.WITHDRAWN


def test_coordinator_of_another_territory_cannot_act_on_the_case(territory_a, coordinator_b):
    case = CaseFactory(territory=territory_a)
    with pytest.raises(PermissionDenied):
        case_take_charge(actor=coordinator_b, case=case)
    with pytest.raises(PermissionDenied):
        message_post(actor=coordinator_b, case=case, body="Bonjour")


def test_assigning_someone_outside_the_team_is_refused(territory_a, coordinator_a, coordinator_b):
    case = CaseFactory(territory=territory_a)
    with pytest.raises(ValidationError, match="coordinat"):
        case_assign(actor=coordinator_a, case=case, coordinator=coordinator_b)


# --- messages and notes -------------------------------------------------------------------------


def test_coordinator_message_is_the_first_contact_and_clears_the_wait(territory_a, coordinator_a, applicant):
    case = submit(territory_a, applicant)
    assert case.awaiting_reply_since is not None
    message = message_post(actor=coordinator_a, case=case, body="Bonjour, je vous appelle demain.")
    case.refresh_from_db()
    assert case.first_contact_at == message.created_at == case.last_contact_at
    assert case.awaiting_reply_since is None
    assert Notification.objects.filter(recipient=applicant, kind="installations.message_to_applicant").exists()
    later = message_post(actor=applicant, case=case, body="Merci !")
    case.refresh_from_db()
    assert case.first_contact_at == message.created_at
    assert case.last_contact_at == later.created_at and case.awaiting_reply_since == later.created_at


def test_notes_are_refused_to_the_applicant(territory_a, applicant):
    case = CaseFactory(territory=territory_a, applicant=applicant)
    with pytest.raises(PermissionDenied):
        note_add(actor=applicant, case=case, body="Je m'écris une note")


# --- needs and referrals ------------------------------------------------------------------------


def test_referral_notifies_the_partner_who_may_then_update_only_that_need(territory_a, coordinator_a, partner_a):
    case = CaseFactory(territory=territory_a)
    need = NeedFactory(territory=territory_a, case=case, kind=NeedKind.ADMIN_STEPS)
    other = NeedFactory(territory=territory_a, case=case, kind=NeedKind.HOUSING_LONG)
    need_refer(actor=coordinator_a, need=need, organisation=partner_a.organisation, referent=partner_a, message="Merci")
    assert need.state == NeedState.REFERRED
    notification = Notification.objects.get(recipient=partner_a)
    assert notification.kind == "installations.need_referred"
    assert CaseEvent.objects.filter(case=case, kind=EventKind.NEED_REFERRED, need=need).exists()

    need_update(actor=partner_a, need=need, state=NeedState.DONE)
    note_add(actor=partner_a, case=case, need=need, body="Dossier CPAM complet.")
    with pytest.raises(PermissionDenied):
        need_update(actor=partner_a, need=other, state=NeedState.DONE)
    with pytest.raises(PermissionDenied):
        need_update(actor=partner_a, need=need, due_date=datetime.date(2027, 1, 1))
    with pytest.raises(PermissionDenied):
        note_add(actor=partner_a, case=case, body="Sans besoin")


def test_referral_to_someone_who_is_not_the_organisation_referent_is_refused(
    territory_a, coordinator_a, partner_a, staff_of
):
    from tests.portal.factories import OrganisationFactory

    need = NeedFactory(territory=territory_a)
    with pytest.raises(ValidationError, match="référente partenaire"):
        need_refer(
            actor=coordinator_a, need=need, organisation=OrganisationFactory(territory=territory_a), referent=partner_a
        )
    with pytest.raises(ValidationError, match="référente partenaire"):
        need_refer(
            actor=coordinator_a,
            need=need,
            organisation=partner_a.organisation,
            referent=staff_of(territory_a, Role.MANAGER),
        )


def test_need_update_records_what_changed(territory_a, coordinator_a):
    need = NeedFactory(territory=territory_a)
    need_update(
        actor=coordinator_a,
        need=need,
        state=NeedState.IN_PROGRESS,
        owner=coordinator_a,
        due_date=datetime.date(2027, 1, 5),
    )
    event = CaseEvent.objects.get(need=need)
    assert event.payload["changes"]["state"] == [NeedState.OPEN, NeedState.IN_PROGRESS]
    assert event.payload["changes"]["due_date"] == [None, "2027-01-05"]


# --- documents ----------------------------------------------------------------------------------


def test_documents_are_checked_by_their_content_not_their_name(territory_a, applicant):
    case = CaseFactory(territory=territory_a, applicant=applicant)
    document = document_add(actor=applicant, case=case, uploaded_file=SimpleUploadedFile("diplôme.pdf", PDF_BYTES))
    assert document.content_type == "application/pdf"
    assert "diplôme" not in document.file.name and document.file.name.startswith("installations/documents/")
    document_add(actor=applicant, case=case, uploaded_file=SimpleUploadedFile("photo.png", PNG_BYTES))
    with pytest.raises(ValidationError, match="PDF, PNG et JPEG"):
        document_add(actor=applicant, case=case, uploaded_file=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00"))
    with pytest.raises(ValidationError, match="PDF, PNG et JPEG"):
        document_add(actor=applicant, case=case, uploaded_file=SimpleUploadedFile("cv.png", PDF_BYTES))
    big = SimpleUploadedFile("gros.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="10 Mo"):
        document_add(actor=applicant, case=case, uploaded_file=big)
    assert case.documents.count() == 2


def test_an_upload_built_without_its_size_is_measured_not_a_type_error(territory_a, applicant):
    # mypy (UploadedFile.size is `int | None`): the size check compared None with an int.
    case = CaseFactory(territory=territory_a, applicant=applicant)
    unsized = UploadedFile(io.BytesIO(PDF_BYTES), name="diplome.pdf")
    assert unsized.size is None
    document = document_add(actor=applicant, case=case, uploaded_file=unsized)
    assert document.content_type == "application/pdf" and document.size == len(PDF_BYTES)
    too_big = UploadedFile(io.BytesIO(PDF_BYTES + b"0" * (10 * 1024 * 1024)), name="gros.pdf")
    with pytest.raises(ValidationError, match="10 Mo"):
        document_add(actor=applicant, case=case, uploaded_file=too_big)


# --- reminders ----------------------------------------------------------------------------------


def test_cases_without_answer_for_n_days_remind_the_coordinator_once(territory_a, coordinator_a, settings):
    settings.INSTALLATIONS_NO_ANSWER_DAYS = 7
    old = timezone.now() - datetime.timedelta(days=10)
    late = CaseFactory(territory=territory_a, submitted_at=old, awaiting_reply_since=old)
    CaseFactory(territory=territory_a)  # recent
    CaseFactory(territory=territory_a, waiting=True, submitted_at=old)  # the applicant's turn
    assert cases_remind_waiting(territory=territory_a) == 1
    assert cases_remind_waiting(territory=territory_a) == 0
    notification = Notification.objects.get(recipient=coordinator_a)
    assert late.reference in notification.subject


def test_follow_ups_unanswered_by_the_professional_remind_the_coordinator(territory_a, coordinator_a, settings):
    from tests.installations.factories import FollowUpFactory

    settings.FOLLOW_UP_ANSWER_DAYS = 21
    long_ago = timezone.now() - datetime.timedelta(days=22)
    FollowUpFactory(territory=territory_a, due_date=timezone.localdate(), asked_at=long_ago)  # no answer
    FollowUpFactory(territory=territory_a, due_date=timezone.localdate(), asked_at=timezone.now())  # asked today
    FollowUpFactory(territory=territory_a, due_date=timezone.localdate())  # not asked yet: asked first
    FollowUpFactory(territory=territory_a, due_date=timezone.localdate() + datetime.timedelta(days=30))
    assert follow_ups_remind_due(territory=territory_a) == 1
    assert Notification.objects.filter(recipient=coordinator_a, kind="installations.follow_up_due").count() == 1


def test_daily_task_runs_the_reminders_of_every_territory(
    territory_a, territory_b, coordinator_a, coordinator_b, django_capture_on_commit_callbacks
):
    from installations.tasks import reminders_dispatch

    old = timezone.now() - datetime.timedelta(days=30)
    for territory in (territory_a, territory_b):
        CaseFactory(territory=territory, submitted_at=old, awaiting_reply_since=old)
    with django_capture_on_commit_callbacks(execute=True):  # the fan-out queues after its commit
        reminders_dispatch.delay()
    assert Notification.objects.filter(kind="installations.case_waiting_reminder").count() == 2


# --- personal data ------------------------------------------------------------------------------


def test_export_holds_the_applicant_data_but_never_the_notes(territory_a, coordinator_a, applicant):
    case = submit(territory_a, applicant, first_name="Lucie")
    message_post(actor=coordinator_a, case=case, body="Bienvenue")
    note_add(actor=coordinator_a, case=case, body="Confidentiel : à rappeler")
    data = case_export_personal_data(actor=applicant, case=case)
    assert data["demandeur"]["email"] == applicant.email
    assert [m["texte"] for m in data["messages"]] == ["Bienvenue"]
    assert "Confidentiel" not in str(data)


def test_erasure_anonymises_and_keeps_the_statistics(territory_a, coordinator_a, applicant):
    case = submit(territory_a, applicant, phone="06 12 34 56 78")
    message_post(actor=applicant, case=case, body="Mon numéro est le 06 12 34 56 78")
    document_add(actor=applicant, case=case, uploaded_file=SimpleUploadedFile("cv.pdf", PDF_BYTES))
    case_erase_personal_data(actor=applicant, case=case)
    case.refresh_from_db()
    assert case.applicant is None and case.applicant_phone == "" and case.erased_at
    assert case.status == CaseStatus.WITHDRAWN
    assert case.profession == Profession.DOCTOR_GP and case.needs.count() == 2
    assert "06 12" not in case.messages.get().body
    assert not case.documents.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_with_the_same_key_create_one_case():
    """Two requests racing (a double click): the territory lock makes the second find the first case."""
    from tests.concurrency import race
    from tests.portal.factories import TerritoryFactory, UserFactory

    territory = TerritoryFactory(name="Territoire Course", slug="course")
    user = UserFactory(email="double.clic@exemple.fr")

    def same_key():
        return submit(territory, user, idempotency_key="same-key").pk

    results = race([same_key, same_key])
    assert len(set(results)) == 1
    assert Case.objects.filter(territory=territory).count() == 1


def test_the_sweep_sends_confirmations_whose_publish_was_lost(territory_a):
    from portal.notifications.tasks import outbox_sweep

    case = submit(territory_a, None)
    # The after-commit callbacks never run here: as if the publish had failed.
    case_send_confirmation(case=case)
    assert mail.outbox == []
    outbox_sweep.delay()  # what celery beat does every minute
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["interne@exemple.fr"]
    outbox_sweep.delay()
    assert len(mail.outbox) == 1


def test_cases_left_waiting_for_the_applicant_remind_the_coordinator(territory_a, coordinator_a, settings):
    settings.INSTALLATIONS_WAITING_APPLICANT_DAYS = 21
    long_ago = timezone.now() - datetime.timedelta(days=30)
    silent = CaseFactory(territory=territory_a, waiting=True, status_changed_at=long_ago, submitted_at=long_ago)
    CaseFactory(territory=territory_a, waiting=True, status_changed_at=timezone.now())
    assert cases_remind_waiting(territory=territory_a) == 1
    assert cases_remind_waiting(territory=territory_a) == 0
    notification = Notification.objects.get(recipient=coordinator_a)
    assert notification.kind == "installations.case_applicant_silent_reminder"
    assert silent.reference in notification.subject


def test_the_confirmation_e_mail_reads_as_before_and_goes_through_the_outbox(territory_a):
    from portal.notifications.tasks import outbox_relay

    case = submit(territory_a, None)
    case_send_confirmation(case=case, link="http://testserver/alpha/confirmer/jeton/")
    row = Notification.objects.get(recipient__isnull=True)
    assert (row.territory, row.email_address, row.email_state) == (territory_a, "interne@exemple.fr", "pending")
    outbox_relay.apply()
    (sent,) = mail.outbox
    assert sent.subject == f"[Guichet santé · Territoire Alpha] Confirmez votre demande {case.reference}"
    assert sent.body == (
        f"Bonjour,\n\nVous avez déposé une demande d'accompagnement à l'installation (référence {case.reference}) "
        "auprès du guichet unique santé du Territoire Alpha.\n\nPour la confirmer, ouvrez ce lien dans les "
        "7 jours :\nhttp://testserver/alpha/confirmer/jeton/\n\nSi vous n'êtes pas à l'origine de cette "
        "demande, ignorez ce message : elle sera supprimée."
    )
    assert sent.to == ["interne@exemple.fr"] and not sent.reply_to


def test_news_waiting_for_an_applicant_who_signs_in_is_withdrawn(territory_a, coordinator_a):
    from allauth.account.models import EmailAddress

    from tests.portal.factories import UserFactory

    case = submit(territory_a, None, email="sans.compte@exemple.fr")
    case_confirm_email(token=case_confirmation_token(case))
    case_take_charge(actor=coordinator_a, case=case)
    assert Notification.objects.filter(email_address="sans.compte@exemple.fr", email_state="pending").count() == 1
    user = UserFactory(email="sans.compte@exemple.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    cases_claim(actor=user)
    # The account's notifications take over; the pending news e-mail to the bare address is gone.
    assert not Notification.objects.filter(email_address="sans.compte@exemple.fr", kind=NEWS_KIND).exists()


def test_erasure_removes_the_e_mails_to_the_applicants_address(territory_a, coordinator_a):
    from portal.notifications.tasks import outbox_relay

    case = submit(territory_a, None, email="sans.compte@exemple.fr")
    other = submit(territory_a, None, email="sans.compte@exemple.fr", idempotency_key="autre")
    case_send_confirmation(case=case)
    case_send_confirmation(case=other)
    outbox_relay.apply()  # the confirmations were sent: the rows hold the address and the link
    case_erase_personal_data(actor=coordinator_a, case=Case.objects.get(pk=case.pk))
    remaining = Notification.objects.filter(email_address="sans.compte@exemple.fr")
    assert [row.subject for row in remaining] == [f"Confirmez votre demande {other.reference}"]


def test_an_applicant_without_account_hears_of_news_by_e_mail_without_the_content(
    territory_a, coordinator_a, django_capture_on_commit_callbacks
):
    case = submit(territory_a, None, email="sans.compte@exemple.fr")
    case_confirm_email(token=case_confirmation_token(case))
    case.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_take_charge(actor=coordinator_a, case=case)
        message_post(actor=coordinator_a, case=case, body="Votre numéro RPPS, s'il vous plaît ?")
    # (The relay also sends the coordinators' pending e-mails, the new case's among them.)
    to_applicant = [m for m in mail.outbox if m.to == ["sans.compte@exemple.fr"]]
    assert len(to_applicant) == 1, "the status change and the message make one e-mail"
    sent = to_applicant[0]
    assert sent.to == ["sans.compte@exemple.fr"] and case.reference in sent.subject
    assert "RPPS" not in sent.body
    news = Notification.objects.get(recipient__isnull=True, email_address="sans.compte@exemple.fr")
    assert news.email_state == EmailState.SENT
