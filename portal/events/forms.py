from django import forms
from django.utils.translation import gettext_lazy as _


class AnonymousRegistrationForm(forms.Form):
    """A person without an account: their name and the address the confirmation link goes to."""

    name = forms.CharField(
        label=_("Nom et prénom"),
        max_length=200,
        error_messages={"required": _("Indiquez votre nom et votre prénom.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Vous recevrez un lien pour confirmer votre inscription, puis le rappel avant l'événement."),
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
