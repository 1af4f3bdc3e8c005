import functools
from collections.abc import Iterable
from html import escape as html_escape

from django import forms
from django.forms.forms import DeclarativeFieldsMetaclass
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal import french
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


def _escape(value) -> str:
    """django.utils.html.conditional_escape (safe text as it is, anything else through html.escape,
    as Django's escape), without the lazy-text wrapper of each call: the form writers below escape a
    few hundred values a page."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_escape(str(value))


def field_html(field) -> str:
    """A form field as `includes/field.html` writes it (label, help text, errors, the widget tied to
    them), in Python, for a page reloaded all day (the case list's filters: each include cost about
    0.3 ms). Check boxes and groups of choices are written with the template's line ends."""
    from portal.templatetags.portal_forms import accessible_widget

    errors, help_text, widget_type = field.errors, field.help_text, field.widget_type
    required = ""
    if field.field.required:
        hidden = html_escape(str(_("(obligatoire)")))
        required = f' <span aria-hidden="true">*</span><span class="visually-hidden">{hidden}</span>'
    label = f"{_escape(field.label)}{required}"
    error_css = " field-error" if errors else ""
    if widget_type in ("checkbox", "radioselect", "checkboxselectmultiple"):
        auto_id = html_escape(str(field.auto_id))
        help_html = ""
        if help_text:
            help_html = f'<div class="help" id="{auto_id}_helptext">{_escape(help_text)}</div>'
        errors_html = (
            f'<div class="error-text" id="{auto_id}_error">'
            + "".join(f"<p>{_escape(error)}</p>" for error in errors)
            + "</div>"
            if errors
            else ""
        )
        widget = accessible_widget(field)
        if widget_type == "checkbox":
            return mark_safe(  # noqa: S308 (every value escaped above)
                f'\n\n<div class="field field-checkbox{error_css}">\n  {widget}\n'
                f'  <label for="{html_escape(str(field.id_for_label))}">{label}</label>\n'
                f"  {help_html}\n  {errors_html}\n</div>\n\n\n"
            )
        return mark_safe(  # noqa: S308 (every value escaped above)
            f'\n\n\n<fieldset class="field field-group{error_css}">\n  <legend>{label}</legend>\n'
            f"  {help_html}\n  {errors_html}\n  {widget}\n</fieldset>\n\n\n"
        )
    parts = [
        f'<div class="field{error_css}">',
        f'<label for="{html_escape(str(field.id_for_label))}">{label}</label>',
    ]
    if help_text:
        parts.append(f'<div class="help" id="{field.auto_id}_helptext">{_escape(help_text)}</div>')
    if errors:
        messages = "".join(f"<p>{_escape(error)}</p>" for error in errors)
        parts.append(f'<div class="error-text" id="{field.auto_id}_error">{messages}</div>')
    parts.append(str(accessible_widget(field)))
    parts.append("</div>")
    return mark_safe("\n".join(parts))  # noqa: S308 (every value escaped above)


def _attributes(attrs) -> str:
    """What django.forms.utils.flatatt writes (the valued attributes by name, then the boolean ones),
    without its format_html_join (a third of a select's writing)."""
    valued = sorted((name, value) for name, value in attrs.items() if value is not None and not isinstance(value, bool))
    flags = sorted(name for name, value in attrs.items() if value is True)
    return "".join(f' {name}="{_escape(value)}"' for name, value in valued) + "".join(f" {name}" for name in flags)


class SharedFields(dict):
    """A form class's declared fields, which its forms share instead of deep-copying them."""

    def __deepcopy__(self, memo):
        return dict(self)


class _SharedFieldsMetaclass(DeclarativeFieldsMetaclass):
    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        new_class.base_fields = SharedFields(new_class.base_fields)
        return new_class


class SharedFieldsForm(forms.BaseForm, metaclass=_SharedFieldsMetaclass):
    """A form whose fields are built once per process and shared by all its forms (Django deep-copies
    every field and widget for each form: about 0.1 ms a field), for a filter bar on a page reloaded
    all day. Only for fields nothing changes once built (no per-request choices, attributes or
    queryset set on them): the form replaces such a field by a copy of its own (copy.copy of the
    field and of its widget) before setting them."""


class QuickTextInput(forms.TextInput):
    """A text <input> written in Python, as django/forms/widgets/input.html writes it (its template
    and the attributes' include were most of a text field's writing), for the case list's search."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        value = "" if value is None else f' value="{_escape(value)}"'
        kind, name, attrs = html_escape(self.input_type), html_escape(name), self.build_attrs(self.attrs, attrs)
        return mark_safe(f'<input type="{kind}" name="{name}"{value}{_attrs_html(attrs)}>')  # noqa: S308 (escaped)


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
        self.options_by_language: dict[str | None, _Options] = {}

    def _options(self):
        """(value, the escaped <option …> up to the selected mark and its escaped label), or None
        when the choices have groups."""
        language = get_language()
        if self.fixed_choices and language in self.options_by_language:
            return self.options_by_language[language]
        # Iterated, not list(): list() asks a ModelChoiceIterator its length, a COUNT query.
        choices = (*iter(self.choices),)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return None
        try:
            # Choices set per request (a territory's communes, its team) are the same from one
            # view to the next: their options are written once per language.
            options = _escaped_options(language, choices)
        except TypeError:  # a choice that cannot be a key
            options = _escaped_options.__wrapped__(language, choices)
        if self.fixed_choices:
            self.options_by_language[language] = options
        return options

    def render(self, name, value, attrs=None, renderer=None):
        options = self._options()
        if options is None:
            return super().render(name, value, attrs, renderer)
        final_attrs = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = set(self.format_value(value))
        # The same options, attributes and choice make the same <select>: kept with the options
        # (written once per language and choices), for a value among the choices only (a bounded
        # number of them; a value typed in the address is written each time).
        key = None
        if chosen <= options.values:
            try:
                key = (tuple(final_attrs.items()), frozenset(chosen))
                if (html := options.written.get(key)) is not None:
                    return html
            except TypeError:  # an attribute that cannot be a key
                key = None
        html = "".join(
            f"{start} selected{end}" if choice in chosen else f"{start}{end}" for choice, start, end in options
        )
        html = mark_safe(f"<select{_attributes(final_attrs)}>{html}</select>")  # noqa: S308 (escaped)
        if key is not None and len(options.written) < _WRITTEN_SELECTS:
            options.written[key] = html
        return html


# The <select>s kept per list of options (each attribute set and choice writes one).
_WRITTEN_SELECTS = 256


class _Options(list[tuple[str, str, str]]):
    """QuickSelect's escaped options (value, start, end), with the <select>s written from them."""

    def __init__(self, options: Iterable[tuple[str, str, str]]) -> None:
        super().__init__(options)
        self.values = frozenset(choice for choice, _start, _end in self)
        self.written: dict[tuple[object, ...], str] = {}


@functools.lru_cache(maxsize=64)
def _escaped_options(language, choices) -> _Options:
    """QuickSelect's options for `choices` in `language`: html.escape as Django's escape does,
    without its lazy-text wrapper (a few µs an option)."""
    return _Options(
        (str(choice), f'<option value="{html_escape(str(choice))}"', f">{html_escape(str(label))}</option>")
        for choice, label in choices
    )


_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in ("input", "text", "email", "url", "number", "password", "hidden", "date", "time", "checkbox", "file")
)


_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
_MULTIPLE_INPUT_TEMPLATES = frozenset(("django/forms/widgets/radio.html", "django/forms/widgets/checkbox_select.html"))
_INPUT_OPTION_TEMPLATES = frozenset(
    ("django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html")
)


def _attrs_html(attrs) -> str:
    # django/forms/widgets/attrs.html: False drops the attribute, True writes its name alone.
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickRenderer(DjangoTemplates):
    """Django's form renderer, with the simplest widgets (inputs, text areas, selects and groups of
    radio buttons or check boxes, without <optgroup>s) written in Python from the context Django
    builds for them: the same HTML as Django's widget templates (django/forms/templates/django/forms/
    widgets/), without three template renderings a field and one an option. For pages with many
    small forms, such as the coordinator's case page (about 0.4 ms a widget through the templates).
    Any other template goes to Django's."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name in _INPUT_TEMPLATES:
            value = widget["value"]
            value = "" if value is None else f' value="{_escape(value)}"'
            kind, name, attrs = _escape(widget["type"]), _escape(widget["name"]), widget["attrs"]
            return f'<input type="{kind}" name="{name}"{value}{_attrs_html(attrs)}>'
        if template_name == "django/forms/widgets/textarea.html":
            value = _escape(widget["value"]) if widget["value"] else ""
            name, attrs = _escape(widget["name"]), _attrs_html(widget["attrs"])
            return f'<textarea name="{name}"{attrs}>\n{value}</textarea>'
        if template_name == "django/forms/widgets/select.html" and all(
            not group and all(option["template_name"] == _OPTION_TEMPLATE for option in options)
            for group, options, _index in widget["optgroups"]
        ):
            options = "".join(
                f'\n  <option value="{_escape(option["value"])}"{_attrs_html(option["attrs"])}>'
                f"{_escape(option['label'])}</option>\n"  # the option template's last line end
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            )
            name, attrs = _escape(widget["name"]), _attrs_html(widget["attrs"])
            return f'<select name="{name}"{attrs}>{options}\n</select>'
        if template_name in _MULTIPLE_INPUT_TEMPLATES and all(
            not group and all(option["template_name"] in _INPUT_OPTION_TEMPLATES for option in options)
            for group, options, _index in widget["optgroups"]
        ):
            return _multiple_input_html(widget)
        return super().render(template_name, context, request)


QUICK_RENDERER = QuickRenderer()


def _multiple_input_html(widget) -> str:
    """django/forms/widgets/multiple_input.html with its radio or check box options (input_option.html):
    each input in its label, the line ends where the templates leave them."""
    options = []
    for _group, group_options, _index in widget["optgroups"]:
        for option in group_options:
            attrs = option["attrs"]
            value = "" if option["value"] is None else f' value="{_escape(option["value"])}"'
            tag = (
                f'<input type="{_escape(option["type"])}" name="{_escape(option["name"])}"'
                f"{value}{_attrs_html(attrs)}>\n"
            )
            if option["wrap_label"]:
                label_for = f' for="{_escape(attrs["id"])}"' if attrs.get("id") else ""
                tag = f"<label{label_for}>{tag} {_escape(option['label'])}</label>"
            options.append(f"<div>\n    {tag}\n\n</div>")
    id_ = widget["attrs"].get("id")
    css = widget["attrs"].get("class")
    head = (f' id="{_escape(id_)}"' if id_ else "") + (f' class="{_escape(css)}"' if css else "")
    return f"<div{head}>{''.join(options)}\n</div>"


class CommuneNameIterator(ModelChoiceIterator):
    """The communes as (id, name) in French order, read without building a model per commune (the
    public pages list up to ~250 of them at each request) and without a server-side cursor."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from french.sorted_by_name(self.queryset.values_list("pk", "name"), name=lambda row: row[1])

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class CommuneSingleChoiceField(forms.ModelChoiceField):
    """One commune among a queryset's, in French order, its <select> written in Python."""

    iterator = CommuneNameIterator
    widget = QuickSelect
