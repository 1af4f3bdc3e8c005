"""What the prevention admin pages share: theme lists as check boxes, communes of the user's territories."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.enums import EDITOR_ROLES
from portal.models import Commune
from portal.tenancy.access import territory_ids_for
from prevention.enums import Audience, Theme


def choices_field(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


def themes_field(label):
    return choices_field(label, Theme.choices)


def audiences_field():
    return choices_field(_("publics visés"), Audience.choices)


def communes_of(request):
    """The communes a staff user may pick: those of the territories they work for (all for a superuser)."""
    if request.user.is_superuser:
        return Commune.objects.order_by("name")
    ids = territory_ids_for(request.user, roles=EDITOR_ROLES)
    return Commune.objects.filter(territories__in=ids).distinct().order_by("name")


def check_communes_in_territory(form, field_name="communes"):
    """A commune outside the row's territory is refused next to the field."""
    territory = form.cleaned_data.get("territory") or getattr(form.instance, "territory", None)
    chosen = form.cleaned_data.get(field_name)
    if territory is None or not chosen:
        return
    chosen = chosen if hasattr(chosen, "__iter__") else [chosen]
    covered = set(territory.communes.values_list("pk", flat=True))
    outside = [c.name for c in chosen if covered and c.pk not in covered]
    if outside:
        form.add_error(
            field_name,
            _("Hors du territoire : %(names)s.") % {"names": ", ".join(outside)},
        )
