"""The guided request form of the public site: steps that keep what was typed, the French messages
next to the fields, household questions only with their needs and consent, the e-mail confirmation
of an anonymous request, and one case per double submit."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from installations.enums import CaseStatus, NeedKind
from installations.models import Case
from portal.enums import ArsZone
from tests.portal.factories import CommuneFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID_RPPS = "10003456786"  # 11 digits, Luhn-valid
WRONG_RPPS = "10003456787"  # last digit changed


def step_url(territory, step):
    return reverse("installations:request_step", kwargs={"territory_slug": territory.slug, "step": step})


@pytest.fixture
def communes(territory_a):
    communes = [
        CommuneFactory(insee_code="50129", name="Cherbourg-en-Cotentin", ars_zone=ArsZone.ZIP),
        CommuneFactory(insee_code="50602", name="Valognes", ars_zone=ArsZone.ZAC),
    ]
    territory_a.communes.add(*communes)
    return communes


def profile_data(**overrides):
    data = {
        "vous-profession": "doctor_gp",
        "vous-specialty": "Médecine générale",
        "vous-current_situation": "replacement",
        "vous-rpps": VALID_RPPS,
    }
    data.update(overrides)
    return data


def project_data(communes, **overrides):
    data = {
        "projet-target_communes": [str(communes[0].pk)],
        "projet-planned_date": "2027-03-01",
        "projet-practice_mode": "liberal",
        "projet-structure_type": "msp",
        "projet-project_description": "Rejoindre la MSP du centre-ville.",
    }
    data.update(overrides)
    return data


def needs_data(*kinds, **details):
    data = {f"besoins-need_{kind}": "on" for kind in kinds}
    data.update({f"besoins-details_{kind}": text for kind, text in details.items()})
    return data


def contact_data(**overrides):
    data = {
        "coordonnees-first_name": "Lucie",
        "coordonnees-last_name": "Durand",
        "coordonnees-email": "lucie.durand@exemple.fr",
        "coordonnees-phone": "06 12 34 56 78",
    }
    data.update(overrides)
    return data


def fill_until_review(client, territory, communes, needs=(NeedKind.PREMISES,), household=None, contact=None):
    assert client.post(step_url(territory, "vous"), profile_data()).status_code == 302
    assert client.post(step_url(territory, "projet"), project_data(communes)).status_code == 302
    response = client.post(step_url(territory, "besoins"), needs_data(*needs))
    assert response.status_code == 302
    if household is not None:
        assert response["Location"] == step_url(territory, "foyer")
        assert client.post(step_url(territory, "foyer"), household).status_code == 302
    response = client.post(step_url(territory, "coordonnees"), contact if contact is not None else contact_data())
    assert response.status_code == 302
    assert response["Location"] == step_url(territory, "verification")


def submit(client, territory, capture=None):
    """Posts the review step; with `capture` (django_capture_on_commit_callbacks), the after-commit
    work (the confirmation e-mail) runs as it would after a real commit."""
    review = client.get(step_url(territory, "verification"))
    assert review.status_code == 200
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', review.content.decode()).group(1)
    if capture is None:
        return client.post(step_url(territory, "verification"), {"idempotency_key": key}), key
    with capture(execute=True):
        return client.post(step_url(territory, "verification"), {"idempotency_key": key}), key


def test_start_page_links_to_the_first_step(territory_a):
    response = Client().get(reverse("installations:start", kwargs={"territory_slug": territory_a.slug}))
    assert response.status_code == 200
    assert step_url(territory_a, "vous") in response.content.decode()


def test_wrong_rpps_is_refused_with_the_french_message_next_to_the_field_and_the_rest_is_kept(territory_a):
    client = Client()
    response = client.post(step_url(territory_a, "vous"), profile_data(**{"vous-rpps": WRONG_RPPS}))
    assert response.status_code == 200
    body = response.content.decode()
    message = "Ce numéro RPPS n&#x27;est pas valide : sa clé de contrôle (dernier chiffre) ne correspond pas."
    assert message in body
    # The message is tied to the field, and what was typed is still there.
    assert 'id="id_vous-rpps_error"' in body
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_vous-rpps_error', body)
    assert f'value="{WRONG_RPPS}"' in body
    assert 'value="Médecine générale"' in body
    assert '<option value="doctor_gp" selected>' in body


def test_short_rpps_tells_how_many_digits_were_typed(territory_a):
    response = Client().post(step_url(territory_a, "vous"), profile_data(**{"vous-rpps": "12345"}))
    assert "exactement 11 chiffres (vous en avez saisi 5)" in response.content.decode()


def test_a_step_refreshed_after_an_error_still_shows_what_was_typed(territory_a):
    client = Client()
    client.post(step_url(territory_a, "vous"), profile_data(**{"vous-rpps": WRONG_RPPS}))
    refreshed = client.get(step_url(territory_a, "vous")).content.decode()
    assert f'value="{WRONG_RPPS}"' in refreshed
    assert 'value="Médecine générale"' in refreshed


def test_going_back_keeps_both_steps(territory_a, communes):
    client = Client()
    client.post(step_url(territory_a, "vous"), profile_data())
    typed = project_data(communes, **{"projet-project_description": "Texte en cours", "action": "previous"})
    response = client.post(step_url(territory_a, "projet"), typed)
    assert response["Location"] == step_url(territory_a, "vous")
    assert 'value="Médecine générale"' in client.get(step_url(territory_a, "vous")).content.decode()
    assert "Texte en cours" in client.get(step_url(territory_a, "projet")).content.decode()


def test_later_steps_wait_for_the_earlier_ones(territory_a):
    response = Client().get(step_url(territory_a, "besoins"))
    assert response.status_code == 302
    assert response["Location"] == step_url(territory_a, "vous")


def test_only_the_territory_communes_can_be_chosen(territory_a, territory_b, communes):
    elsewhere = CommuneFactory(insee_code="79191", name="Niort")
    territory_b.communes.add(elsewhere)
    client = Client()
    client.post(step_url(territory_a, "vous"), profile_data())
    page = client.get(step_url(territory_a, "projet")).content.decode()
    assert "Valognes" in page and "Niort" not in page
    response = client.post(
        step_url(territory_a, "projet"), project_data(communes, **{"projet-target_communes": [str(elsewhere.pk)]})
    )
    assert response.status_code == 200
    assert "id_projet-target_communes_error" in response.content.decode()


def test_at_least_one_need_is_required(territory_a, communes):
    client = Client()
    client.post(step_url(territory_a, "vous"), profile_data())
    client.post(step_url(territory_a, "projet"), project_data(communes))
    response = client.post(step_url(territory_a, "besoins"), {"besoins-details_premises": "un cabinet"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cochez au moins un besoin" in body
    assert 'value="un cabinet"' in body


def test_each_need_is_a_separate_checkbox_with_its_own_details(territory_a, communes):
    client = Client()
    client.post(step_url(territory_a, "vous"), profile_data())
    client.post(step_url(territory_a, "projet"), project_data(communes))
    body = client.get(step_url(territory_a, "besoins")).content.decode()
    for kind in NeedKind:
        assert f'type="checkbox" name="besoins-need_{kind.value}"' in body
        assert f'name="besoins-details_{kind.value}"' in body


def test_household_questions_are_not_asked_without_a_household_need(territory_a, communes):
    client = Client()
    fill_until_review(client, territory_a, communes, needs=(NeedKind.PREMISES, NeedKind.HOUSING_LONG))
    assert client.get(step_url(territory_a, "foyer")).status_code == 302
    review = client.get(step_url(territory_a, "verification")).content.decode()
    assert "Votre foyer" not in review


def test_household_step_asks_only_what_the_ticked_needs_use_and_requires_consent(territory_a, communes):
    client = Client()
    client.post(step_url(territory_a, "vous"), profile_data())
    client.post(step_url(territory_a, "projet"), project_data(communes))
    response = client.post(step_url(territory_a, "besoins"), needs_data(NeedKind.CHILDCARE))
    assert response["Location"] == step_url(territory_a, "foyer")
    page = client.get(step_url(territory_a, "foyer")).content.decode()
    assert "foyer-children_ages" in page
    assert "foyer-spouse_profession" not in page  # spouse's job not ticked
    assert "conservées 2 ans au plus" in page  # the stated retention period

    refused = client.post(step_url(territory_a, "foyer"), {"foyer-children_ages": "3, 7"})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "id_foyer-household_consent_error" in body
    assert "Cochez cette case pour que le guichet puisse utiliser" in body
    assert 'value="3, 7"' in body


def test_household_details_reach_the_case_with_consent(territory_a, communes, login):
    user = UserFactory(email="lucie.durand@exemple.fr", first_name="Lucie", last_name="Durand")
    client = login(user)
    household = {
        "foyer-spouse_profession": "Professeure des écoles",
        "foyer-children_ages": "3, 7",
        "foyer-household_consent": "on",
    }
    fill_until_review(
        client, territory_a, communes, needs=(NeedKind.SPOUSE_JOB, NeedKind.CHILDCARE), household=household
    )
    response, _key = submit(client, territory_a)
    case = Case.objects.get()
    assert response["Location"] == reverse(
        "installations:case_detail", kwargs={"territory_slug": territory_a.slug, "pk": case.pk}
    )
    assert case.household_consent is True
    assert case.spouse_profession == "Professeure des écoles"
    assert case.children_ages == [3, 7]
    assert case.household_retention_until is not None


def test_unticking_the_household_needs_drops_the_household_step_and_its_answers(territory_a, communes, login):
    client = login(UserFactory())
    household = {"foyer-spouse_profession": "Ingénieur", "foyer-household_consent": "on"}
    fill_until_review(client, territory_a, communes, needs=(NeedKind.SPOUSE_JOB,), household=household)
    client.post(step_url(territory_a, "besoins"), needs_data(NeedKind.PREMISES))
    submit(client, territory_a)
    case = Case.objects.get()
    assert case.spouse_profession == "" and case.household_consent is False


def test_signed_in_applicant_finds_the_contact_step_prefilled(territory_a, communes, login):
    user = UserFactory(email="lucie.durand@exemple.fr", first_name="Lucie", last_name="Durand", phone="0611223344")
    client = login(user)
    client.post(step_url(territory_a, "vous"), profile_data())
    client.post(step_url(territory_a, "projet"), project_data(communes))
    client.post(step_url(territory_a, "besoins"), needs_data(NeedKind.PREMISES))
    body = client.get(step_url(territory_a, "coordonnees")).content.decode()
    assert 'value="Lucie"' in body and 'value="Durand"' in body and 'value="0611223344"' in body
    assert 'value="lucie.durand@exemple.fr"' in body


def test_signed_in_applicant_submits_straight_into_their_space(territory_a, communes, login):
    user = UserFactory(email="lucie.durand@exemple.fr")
    client = login(user)
    fill_until_review(client, territory_a, communes)
    response, _key = submit(client, territory_a)
    case = Case.objects.get()
    assert case.applicant == user
    assert case.status == CaseStatus.SUBMITTED
    assert list(case.target_communes.all()) == [communes[0]]
    assert case.rpps == VALID_RPPS
    page = client.get(response["Location"]).content.decode()
    assert case.reference in page
    assert mail.outbox == [] or all("Confirmez" not in m.subject for m in mail.outbox)


def test_double_submit_creates_one_case(territory_a, communes, login):
    client = login(UserFactory())
    fill_until_review(client, territory_a, communes)
    first, key = submit(client, territory_a)
    # The second click arrives with the same form after the first one was processed.
    second = client.post(step_url(territory_a, "verification"), {"idempotency_key": key})
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Case.objects.count() == 1


def test_double_submit_of_an_anonymous_request_creates_one_case_and_one_email(
    territory_a, communes, django_capture_on_commit_callbacks
):
    client = Client()
    fill_until_review(client, territory_a, communes)
    first, key = submit(client, territory_a, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(step_url(territory_a, "verification"), {"idempotency_key": key})
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_submission_resent_from_another_session_with_the_same_key_finds_the_same_case(territory_a, communes, login):
    # Same draft posted twice before the first answer came back (two tabs sharing the session).
    client = login(UserFactory())
    fill_until_review(client, territory_a, communes)
    session = client.session
    draft = dict(session[f"installations_draft:{territory_a.pk}"])
    submit(client, territory_a)
    session = client.session
    session[f"installations_draft:{territory_a.pk}"] = draft
    session["installations_submitted"] = {}
    session.save()
    client.post(step_url(territory_a, "verification"), {"idempotency_key": draft["key"]})
    assert Case.objects.count() == 1


def test_drafts_are_kept_per_territory(territory_a, communes):
    other = TerritoryFactory(slug="gamma")
    client = Client()
    client.post(step_url(territory_a, "vous"), profile_data())
    assert 'value="Médecine générale"' not in client.get(step_url(other, "vous")).content.decode()
    assert 'value="Médecine générale"' in client.get(step_url(territory_a, "vous")).content.decode()


def test_anonymous_request_is_confirmed_by_email_then_joins_the_account_after_sign_in(
    territory_a, communes, django_capture_on_commit_callbacks
):
    client = Client()
    fill_until_review(client, territory_a, communes)
    response, _key = submit(client, territory_a, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("installations:submitted", kwargs={"territory_slug": territory_a.slug})
    case = Case.objects.get()
    assert case.status == CaseStatus.UNCONFIRMED and case.applicant is None

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lucie.durand@exemple.fr"]
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)

    # The link shows a button; the button (POST) confirms (issue 10, defect 8).
    assert client.get(link).status_code == 200
    confirmed = client.post(link)
    assert confirmed.status_code == 200
    body = confirmed.content.decode()
    assert "Votre demande est confirmée" in body
    assert reverse("account_signup") in body and reverse("account_login") in body
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.confirmed_at is not None

    # The person creates their account with that address and verifies it, then signs in.
    from allauth.account.models import EmailAddress

    user = UserFactory(email="lucie.durand@exemple.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    cases_page = client.get(reverse("installations:case_list", kwargs={"territory_slug": territory_a.slug}))
    assert case.reference in cases_page.content.decode()
    case.refresh_from_db()
    assert case.applicant == user


def test_confirmation_does_not_give_the_case_to_an_unverified_address(
    territory_a, communes, django_capture_on_commit_callbacks
):
    client = Client()
    fill_until_review(client, territory_a, communes)
    submit(client, territory_a, django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    client.post(link)
    from allauth.account.models import EmailAddress

    user = UserFactory(email="lucie.durand@exemple.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client.force_login(user)
    page = client.get(reverse("installations:case_list", kwargs={"territory_slug": territory_a.slug}), follow=True)
    assert Case.objects.get().reference not in page.content.decode()
    assert "une fois l&#x27;adresse e-mail confirmée et vérifiée" in page.content.decode()
    assert Case.objects.get().applicant is None


def test_a_tampered_confirmation_link_is_refused_in_french(territory_a):
    url = reverse("installations:confirm", kwargs={"territory_slug": territory_a.slug, "token": "abc:def"})
    response = Client().get(url)
    assert response.status_code == 404
    assert "Ce lien de confirmation n&#x27;est pas valide." in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_submitting_with_the_broker_down_answers_and_no_notification_is_lost(
    territory_a, communes, staff_of, login, broker_down
):
    from portal.background import publisher
    from portal.notifications.enums import EmailState
    from portal.notifications.models import Notification

    coordinator = staff_of(territory_a)
    client = login(UserFactory(email="lucie.durand@exemple.fr"))
    fill_until_review(client, territory_a, communes)

    response, _key = submit(client, territory_a)

    assert response.status_code == 302  # the applicant is sent to their case, as when Redis is up
    case = Case.objects.get()
    assert client.get(response["Location"]).status_code == 200
    assert publisher.wait_idle(timeout=10)
    assert publisher.last_error is not None  # the hand-off to the broker failed, after the response
    waiting = Notification.objects.filter(recipient=coordinator, territory=territory_a)
    assert [(n.email_state, case.reference in n.subject) for n in waiting] == [(EmailState.PENDING, True)]


# --- the confirmation link does not confirm by itself (issue 10, defect 8) ------------------------


def test_opening_the_confirmation_link_changes_nothing_until_the_button_is_pressed(
    territory_a, communes, django_capture_on_commit_callbacks
):
    client = Client()
    fill_until_review(client, territory_a, communes)
    submit(client, territory_a, django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    scanner = Client()  # a mail client's link scanner: GET (and HEAD) only

    for _ in range(2):
        page = scanner.get(link)
        assert scanner.head(link).status_code == 200
    case = Case.objects.get()
    assert case.status == CaseStatus.UNCONFIRMED and case.confirmed_at is None
    assert not case.events.filter(kind="email_confirmed").exists()
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(rf'<form[^>]+method="post"[^>]+action="{re.escape(link)}"', html)
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Confirmer ma demande" in html and case.reference in html
    assert page["Cache-Control"] and "no-store" in page["Cache-Control"]

    person = Client(enforce_csrf_checks=True)
    assert person.post(link).status_code == 403, "the button's form carries a CSRF token"
    page = person.get(link)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    confirmed = person.post(link, {"csrfmiddlewaretoken": csrf})

    assert confirmed.status_code == 200
    assert "Votre demande est confirmée" in confirmed.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.confirmed_at is not None


def test_a_tampered_confirmation_link_is_refused_on_the_button_too(territory_a):
    url = reverse("installations:confirm", kwargs={"territory_slug": territory_a.slug, "token": "abc:def"})
    response = Client().post(url)
    assert response.status_code == 404
    assert "Ce lien de confirmation n&#x27;est pas valide." in response.content.decode()
