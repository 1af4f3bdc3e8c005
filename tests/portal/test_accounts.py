"""Account pages (django-allauth in our theme): sign-up, e-mail confirmation, sign-in, throttling, MFA."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from portal.models import User
from tests.portal.factories import UserFactory
from tests.portal.test_theme import PageStructure, assert_accessible_page
from tests.totp import TOTP_SECRET, current_totp

PASSWORD = "une phrase de passe solide"


def signup(client, email="nouvelle@exemple.fr", password=PASSWORD, again=None):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": password, "password2": again or password}
    )


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def verified_user(email="medecin@exemple.fr", **kwargs):
    user = UserFactory(email=email, password=PASSWORD, **kwargs)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def field_errors(response, field_id):
    """The error text tied to a field (what aria-describedby points at)."""
    html = response.content.decode()
    match = re.search(rf'<div class="error-text" id="{field_id}_error">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)) if match else ""


def is_signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_signup_with_an_11_character_password_is_refused_with_a_french_message(client):
    response = signup(client, password="Ab3$efgh1jk")

    assert response.status_code == 200
    assert "au minimum 12 caractères" in field_errors(response, "id_password1")
    html = response.content.decode()
    assert 'aria-describedby="id_password1_error id_password1_helptext"' in html
    assert 'value="nouvelle@exemple.fr"' in html, "the e-mail typed is kept"
    assert not User.objects.filter(email="nouvelle@exemple.fr").exists()


@pytest.mark.django_db
def test_signup_page_says_passwords_need_12_characters(client):
    response = client.get(reverse("account_signup"))

    page = assert_accessible_page(response)
    html = response.content.decode()
    assert re.search(r'id="id_password1_helptext">[^<]*Au moins 12 caractères', html)
    assert [level for level, _ in page.headings] == [1]
    assert "Créer un compte" in page.headings[0][1]


@pytest.mark.django_db
def test_signup_with_an_email_already_registered_answers_like_a_new_one_and_mails_what_to_do(client):
    # Issue 10, defect 5: the sign-up page used to say "Un compte existe déjà avec cette adresse",
    # which tells anyone whether an address has an account. The answer is now the same as for a
    # new address; the owner of the address learns by e-mail how to get back into their account.
    verified_user(email="deja@exemple.fr")

    response = signup(client, email="Deja@exemple.fr")
    new = signup(client.__class__(), email="nouvelle@exemple.fr")

    assert response.status_code == new.status_code == 302
    assert response["Location"] == new["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="deja@exemple.fr").count() == 1
    message = next(m for m in mail.outbox if m.to == ["deja@exemple.fr"])
    assert message.subject == "[Guichet santé] Vous avez déjà un compte"
    assert "un compte existe déjà sur le guichet unique santé avec l'adresse deja@exemple.fr" in message.body.lower()
    assert "http://testserver/comptes/password/reset/" in message.body
    assert "http://testserver/comptes/login/" in message.body
    assert "!!MISSING" not in message.body and "account" not in message.body.lower()


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_answers_like_a_known_one_and_mails_what_to_do(client):
    # Issue 10, defect 5: "Cette adresse e-mail n'est pas associée à un compte" told who has one.
    verified_user()

    unknown = client.post(reverse("account_reset_password"), {"email": "inconnue@exemple.fr"})
    known = client.post(reverse("account_reset_password"), {"email": "medecin@exemple.fr"})

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == reverse("account_reset_password_done")
    message = next(m for m in mail.outbox if m.to == ["inconnue@exemple.fr"])
    assert message.subject == "[Guichet santé] Aucun compte avec cette adresse"
    assert "aucun compte n'existe sur le Guichet unique santé avec l'adresse inconnue@exemple.fr" in message.body
    assert "http://testserver/comptes/signup/" in message.body
    assert "!!MISSING" not in message.body and "account" not in message.body.lower()
    done = client.get(unknown["Location"])
    assert "Si un compte existe avec cette adresse" in done.content.decode()
    assert_accessible_page(done)


@pytest.mark.django_db
def test_signup_with_different_passwords_is_refused_in_french(client):
    response = signup(client, again="une autre phrase de passe")

    assert "le même mot de passe" in field_errors(response, "id_password2")


@pytest.mark.django_db
def test_signup_sends_the_verification_email_and_the_account_cannot_sign_in_before_confirming(client):
    response = signup(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle@exemple.fr"]
    assert message.subject.startswith("[Guichet santé] ")
    assert "/comptes/confirm-email/" in message.body
    assert "Pour confirmer votre adresse e-mail (nouvelle@exemple.fr)" in message.body
    assert "!!MISSING" not in message.body + message.subject
    assert not is_signed_in(client)
    page = client.get(response["Location"])
    assert "Vérifiez votre adresse e-mail" in page.content.decode()
    assert_accessible_page(page)

    other_browser = client.__class__()
    attempt = sign_in(other_browser, "nouvelle@exemple.fr")

    assert not is_signed_in(other_browser)
    assert attempt.status_code == 302
    assert attempt["Location"] == reverse("account_email_verification_sent")


@pytest.mark.django_db
def test_confirmation_link_confirms_the_address_and_lets_the_person_sign_in(client):
    signup(client)
    link = re.search(r"http://testserver(/comptes/confirm-email/[^/\s]+/)", mail.outbox[0].body).group(1)

    page = client.get(link)

    assert page.status_code == 200
    assert "Confirmer" in page.content.decode()
    assert_accessible_page(page)
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="nouvelle@exemple.fr").verified

    browser = client.__class__()
    response = sign_in(browser, "nouvelle@exemple.fr")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")  # which leads each person to their page
    assert is_signed_in(browser)


@pytest.mark.django_db
def test_wrong_password_is_refused_in_french_and_the_email_typed_is_kept(client):
    verified_user()

    response = sign_in(client, "medecin@exemple.fr", "pas le bon mot de passe")

    assert response.status_code == 200
    html = response.content.decode()
    assert "L&#x27;adresse e-mail ou le mot de passe est incorrect" in html
    assert 'class="error-summary"' in html
    assert 'value="medecin@exemple.fr"' in html
    assert 'name="password" autocomplete="current-password" required id="id_password"' in html, "never echoed"
    assert not is_signed_in(client)
    assert_accessible_page(response)


@pytest.mark.django_db
def test_signing_in_from_a_territory_page_brings_the_person_back_there(client, territory_a):
    verified_user()
    page = reverse("installations:aids", kwargs={"territory_slug": territory_a.slug})
    html = client.get(page).content.decode()
    login_link = re.search(r'href="(/comptes/login/[^"]*)"', html).group(1)
    assert login_link == "/comptes/login/?next=" + page.replace("/", "%2F")

    response = client.post(login_link.replace("&amp;", "&"), {"login": "medecin@exemple.fr", "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == page


@pytest.mark.django_db
def test_a_next_address_outside_the_portal_is_ignored(client):
    verified_user()
    response = client.post(
        "/comptes/login/?next=https://ailleurs.example/", {"login": "medecin@exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


@pytest.mark.django_db
def test_repeated_failed_logins_are_throttled_with_a_french_429_page(client):
    verified_user()
    for _ in range(5):  # ACCOUNT_RATE_LIMITS["login_failed"] allows 5 failures per 5 minutes
        assert sign_in(client, "medecin@exemple.fr", "mauvais essai").status_code == 200

    response = sign_in(client, "medecin@exemple.fr", "mauvais essai")

    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de tentatives" in html
    assert "Patientez quelques minutes" in html
    assert_accessible_page(response)
    # Even the right password waits: that is what makes guessing expensive.
    assert sign_in(client, "medecin@exemple.fr").status_code == 429
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_account_pages_render_in_french_inside_the_theme(client, login):
    anonymous_pages = [
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("account_reset_password_done"),
        reverse("account_email_verification_sent"),
    ]
    for url in anonymous_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_french_account_page(response)

    signed_in = login(verified_user())
    for url in [
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("account_logout"),
        reverse("mfa_index"),
        reverse("account_reauthenticate"),
    ]:
        response = signed_in.get(url)
        assert response.status_code == 200, url
        _assert_french_account_page(response)


def _assert_french_account_page(response):
    html = response.content.decode()
    page = assert_accessible_page(response)
    assert 'class="site-header"' in html, "allauth pages use the portal's base template"
    for english in ["Sign In", "Sign Up", "Password", "Email Address", "Forgot", "Remember Me", "Submit"]:
        assert english not in html, english
    assert page.headings[0][1]


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    verified_user()

    response = client.post(reverse("account_reset_password"), {"email": "medecin@exemple.fr"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Guichet santé] Choisissez un nouveau mot de passe"
    link = re.search(r"http://testserver(/comptes/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert_accessible_page(form_page)
    assert "Au moins 12 caractères" in form_page.content.decode()
    too_short = client.post(form_page.redirect_chain[-1][0], {"password1": "court", "password2": "court"})
    assert "au minimum 12 caractères" in field_errors(too_short, "id_password1")
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "nouvelle phrase de passe", "password2": "nouvelle phrase de passe"},
    )
    assert done.status_code == 302
    assert User.objects.get(email="medecin@exemple.fr").check_password("nouvelle phrase de passe")


@pytest.mark.django_db
def test_staff_without_totp_opening_the_admin_is_sent_to_mfa_activation_and_gets_in_once_enrolled(client):
    verified_user(email="coordination@exemple.fr", staff=True)
    assert sign_in(client, "coordination@exemple.fr").status_code == 302

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before adding a second factor.
    confirm = client.get(response["Location"], follow=True)
    assert confirm.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    html = confirm.content.decode()
    assert "Pour accéder à l&#x27;administration, activez d&#x27;abord la double authentification" in html
    assert_accessible_page(confirm)
    reauthenticated = client.post(confirm.redirect_chain[-1][0], {"password": PASSWORD})
    assert reauthenticated.status_code == 302
    activation = client.get(reauthenticated["Location"])
    assert activation.status_code == 200
    html = activation.content.decode()
    assert "Activer la double authentification" in html
    assert 'src="data:image/svg+xml;base64,' in html, "the QR code is an inline image allowed by img-src data:"
    assert_accessible_page(activation)
    secret = re.search(r'id="authenticator_secret"[^>]*>([A-Z2-7]+)</code>', html).group(1)

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert field_errors(wrong, "id_code")
    activated = client.post(reverse("mfa_activate_totp"), {"code": current_totp(secret)})

    assert activated.status_code == 302
    assert Authenticator.objects.filter(user__email="coordination@exemple.fr", type="totp").exists()
    codes = client.get(activated["Location"])
    assert codes.status_code == 200
    assert_accessible_page(codes)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_staff_with_totp_gets_into_the_admin(coordinator_a, login):
    response = login(coordinator_a).get("/admin/")

    assert response.status_code == 200


@pytest.mark.django_db
def test_signing_in_with_totp_asks_for_the_code_on_a_french_page(client):
    user = verified_user(email="coordination@exemple.fr", staff=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})

    response = sign_in(client, "coordination@exemple.fr")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    page = client.get(response["Location"])
    assert "Saisissez le code à 6 chiffres" in page.content.decode()
    assert_accessible_page(page)
    assert not is_signed_in(client)
    done = client.post(reverse("mfa_authenticate"), {"code": current_totp()})
    assert done.status_code == 302
    assert is_signed_in(client)


@pytest.mark.django_db
def test_email_management_groups_the_addresses_under_a_legend(login):
    client = login(verified_user())

    response = client.get(reverse("account_email"))

    page = PageStructure(response.content.decode())
    assert "<legend>Adresses associées à votre compte</legend>" in response.content.decode()
    assert page.unlabelled_inputs == []


@pytest.mark.django_db
def test_second_factor_management_pages_render_in_french_inside_the_theme(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = verified_user(email="coordination@exemple.fr", staff=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
    RecoveryCodes.activate(user)
    sign_in(client, "coordination@exemple.fr")
    client.post(reverse("mfa_authenticate"), {"code": current_totp()})
    # Managing the second factor asks for the password again (allauth's reauthentication).
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302

    for name in ["mfa_index", "mfa_view_recovery_codes", "mfa_generate_recovery_codes", "mfa_deactivate_totp"]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        _assert_french_account_page(response)
    codes = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert 'class="recovery-codes"' in codes
