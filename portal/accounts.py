"""How allauth's account pages behave and read in the portal (settings ACCOUNT_ADAPTER and ACCOUNT_FORMS)."""

from allauth.account import forms as allauth_forms
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

PASSWORD_HELP = _(
    "Au moins 12 caractères. Évitez un mot de passe courant, uniquement composé de chiffres "
    "ou proche de votre adresse e-mail. Une phrase de plusieurs mots est facile à retenir."
)
PASSWORD_AGAIN_HELP = _("Saisissez le même mot de passe une seconde fois.")


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_taken": _(
            "Un compte existe déjà avec cette adresse e-mail. Si c'est la vôtre, connectez-vous ou "
            "demandez un nouveau mot de passe."
        ),
        "email_password_mismatch": _(
            "L'adresse e-mail ou le mot de passe est incorrect. Vérifiez votre saisie (majuscules "
            "comprises) ou demandez un nouveau mot de passe."
        ),
    }

    def get_email_confirmation_url(self, request, emailconfirmation):
        # The page the person signed up from (`next`, checked to be on the portal) travels in the
        # link, so that confirming on another device (the phone where the mail is read) still
        # brings them back there; in the browser they signed up with they are also signed in
        # (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION).
        url = super().get_email_confirmation_url(request, emailconfirmation)
        next_url = safe_next_url(request)
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url

    def render_mail(self, template_prefix, email, context, headers=None):
        # The "you already have an account" mail (sign-up with a known address) links the sign-in page.
        request = context.get("request") or allauth_context.request
        context = {"login_url": request.build_absolute_uri(reverse("account_login")), **context}
        return super().render_mail(template_prefix, email, context, headers=headers)

    def pre_authenticate(self, request, **credentials):
        # allauth shows "too many attempts" as a form error; the portal answers 429 so that
        # throttling is visible to proxies and monitoring, with a French page explaining the wait.
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                raise ImmediateHttpResponse(respond_429(request)) from error
            raise


def safe_next_url(request) -> str:
    """The `next` of the request when it is a page of the portal, else ''."""
    if request is None:
        return ""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def _tidy(form, labels=None, help_texts=None):
    """Our labels are always visible: placeholders repeating them are noise (and low-contrast text)."""
    for name, field in form.fields.items():
        field.widget.attrs.pop("placeholder", None)
        if labels and name in labels:
            field.label = labels[name]
        if help_texts and name in help_texts:
            field.help_text = help_texts[name]


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The "forgotten password" link is shown under the form, not between label and input.
        _tidy(self, labels={"login": _("Adresse e-mail")}, help_texts={"password": ""})


class SignupForm(allauth_forms.SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _tidy(
            self,
            labels={
                "email": _("Adresse e-mail"),
                "password1": _("Mot de passe"),
                "password2": _("Confirmation du mot de passe"),
            },
            help_texts={
                "email": _("Vous recevrez un lien pour confirmer cette adresse avant de vous connecter."),
                "password1": PASSWORD_HELP,
                "password2": PASSWORD_AGAIN_HELP,
            },
        )


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _tidy(
            self,
            labels={
                "oldpassword": _("Mot de passe actuel"),
                "password1": _("Nouveau mot de passe"),
                "password2": _("Confirmation du nouveau mot de passe"),
            },
            help_texts={"oldpassword": "", "password1": PASSWORD_HELP, "password2": PASSWORD_AGAIN_HELP},
        )


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _tidy(
            self,
            labels={"password1": _("Mot de passe"), "password2": _("Confirmation du mot de passe")},
            help_texts={"password1": PASSWORD_HELP, "password2": PASSWORD_AGAIN_HELP},
        )


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _tidy(self, labels={"email": _("Adresse e-mail")})


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _tidy(
            self,
            labels={"password1": _("Nouveau mot de passe"), "password2": _("Confirmation du nouveau mot de passe")},
            help_texts={"password1": PASSWORD_HELP, "password2": PASSWORD_AGAIN_HELP},
        )


class AddEmailForm(allauth_forms.AddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _tidy(self, labels={"email": _("Nouvelle adresse e-mail")})
