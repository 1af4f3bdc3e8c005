"""The portal's small admin and form helpers, checked against what Django itself does."""

import re

from django import forms
from django.contrib import admin
from django.test import RequestFactory

from portal.forms import QuickSelect
from portal.tenancy.admin import admin_context_without_sidebar


def test_the_admin_context_without_sidebar_has_the_keys_of_djangos(db):
    from tests.portal.factories import UserFactory

    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    ours = admin_context_without_sidebar(admin.site, request)
    django = admin.site.each_context(request)
    # A new key in a Django upgrade shows here (the case list's page would miss it).
    assert ours.keys() == django.keys()
    assert {k: v for k, v in ours.items() if k not in ("available_apps", "log_entries", "is_nav_sidebar_enabled")} == {
        k: v for k, v in django.items() if k not in ("available_apps", "log_entries", "is_nav_sidebar_enabled")
    }
    assert ours["available_apps"] == [] and ours["is_nav_sidebar_enabled"] is False


class _Form(forms.Form):
    choice = forms.ChoiceField(
        choices=[("", "Toutes"), ("a", "Alpha <&>"), ("b", "Bêta")], required=False, label="Choix"
    )


def test_quick_select_writes_the_options_django_would_write():
    form = _Form({"choice": "b"})
    field = form["choice"]
    quick = field.as_widget(widget=QuickSelect(choices=field.field.choices), attrs={"aria-invalid": "true"})
    django = field.as_widget(attrs={"aria-invalid": "true"})
    # The same <select> attributes (in another order) and the same options.
    (quick_attrs, quick_options), (django_attrs, django_options) = (
        re.fullmatch(r"<select([^>]*)>(.*)</select>", html.replace("\n", "").replace("  ", "")).groups()
        for html in (quick, django)
    )
    assert sorted(quick_attrs.split()) == sorted(django_attrs.split())
    assert quick_options == django_options
    assert '<option value="b" selected>Bêta</option>' in quick and "Alpha &lt;&amp;&gt;" in quick


def test_quick_select_written_again_marks_each_views_choice():
    # The <select>s written for the same options are kept: each view still marks its own choice,
    # and a value that is not a choice (typed in the address) marks none.
    widget = QuickSelect(choices=_Form.base_fields["choice"].choices, fixed_choices=True)
    for value, selected in [("a", "a"), ("b", "b"), ("a", "a"), ("zz", None), ("", "")]:
        html = widget.render("choice", value, attrs={"id": "id_choice"})
        assert html.count(" selected") == (0 if selected is None else 1)
        if selected is not None:
            assert f'<option value="{selected}" selected>' in html
    assert widget.render("other", "a").startswith('<select name="other">')
