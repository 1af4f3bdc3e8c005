"""Forms of the applicant's pages: the guided request (one form per step), messages, uploads, and
the public eligibility question.

The request's steps are plain forms (not ModelForms): the case is only written once, by
`installations.services.submission.case_submit`, from the cleaned data of every step kept in the session.
"""

import datetime

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from installations.enums import HOUSEHOLD_NEEDS, CurrentSituation, NeedKind, StructureType
from installations.services.submission import household_retention
from portal import french
from portal.enums import PracticeMode, Profession
from portal.forms import CommuneSingleChoiceField, QuickSelect
from portal.models import Commune
from portal.privacy.selectors import duration_text
from portal.uploads import sniff_document
from portal.validators import validate_rpps


def _blank(label):
    return [("", label)]


class FrenchOrderIterator(ModelChoiceIterator):
    """The communes in French order ("Écausseville" among the E's, not after "Yvetot-Bocage")."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in french.sorted_by_name(self.queryset):
            yield self.choice(obj)


class CommuneChoiceField(forms.ModelMultipleChoiceField):
    iterator = FrenchOrderIterator

    def label_from_instance(self, obj):
        return obj.name


class ProfileStepForm(forms.Form):
    title = _("Vous")
    # Selects written in Python with their options escaped once per language (portal.forms.QuickSelect).
    profession = forms.ChoiceField(
        label=_("Profession"),
        choices=_blank(_("Choisissez…")) + Profession.choices,
        widget=QuickSelect(fixed_choices=True),
    )
    specialty = forms.CharField(
        label=_("Spécialité"),
        max_length=120,
        required=False,
        help_text=_("Pour un médecin spécialiste ou un interne, par exemple « pédiatrie »."),
    )
    current_situation = forms.ChoiceField(
        label=_("Situation actuelle"),
        choices=_blank(_("Choisissez…")) + CurrentSituation.choices,
        widget=QuickSelect(fixed_choices=True),
    )
    # Wider than the 11 stored digits: people paste numbers with spaces.
    rpps = forms.CharField(
        label=_("Numéro RPPS"),
        max_length=20,
        required=False,
        help_text=_("11 chiffres, si vous en avez un (il figure sur votre carte CPS)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, territory=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_rpps(self):
        value = "".join(self.cleaned_data["rpps"].split())
        if value:
            validate_rpps(value)
        return value


class ProjectStepForm(forms.Form):
    title = _("Votre projet")
    target_communes = CommuneChoiceField(
        label=_("Communes envisagées"),
        queryset=Commune.objects.none(),
        required=False,
        # Boxes in a box that scrolls (compact without JavaScript); commune_picker.js adds a search.
        widget=forms.CheckboxSelectMultiple(attrs={"class": "commune-picker"}),
        help_text=_("Cochez une ou plusieurs communes du territoire, ou aucune si vous n'avez pas encore choisi."),
    )
    planned_date = forms.DateField(
        label=_("Date d'installation envisagée"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Même approximative. Format : jj/mm/aaaa."),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    practice_mode = forms.ChoiceField(
        label=_("Mode d'exercice"),
        choices=_blank(_("Pas encore décidé")) + PracticeMode.choices,
        required=False,
        widget=QuickSelect(fixed_choices=True),
    )
    structure_type = forms.ChoiceField(
        label=_("Type de structure"),
        choices=_blank(_("Choisissez…")) + StructureType.choices,
        required=False,
        widget=QuickSelect(fixed_choices=True),
    )
    project_description = forms.CharField(
        label=_("Votre projet en quelques mots"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the communes of this territory can be chosen: a pk from elsewhere is refused.
        self.fields["target_communes"].queryset = (
            territory.communes.order_by("name") if territory is not None else Commune.objects.none()
        )

    def clean_planned_date(self):
        value = self.cleaned_data["planned_date"]
        if value and value < timezone.localdate() - datetime.timedelta(days=366):
            raise forms.ValidationError(_("Cette date est passée depuis plus d'un an : vérifiez l'année."))
        return value


class NeedsStepForm(forms.Form):
    """One checkbox per need, each followed by its optional details (shown once the need is ticked,
    by CSS alone: the page works the same without JavaScript)."""

    title = _("Vos besoins")
    legend = _("Pour quoi souhaitez-vous être aidé ?")

    def __init__(self, *args, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NeedKind:
            self.fields[f"need_{kind.value}"] = forms.BooleanField(label=kind.label, required=False)
            self.fields[f"details_{kind.value}"] = forms.CharField(
                # Short on screen under its box; screen readers hear which need it details.
                label=format_html(
                    '<span class="visually-hidden">{} — </span>{}', kind.label, _("Précisions (facultatif)")
                ),
                required=False,
                max_length=2000,
            )

    def clean(self):
        cleaned = super().clean()
        if not self.selected_needs(cleaned):
            raise forms.ValidationError(
                _("Cochez au moins un besoin : c'est ce qui permet au guichet de vous orienter."),
                code="no_need",
            )
        return cleaned

    @property
    def error_anchor(self) -> str:
        """Where the summary's "tick at least one need" link leads: the first box."""
        return self[f"need_{NeedKind.values[0]}"].id_for_label

    def need_rows(self):
        """(checkbox, details) bound fields, need by need, for the template's fieldset."""
        return [(self[f"need_{kind.value}"], self[f"details_{kind.value}"]) for kind in NeedKind]

    @staticmethod
    def selected_needs(cleaned):
        return [
            {"kind": kind.value, "details": cleaned.get(f"details_{kind.value}", "")}
            for kind in NeedKind
            if cleaned.get(f"need_{kind.value}")
        ]


class HouseholdStepForm(forms.Form):
    """Asked only when a household need (spouse's job, childcare) was ticked; needs explicit consent."""

    title = _("Votre foyer")
    spouse_profession = forms.CharField(
        label=_("Profession de votre conjoint ou conjointe"),
        max_length=150,
        required=False,
        help_text=_("Pour chercher avec vous un emploi qui lui corresponde."),
    )
    children_ages = forms.CharField(
        label=_("Âge des enfants"),
        max_length=100,
        required=False,
        help_text=_("Séparés par des virgules, par exemple : 3, 7. Pour trouver une crèche, une école."),
    )
    household_consent = forms.BooleanField(
        label=_(
            "J'accepte que ces informations sur mon foyer soient utilisées par le guichet unique et ses "
            "partenaires pour m'aider dans ces démarches."
        ),
        error_messages={
            "required": _("Cochez cette case pour que le guichet puisse utiliser les informations de votre foyer.")
        },
    )

    def __init__(self, *args, territory=None, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The period stated next to the consent box is the one the purge applies (one setting).
        self.fields["household_consent"].help_text = _(
            "Elles sont conservées %(duration)s au plus, puis effacées automatiquement. Vous pouvez retirer "
            "votre consentement à tout moment depuis votre espace : elles sont alors effacées."
        ) % {"duration": duration_text(household_retention().days)}
        if NeedKind.SPOUSE_JOB not in needs:
            del self.fields["spouse_profession"]
        if NeedKind.CHILDCARE not in needs:
            del self.fields["children_ages"]

    def clean_children_ages(self):
        raw = self.cleaned_data["children_ages"]
        ages = []
        for part in raw.replace(";", ",").split(","):
            part = part.strip().lower().removesuffix("ans").removesuffix("an").strip()
            if not part:
                continue
            if not part.isdigit() or int(part) > 25:
                raise forms.ValidationError(
                    _("Indiquez l'âge de chaque enfant en années, séparés par des virgules (par exemple : 3, 7).")
                )
            ages.append(int(part))
        return ages


def household_needs(needs):
    return [need["kind"] for need in needs if need["kind"] in HOUSEHOLD_NEEDS]


class ContactStepForm(forms.Form):
    title = _("Vos coordonnées")
    first_name = forms.CharField(
        label=_("Prénom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Nom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Vous recevrez un lien pour confirmer votre demande."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=30,
        required=False,
        help_text=_("Facultatif : pour que le guichet puisse vous rappeler."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, territory=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            # A signed-in person's case goes to their account: the e-mail is the account's.
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("L'adresse de votre compte.")
            self.fields["email"].initial = user.email

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        digits = [c for c in value if c.isdigit()]
        if value and not 9 <= len(digits) <= 15:
            raise forms.ValidationError(_("Ce numéro de téléphone ne semble pas complet (par exemple 06 12 34 56 78)."))
        return value


class ResendConfirmationForm(forms.Form):
    """ "Envoyée" page: send the confirmation e-mail again, to this address if corrected."""

    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Corrigez-la si elle est fausse : le lien de confirmation y sera envoyé."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Votre message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, PNG ou JPEG, 10 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Decided by the first bytes (and the extension must agree): a renamed .exe is refused.
        upload.sniffed_content_type = sniff_document(upload)
        return upload


class EligibilityForm(forms.Form):
    """Public question: which aids apply to this profession in this commune?"""

    profession = forms.ChoiceField(
        label=_("Votre profession"),
        choices=_blank(_("Choisissez…")) + Profession.choices,
        widget=QuickSelect(fixed_choices=True),
    )
    commune = CommuneSingleChoiceField(
        label=_("Commune d'installation"), queryset=Commune.objects.none(), empty_label=_("Choisissez…")
    )

    def __init__(self, *args, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = (
            territory.communes.order_by("name") if territory is not None else Commune.objects.none()
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi ? (facultatif)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : projet reporté, installation ailleurs. Cela aide le territoire."),
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je comprends que l'effacement est définitif."),
        error_messages={"required": _("Cochez cette case pour confirmer l'effacement de vos données.")},
    )
