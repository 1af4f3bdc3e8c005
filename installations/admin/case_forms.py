"""The case page's small forms, one per card (installations/admin/case_page.py). Plain forms whose
choices come from what the page has already read (`CasePageData`): a page with thirty needs asks
the database nothing more for its thirty forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from installations.enums import NeedKind, NeedState, ReferralAnswer
from portal.forms import QUICK_RENDERER

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def person_label(user) -> str:
    return user.get_full_name() or user.email


class CardForm(forms.Form):
    """A card's form: its inputs, text areas and selects written in Python (portal.forms.QuickRenderer),
    the same HTML as Django's templates; a case page has some forty of them."""

    default_renderer = QUICK_RENDERER


class VersionField(forms.CharField):
    """The snapshot of what the card showed (portal.concurrency)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)


class NeedForm(CardForm):
    state = forms.ChoiceField(label=_("État"))
    owner = forms.TypedChoiceField(label=_("Responsable"), coerce=int, empty_value=None, required=False)
    due_date = forms.DateField(label=_("Échéance"), required=False, widget=DATE_INPUT)
    details = forms.CharField(label=_("Précisions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()

    def __init__(self, *args, need, team, **kwargs):
        super().__init__(*args, prefix=f"need-{need.pk}", **kwargs)
        # "Orienté vers un partenaire" is set by the referral form, never chosen here.
        self.fields["state"].choices = [
            (value, label) for value, label in NeedState.choices if value != NeedState.REFERRED
        ] + ([(NeedState.REFERRED, NeedState.REFERRED.label)] if need.state == NeedState.REFERRED else [])
        owners = list(team)
        if need.owner is not None and need.owner not in owners:
            # Left the team since: still shown, so that saving the card does not drop them silently.
            owners.append(need.owner)
        self.fields["owner"].choices = [("", _("Personne"))] + [(user.pk, person_label(user)) for user in owners]


class ReferForm(CardForm):
    referent = forms.TypedChoiceField(
        label=_("Orienter vers"),
        coerce=int,
        help_text=_("Seuls les référents des organisations partenaires du territoire peuvent recevoir un besoin."),
    )
    message = forms.CharField(
        label=_("Message au référent (facultatif)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    contact_consent = forms.BooleanField(
        label=_("Le demandeur accepte que son e-mail et son téléphone soient transmis à ce partenaire"),
        required=False,
    )

    def __init__(self, *args, need, referents, **kwargs):
        super().__init__(*args, prefix=f"refer-{need.pk}", **kwargs)
        self.referents = {membership.pk: membership for membership in referents}
        self.fields["referent"].choices = [("", _("Choisissez un référent"))] + [
            (membership.pk, f"{person_label(membership.user)} — {membership.organisation.name}")
            for membership in referents
        ]

    def clean_referent(self):
        return self.referents[self.cleaned_data["referent"]]


class AnswerForm(CardForm):
    answer = forms.ChoiceField(
        label=_("Réponse du partenaire"),
        choices=[(value, label) for value, label in ReferralAnswer.choices if value],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motif ou précisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire pour un refus."),
    )

    def __init__(self, *args, prefix="answer", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)


class ThreadForm(CardForm):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, prefix="thread", label=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        if label:
            self.fields["body"].label = label


class AddNeedForm(CardForm):
    kind = forms.ChoiceField(label=_("Besoin"))
    details = forms.CharField(label=_("Précisions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, existing, **kwargs):
        super().__init__(*args, prefix="add-need", **kwargs)
        self.fields["kind"].choices = [("", _("Choisissez un besoin"))] + [
            (value, label) for value, label in NeedKind.choices if value not in existing
        ]


class MessageForm(CardForm):
    body = forms.CharField(
        label=_("Nouveau message au demandeur (il le verra et en sera averti)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="message", **kwargs)


class NoteForm(CardForm):
    body = forms.CharField(
        label=_("Nouvelle note interne (jamais montrée au demandeur)"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="note", **kwargs)


class DocumentForm(CardForm):
    file = forms.FileField(label=_("Fichier (PDF, PNG ou JPEG, 10 Mo au plus)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="document", **kwargs)


class LinksForm(CardForm):
    aids = forms.TypedMultipleChoiceField(
        label=_("Aides associées"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    opportunities = forms.TypedMultipleChoiceField(
        label=_("Opportunités liées"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = VersionField()

    def __init__(self, *args, aids, opportunities, **kwargs):
        super().__init__(*args, prefix="links", **kwargs)
        self.aids = {aid.pk: aid for aid in aids}
        self.opportunities = {opportunity.pk: opportunity for opportunity in opportunities}
        self.fields["aids"].choices = [(aid.pk, aid.name) for aid in aids]
        self.fields["opportunities"].choices = [(o.pk, o.title) for o in opportunities]


class FollowUpForm(CardForm):
    still_practising = forms.TypedChoiceField(
        label=_("Exerce toujours sur le territoire ?"),
        choices=[("yes", _("Oui")), ("no", _("Non")), ("unknown", _("Ne sait pas"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, follow_up, **kwargs):
        super().__init__(*args, prefix=f"followup-{follow_up.pk}", **kwargs)
