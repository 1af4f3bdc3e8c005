"""Forms of training's public pages: a student's scholarship application, with one upload field
per document the programme asks for."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.enums import Profession
from portal.uploads import sniff_document
from training.enums_programmes import DocumentKind
from training.models import ScholarshipApplication, ScholarshipProgramme
from training.services.scholarships import document_field, missing_document_message

ACCEPTED = "application/pdf,image/png,image/jpeg"


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal shown on the form: next to its field when it names one, on top otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = ScholarshipApplication
        fields = ["studies", "study_year", "institution", "graduation_year", "motivation"]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, programme: ScholarshipProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        # Students' studies: the professions they train for.
        studies = self.fields["studies"]
        assert isinstance(studies, forms.ChoiceField)
        studies.choices = [("", "---------")] + [
            c for c in Profession.choices if c[0] not in (Profession.REPLACEMENT_DOCTOR, Profession.OTHER)
        ]
        year = dt.date.today().year
        self.fields["graduation_year"].widget.attrs.update({"min": year, "max": year + 12, "inputmode": "numeric"})
        # Required documents first; the others may be joined too. The form says which are needed
        # (the service checks again, and checks each file's content).
        required = list(programme.required_documents)
        for kind in required + [k for k in DocumentKind.values if k not in required]:
            label = str(DocumentKind(kind).label)
            self.fields[document_field(kind)] = forms.FileField(
                label=label,
                required=kind in required,
                error_messages={"required": missing_document_message(label)},
                help_text=_("PDF, PNG ou JPEG, 10 Mo au plus.")
                if kind in required
                else _("Facultatif. PDF, PNG ou JPEG, 10 Mo au plus."),
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
            )

    def clean_graduation_year(self):
        value = self.cleaned_data["graduation_year"]
        if value is not None and value < dt.date.today().year:
            raise forms.ValidationError(_("L'année de fin d'études ne peut pas être passée."))
        return value

    def clean(self):
        cleaned = super().clean()
        # Each file's content checked here too, so that every refusal shows at once (the service,
        # which is what decides, checks again).
        for kind in DocumentKind.values:
            name = document_field(kind)
            upload = cleaned.get(name)
            if upload:
                try:
                    sniff_document(upload)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def documents(self) -> dict[str, object]:
        return {kind: self.cleaned_data.get(document_field(kind)) for kind in DocumentKind.values}

    def application_fields(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
