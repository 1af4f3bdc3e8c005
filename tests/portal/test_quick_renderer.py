"""portal.forms.QuickRenderer writes the simplest widgets in Python: the HTML must be Django's, byte
for byte, whatever the values (escaping, empty, checked, selected, attributes set to True/False)."""

import datetime

import pytest
from django import forms
from django.utils.safestring import mark_safe

from portal.forms import QUICK_RENDERER


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
    },
    {"text": "", "body": "", "choice": "3", "many": ["y"]},
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
