"""Optimistic concurrency for edit forms: nothing silently overwritten.

A form carries, in a hidden `version` field, a signed snapshot of the values it showed (`version_token`).
When it comes back, the values stored now are compared with that snapshot (`stale_changes`): if one of
them changed in between, the save is refused with a French message that says who changed what and
when (`stale_error`), the person's input is kept, and the form carries the current snapshot, so that
saving again is a deliberate choice over the new values. Only the fields a form shows are compared:
two forms that write different things (a note, the aids) never refuse each other.

A comparison rather than a version column: it needs no migration on each model, it covers
many-to-many links (the aids of a case) and it tells which fields changed. `VersionedModelForm` applies
it to any ModelForm (every governance admin form); the case page's cards call the functions directly,
under the row lock their service takes.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

SALT = "portal.concurrency.version"
FIELD_NAME = "version"


def _plain(value: Any) -> Any:
    """A value as JSON keeps it and as two reads of the same data give it identically."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (models.QuerySet, list, tuple, set, frozenset)):
        return sorted(_plain(item) for item in value)
    if isinstance(value, datetime.datetime):
        # The same instant read from the database (UTC) and from a form (local time, no microseconds).
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def model_values(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The stored values of `names` on `instance`: a foreign key's id, a many-to-many's sorted ids."""
    values: dict[str, Any] = {}
    for name in names:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else []
        elif field.is_relation:
            values[name] = getattr(instance, field.attname)  # type: ignore[union-attr]
        else:
            values[name] = getattr(instance, name)
    return {name: _plain(value) for name, value in values.items()}


def version_token(values: Mapping[str, Any]) -> str:
    """The signed snapshot a form carries: the values it shows and when they were read."""
    payload = {"v": {name: _plain(value) for name, value in values.items()}, "t": timezone.now().isoformat()}
    return signing.dumps(payload, salt=SALT, compress=True)


@dataclass
class Stale:
    """What changed since a form was read: the fields, the values the form had shown, when it read them."""

    fields: list[str]
    read_at: datetime.datetime | None
    shown: dict[str, Any]


def stale_changes(token: str | None, current: Mapping[str, Any]) -> Stale | None:
    """None when the values stored now are those the form showed; else what changed. A missing or
    forged token counts as stale on every field: the form cannot say what it showed."""
    try:
        payload = signing.loads(token or "", salt=SALT)
        shown, read_at = payload["v"], datetime.datetime.fromisoformat(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Stale(fields=list(current), read_at=None, shown={})
    changed = [name for name, value in current.items() if name in shown and shown[name] != _plain(value)]
    return Stale(fields=changed, read_at=read_at, shown=shown) if changed else None


@dataclass
class LastChange:
    who: str
    at: datetime.datetime


class StaleEdit(ValidationError):
    """The refusal of a save over a newer version, with what a form needs to be shown again: what
    changed (`stale`) and the values stored now (`current`, by field name)."""

    stale: Stale
    current: dict[str, Any]


def stale_error(
    stale: Stale,
    *,
    what: str,
    labels: Mapping[str, str],
    now_shown: Mapping[str, str],
    last: LastChange | None,
    current: Mapping[str, Any] | None = None,
) -> StaleEdit:
    """The refusal, in French: who changed what and when, each changed field with its value now."""
    if last is not None:
        intro = _("%(what)s a été modifié par %(who)s à %(time)s depuis que vous l'avez ouvert.") % {
            "what": what,
            "who": last.who,
            "time": formats.date_format(timezone.localtime(last.at), "H \\h i"),
        }
    else:
        intro = _("%(what)s a été modifié depuis que vous l'avez ouvert.") % {"what": what}
    changes = "; ".join(
        _("%(field)s : désormais « %(value)s »") % {"field": labels.get(name, name), "value": now_shown.get(name, "—")}
        for name in stale.fields
    )
    error = StaleEdit(
        "%(intro)s %(changes)s. %(advice)s",
        code="stale",
        params={
            "intro": intro,
            "changes": changes[:1].upper() + changes[1:],
            "advice": _(
                "Votre saisie est conservée ci-dessous, avec ces changements là où vous n'aviez rien modifié : "
                "vérifiez puis enregistrez à nouveau, ou rechargez la page pour repartir de la version actuelle."
            ),
        },
    )
    error.stale, error.current = stale, dict(current or {})
    return error


def field_label(instance: models.Model | type[models.Model], name: str) -> str:
    """A model field's name as a person reads it."""
    field: Any = instance._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def shown_value(instance: models.Model, name: str) -> str:
    """A field's stored value as a person reads it (a choice's label, a linked object's name)."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(item) for item in getattr(instance, name).all()) or "—"
    if getattr(field, "choices", None):
        return str(getattr(instance, f"get_{name}_display")()) or "—"
    value = getattr(instance, name)
    if value in (None, ""):
        return "—"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return formats.localize(timezone.localtime(value) if isinstance(value, datetime.datetime) else value)
    return str(value)


def last_admin_change(instance: models.Model, since: datetime.datetime | None) -> LastChange | None:
    """Who last changed `instance` in the admin after `since` (Django's admin log)."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    )
    if since is not None:
        entries = entries.filter(action_time__gt=since)
    entry = entries.select_related("user").order_by("-action_time").first()
    if entry is None:
        return None
    user: Any = entry.user
    return LastChange(who=user.get_full_name() or user.email, at=entry.action_time)


def _put(data: Any, form: forms.BaseForm, name: str, value: Any) -> None:
    """Writes `value` in a form's data as the browser would post it."""
    field, key = form.fields[name], form.add_prefix(name)
    widget, prepared = field.widget, field.prepare_value(value)
    if isinstance(widget, forms.CheckboxInput):
        if prepared:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif isinstance(widget, forms.MultiWidget):
        names: list[str] = getattr(widget, "widgets_names", [])
        parts = widget.decompress(prepared) or [None] * len(names)
        for suffix, subwidget, part in zip(names, widget.widgets, parts, strict=True):
            data[f"{key}{suffix}"] = subwidget.format_value(part) or ""
    elif isinstance(prepared, (list, tuple)):
        data.setlist(key, [str(item) for item in prepared])
    else:
        data[key] = widget.format_value(prepared) or ""


def show_again(form: forms.BaseForm, error: StaleEdit, *, raw: Mapping[str, Any] | None = None) -> None:
    """A refused form is shown again with what the person typed, the other person's changes carried
    into the fields this person had left as they were, and the current snapshot: saving it again is
    a choice made over the values now stored. `raw` gives the stored values as the form's fields take
    them when they differ from `error.current` (a datetime, rather than its text)."""
    data = form.data.copy()  # type: ignore[attr-defined]
    cleaned = getattr(form, "cleaned_data", {})
    for name in error.stale.fields:
        untouched = name in cleaned and name in error.stale.shown and _plain(cleaned[name]) == error.stale.shown[name]
        if untouched and name in form.fields:
            _put(data, form, name, (raw or error.current)[name])
    data[form.add_prefix(FIELD_NAME)] = version_token(error.current)
    form.data = data


class VersionedFormMixin:
    """For a ModelForm: a hidden `version` field, checked in `clean()` against the row re-read (under
    a lock when a transaction is open, as the admin's saves are). Override `version_fields` (default:
    the form's fields that are model fields), `version_what` or `last_change`."""

    version_what: Any = ""  # a text, possibly lazy
    version_fields: tuple[str, ...] | None = None
    stale: Stale | None = None

    instance: models.Model
    fields: dict[str, forms.Field]
    is_bound: bool
    add_error: Callable[..., None]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.setdefault(FIELD_NAME, forms.CharField(widget=forms.HiddenInput, required=False))
        if self.instance.pk is not None:
            self.fields[FIELD_NAME].initial = version_token(self._stored_values(self.instance))

    def _versioned_names(self) -> list[str]:
        if self.version_fields is not None:
            return list(self.version_fields)
        names = []
        for name in self.fields:
            if name == FIELD_NAME:
                continue
            try:
                self.instance._meta.get_field(name)
            except FieldDoesNotExist:  # a form field that is not a model field
                continue
            names.append(name)
        return names

    def _stored_values(self, instance: models.Model) -> dict[str, Any]:
        return model_values(instance, self._versioned_names())

    def last_change(self, instance: models.Model, since: datetime.datetime | None) -> LastChange | None:
        return last_admin_change(instance, since)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        if self.instance.pk is None:
            return cleaned
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if connection.in_atomic_block:
            rows = rows.select_for_update(of=("self",))
        stored = rows.first()
        if stored is None:
            return cleaned
        current = self._stored_values(stored)
        self.stale = stale_changes(cleaned.get(FIELD_NAME), current)
        if self.stale is not None:
            labels = {name: field_label(self.instance, name) for name in current}
            what = self.version_what or _("Cet élément (%(name)s)") % {"name": stored}
            error = stale_error(
                self.stale,
                what=what,
                labels=labels,
                now_shown={name: shown_value(stored, name) for name in self.stale.fields},
                last=self.last_change(stored, self.stale.read_at),
                current=current,
            )
            self.add_error(None, error)
            raw = {name: self.instance._meta.get_field(name).value_from_object(stored) for name in current}  # type: ignore[union-attr]
            show_again(self, error, raw=raw)  # type: ignore[arg-type]
        return cleaned


class VersionedModelForm(VersionedFormMixin, forms.ModelForm):
    """A ModelForm whose saves are refused over a newer version (see the module's docstring)."""

    # Declared, so that the admin's field lists (built from the form's declared fields) include it.
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class VersionedAdminMixin:
    """For a ModelAdmin whose form is a `VersionedModelForm`: the hidden field is written in the
    page even when the admin names its fields or fieldsets."""

    def get_fieldsets(self, request: Any, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if obj is None or any(FIELD_NAME in options.get("fields", ()) for _name, options in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options.get("fields", ()), FIELD_NAME]}), *rest]
