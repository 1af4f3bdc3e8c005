"""portal/concurrency.py: the signed snapshot a form carries, what counts as a change, and how a refused
form is shown again."""

import datetime

from django import forms
from django.http import QueryDict
from django.utils import timezone

from portal.concurrency import show_again, stale_changes, stale_error, version_token


class ExampleForm(forms.Form):
    title = forms.CharField()
    public = forms.BooleanField(required=False)
    starts_at = forms.SplitDateTimeField(widget=forms.SplitDateTimeWidget)
    tags = forms.TypedMultipleChoiceField(choices=[(1, "a"), (2, "b"), (3, "c")], coerce=int, required=False)
    version = forms.CharField(required=False)


def test_unchanged_values_are_not_stale_and_a_changed_one_is_named():
    shown = {"title": "Séance", "tags": [2, 1]}
    token = version_token(shown)
    assert stale_changes(token, {"title": "Séance", "tags": [1, 2]}) is None
    stale = stale_changes(token, {"title": "Séance d'automne", "tags": [1, 2]})
    assert stale.fields == ["title"] and stale.shown["title"] == "Séance"


def test_a_datetime_is_the_same_instant_in_utc_and_in_local_time_without_microseconds():
    moment = datetime.datetime(2027, 3, 12, 17, 0, 0, 123456, tzinfo=datetime.UTC)
    token = version_token({"starts_at": moment})
    assert stale_changes(token, {"starts_at": timezone.localtime(moment).replace(microsecond=0)}) is None


def test_a_forged_or_missing_token_is_stale_on_every_field():
    for token in ("", None, "forged", version_token({"title": "x"})[:-2] + "zz"):
        assert stale_changes(token, {"title": "x", "tags": []}).fields == ["title", "tags"]


def test_shown_again_keeps_the_input_and_takes_the_others_changes_where_nothing_was_touched():
    moment = timezone.make_aware(datetime.datetime(2027, 3, 12, 18, 0))
    token = version_token({"title": "Séance", "public": False, "starts_at": moment, "tags": [1]})
    posted = QueryDict(mutable=True)
    posted.update({"title": "Séance d'automne", "starts_at_0": "2027-03-12", "starts_at_1": "18:00", "version": token})
    posted.setlist("tags", ["1"])
    form = ExampleForm(posted)
    assert form.is_valid()
    current = {"title": "Séance", "public": True, "starts_at": moment + datetime.timedelta(hours=1), "tags": [1, 3]}
    stale = stale_changes(token, current)
    assert stale.fields == ["public", "starts_at", "tags"]

    error = stale_error(stale, what="Ce dossier", labels={}, now_shown={}, last=None, current=current)
    show_again(form, error)

    again = ExampleForm(form.data)
    assert again.data["title"] == "Séance d'automne"  # typed, kept
    assert again.data["public"] == "on" and again.data.getlist("tags") == ["1", "3"]
    assert (again.data["starts_at_0"], again.data["starts_at_1"]) == ("12/03/2027", "19:00:00")
    assert stale_changes(again.data["version"], current) is None
    assert "Ce dossier a été modifié depuis que vous l'avez ouvert." in error.messages[0]
