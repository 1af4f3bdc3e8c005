"""The student's forms: register a placement on an offer, ask for housing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from training.enums import HousingKind
from training.models import Offer
from training.semesters import check_dates_in_semester


def _date_field(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label, help_text=help_text, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class PlacementForm(forms.Form):
    start_date = _date_field(_("Date d'arrivée"))
    end_date = _date_field(_("Date de fin du stage"))
    needs_housing = forms.BooleanField(label=_("J'ai besoin d'un logement"), required=False)
    needs_transport = forms.BooleanField(label=_("J'ai besoin d'une solution de transport"), required=False)
    needs_welcome = forms.BooleanField(
        label=_("Je souhaite être accueilli (soirée d'accueil, kit d'accueil)"), required=False
    )
    note = forms.CharField(
        label=_("Précisions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que le territoire doit savoir pour vous accueillir (facultatif)."),
    )

    def __init__(self, *args: Any, offer: Offer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer = offer
        semester = offer.semester_label
        self.fields["start_date"].help_text = _("Dans le semestre : %(semester)s.") % {"semester": semester}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        errors = check_dates_in_semester(self.offer.semester, data.get("start_date"), data.get("end_date"))
        for name, message in errors.items():
            self.add_error(name, message)
        return data


class HousingRequestForm(forms.Form):
    start_date = _date_field(_("Arrivée dans le logement"))
    end_date = _date_field(_("Départ du logement"), _("Le jour où vous rendez les clés."))
    wanted_kind = forms.ChoiceField(
        label=_("Type de logement souhaité"),
        choices=[("", _("Peu importe")), *HousingKind.choices],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("Le départ doit être au moins le lendemain de l'arrivée."))
        return data
