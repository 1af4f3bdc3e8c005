from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import ProfessionalProfile, User


class IdentityForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }


class ProfessionalProfileForm(forms.ModelForm):
    # Wider than the 11 stored digits: people paste numbers with spaces, removed in clean_rpps.
    rpps = forms.CharField(
        label=_("numéro RPPS"),
        max_length=20,
        required=False,
        help_text=_("11 chiffres, si vous en avez un."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = ProfessionalProfile
        fields = ["profession", "specialty", "rpps", "practice_mode"]
        help_texts = {"specialty": _("Pour un médecin spécialiste ou un interne : la spécialité.")}

    def clean_rpps(self):
        # People paste numbers with spaces; keep only what matters before validating.
        return "".join(self.cleaned_data["rpps"].split())
