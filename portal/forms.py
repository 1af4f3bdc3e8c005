from html import escape as html_escape

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
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


def field_html(field) -> str:
    """A form field as `includes/field.html` writes it (label, help text, errors, the widget tied to
    them), in Python, for a page reloaded all day (the case list's filters: each include cost about
    0.3 ms). Check boxes and groups of choices keep the template."""
    from django.template.loader import render_to_string

    from portal.templatetags.portal_forms import accessible_widget

    if field.widget_type in ("checkbox", "radioselect", "checkboxselectmultiple"):
        return render_to_string("includes/field.html", {"field": field})
    errors, help_text = field.errors, field.help_text
    required = ""
    if field.field.required:
        hidden = html_escape(str(_("(obligatoire)")))
        required = f' <span aria-hidden="true">*</span><span class="visually-hidden">{hidden}</span>'
    parts = [
        f'<div class="field{" field-error" if errors else ""}">',
        f'<label for="{html_escape(str(field.id_for_label))}">{conditional_escape(field.label)}{required}</label>',
    ]
    if help_text:
        parts.append(f'<div class="help" id="{field.auto_id}_helptext">{conditional_escape(help_text)}</div>')
    if errors:
        messages = "".join(f"<p>{conditional_escape(error)}</p>" for error in errors)
        parts.append(f'<div class="error-text" id="{field.auto_id}_error">{messages}</div>')
    parts.append(str(accessible_widget(field)))
    parts.append("</div>")
    return mark_safe("\n".join(parts))  # noqa: S308 (every value escaped above)


def _attributes(attrs) -> str:
    """What django.forms.utils.flatatt writes (the valued attributes by name, then the boolean ones),
    without its format_html_join (a third of a select's writing)."""
    valued = sorted((name, value) for name, value in attrs.items() if value is not None and not isinstance(value, bool))
    flags = sorted(name for name, value in attrs.items() if value is True)
    return "".join(f' {name}="{conditional_escape(value)}"' for name, value in valued) + "".join(
        f" {name}" for name in flags
    )


class QuickTextInput(forms.TextInput):
    """A text <input> written in Python, as django/forms/widgets/input.html writes it (its template
    and the attributes' include were most of a text field's writing), for the case list's search."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        html = [f'<input type="{html_escape(self.input_type)}" name="{html_escape(name)}"']
        if value is not None:
            html.append(f' value="{conditional_escape(str(value))}"')
        for key, attr in self.build_attrs(self.attrs, attrs).items():
            if attr is True:
                html.append(f" {key}")
            elif attr is not False:
                html.append(f' {key}="{conditional_escape(str(attr))}"')
        return mark_safe("".join(html) + ">")  # noqa: S308 (every value escaped)


class QuickSelect(forms.Select):
    """A <select> written in Python, for pages reloaded all day (the coordinator's case list).

    Django renders each option through two templates (about 0.1 ms an option); this writes the same
    elements in one pass. Choices in groups (<optgroup>) keep Django's rendering.
    """

    def __init__(self, attrs=None, choices=(), *, fixed_choices=False):
        super().__init__(attrs, choices)
        # With `fixed_choices` (choices set where the field is declared, never per request), the
        # escaped options are kept per language, in a dict that every copy of the widget (each form
        # copies its fields) shares.
        self.fixed_choices = fixed_choices
        self.options_by_language: dict[str | None, list[tuple[str, str]]] = {}

    def _options(self):
        """(value, the escaped <option …> up to the selected mark and its escaped label), or None
        when the choices have groups."""
        language = get_language()
        if self.fixed_choices and language in self.options_by_language:
            return self.options_by_language[language]
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return None
        # html.escape as Django's escape does, without its lazy-text wrapper (a few µs an option).
        options = [
            (str(choice), f'<option value="{html_escape(str(choice))}"', f">{html_escape(str(label))}</option>")
            for choice, label in choices
        ]
        if self.fixed_choices:
            self.options_by_language[language] = options
        return options

    def render(self, name, value, attrs=None, renderer=None):
        options = self._options()
        if options is None:
            return super().render(name, value, attrs, renderer)
        final_attrs = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = set(self.format_value(value))
        options = "".join(
            f"{start} selected{end}" if choice in chosen else f"{start}{end}" for choice, start, end in options
        )
        return mark_safe(f"<select{_attributes(final_attrs)}>{options}</select>")  # noqa: S308 (escaped)
