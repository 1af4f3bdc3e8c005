"""portal.forms.QuickRenderer writes the simplest widgets in Python: the HTML must be Django's, byte
for byte, whatever the values (escaping, empty, checked, selected, attributes set to True/False)."""

import datetime

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portal.forms import QUICK_RENDERER, field_html


class Everything(forms.Form):
    text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off", "disabled": False}))
    email = forms.EmailField(required=False)
    number = forms.IntegerField(required=False)
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    ticked = forms.BooleanField(required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "readonly": True}), required=False)
    choice = forms.ChoiceField(choices=[("", "—"), ("a", "A & B"), ("<b>", '"quoted"'), (3, "three")])
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    grouped = forms.ChoiceField(choices=[("Group", [("g1", "G1"), ("g2", "G2")]), ("solo", "Solo")], required=False)
    upload = forms.FileField(required=False)
    radio = forms.ChoiceField(choices=[("x", "X <b>"), ("y", "Y")], widget=forms.RadioSelect, help_text="<aide>")
    boxes = forms.TypedMultipleChoiceField(
        choices=[(1, "un & deux"), (2, "deux")],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "k"}),
    )
    radio_groups = forms.ChoiceField(
        choices=[("Group", [("g1", "G1")]), ("solo", "Solo")], widget=forms.RadioSelect, required=False
    )
    agreed = forms.BooleanField(label="J'accepte <tout>", help_text="h")


class QuickEverything(Everything):
    default_renderer = QUICK_RENDERER


VALUES = [
    {},
    {
        "text": '<script>"x" & y</script>',
        "email": "a@b.fr",
        "number": "12",
        "when": "2026-03-01",
        "secret": "v1:abc",
        "ticked": "on",
        "body": "ligne 1\n<ligne 2>",
        "choice": "<b>",
        "many": ["x", "y"],
        "grouped": "g2",
        "radio": "y",
        "boxes": ["1", "2"],
        "radio_groups": "g1",
        "agreed": "on",
    },
    {"text": "", "body": "", "choice": "3", "many": ["y"], "radio": "z", "boxes": ["3"]},
]


@pytest.mark.parametrize("data", VALUES)
@pytest.mark.parametrize("bound", [True, False])
def test_quick_widgets_write_djangos_html(data, bound):
    initial = {"when": datetime.date(2026, 1, 2), "body": mark_safe("<i>déjà sûr</i>"), "text": "Zoé"}
    django_form = Everything(data if bound else None, initial=initial, prefix="p")
    quick_form = QuickEverything(data if bound else None, initial=initial, prefix="p")
    for name in Everything.base_fields:
        expected = django_form[name].as_widget(attrs={"aria-describedby": "p_help", "aria-invalid": "true"})
        written = quick_form[name].as_widget(attrs={"aria-describedby": "p_help", "aria-invalid": "true"})
        assert written == expected, name
        assert str(quick_form[name]) == str(django_form[name]), name


@pytest.mark.parametrize("data", VALUES)
@pytest.mark.parametrize("bound", [True, False])
def test_check_boxes_and_groups_of_choices_are_written_as_the_field_template_writes_them(data, bound):
    """portal.forms.field_html writes them in Python with includes/field.html's line ends."""
    form = QuickEverything(data if bound else None, initial={"radio": "x", "boxes": [2]}, prefix="p")
    for name in ("ticked", "radio", "boxes", "radio_groups", "agreed"):
        assert field_html(form[name]) == render_to_string("includes/field.html", {"field": form[name]}), name
