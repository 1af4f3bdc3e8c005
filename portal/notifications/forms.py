from django import forms
from django.utils.translation import gettext_lazy as _

from portal.notifications.enums import EmailMode


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Recevoir les e-mails de notification"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        help_text=_("Les notifications restent toujours visibles dans votre espace, quel que soit votre choix."),
    )
