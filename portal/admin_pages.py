"""What every page of the back office needs to be read by everyone, whatever the app: French titles
that say what the page is for, and every field labelled for assistive technologies.

Django's admin writes "Sélectionnez l'objet réunion à changer" and "Modification de organisation";
its split date/time widgets and the fields of its tabular inlines have no label a screen reader
can read (the table header is not one); its autocomplete and two-box selectors add unlabelled
controls in JavaScript (fixed by static/admin_extra/accessible.js). `TerritoryScopedAdmin` and
`TerritoryScopedInline` apply this, so every app's admin gets it without thinking about it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.utils.text import capfirst
from django.utils.translation import gettext as _

ACCESSIBLE_JS = "admin_extra/accessible.js"


def label_widget(field: forms.Field | None, *, in_table: bool = False) -> forms.Field | None:
    """Gives the inputs a field draws an accessible name: each half of a split date/time widget,
    and, in a table row where the label is only a column header, the field itself."""
    if field is None:
        return None
    label = str(field.label or "")
    widget = field.widget
    if isinstance(widget, admin_widgets.RelatedFieldWidgetWrapper):
        widget = widget.widget
    if isinstance(widget, forms.MultiWidget):
        parts = (_("date"), _("heure")) if isinstance(widget, forms.SplitDateTimeWidget) else ()
        for index, sub in enumerate(widget.widgets):
            part = parts[index] if index < len(parts) else str(index + 1)
            sub.attrs.setdefault("aria-label", f"{label} — {part}")
    elif in_table and label:
        widget.attrs.setdefault("aria-label", label)
    return field


class AdminPageTitles:
    """French titles saying what each page is for: the list is "Réunions", an object's page
    "Réunion" (its name is the subtitle under it), a new one "Création : réunion"."""

    model: Any

    def changelist_view(self, request: Any, extra_context: dict[str, Any] | None = None) -> Any:
        context = {"title": capfirst(self.model._meta.verbose_name_plural), **(extra_context or {})}
        return super().changelist_view(request, context)  # type: ignore[misc]

    def changeform_view(
        self,
        request: Any,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        name = self.model._meta.verbose_name
        title = capfirst(name) if object_id else _("Création : %(name)s") % {"name": name}
        context = {"title": title, **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, context)  # type: ignore[misc]
