"""The public offers' filters: level, commune, semester, type of site.

The list is the axis' busiest page, so its filter bar is a plain form whose fields are built once per
process and shared by every request's form (`portal.forms.SharedFieldsForm`); only the two fields whose
choices change (the semesters around today, the territory's communes) are copied per request. The
filters are written as queries here (django-filter deep-copied its filters and the form's fields at
each request: about a third of the page's building)."""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import french
from portal.forms import QuickSelect, SharedFieldsForm
from portal.models import Commune, Territory
from training.enums import HostSiteKind, TraineeLevel
from training.models import HostSite, Offer, OfferSite
from training.semesters import semester_choices

F = TypeVar("F", bound=forms.Field)


class CommuneIdField(forms.ChoiceField):
    """One commune among the choices read for this request, cleaned to its id: the choices' query is
    the only one (a ModelChoiceField would read the chosen commune again), and the refusal is a
    ModelChoiceField's."""

    default_error_messages = {"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]}
    ids: frozenset[str] = frozenset()  # the offered communes' ids, set on the request's copy

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None

    def validate(self, value: Any) -> None:
        if value is not None and str(value) not in self.ids:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class OfferFilterForm(SharedFieldsForm):
    # Selects written in Python (portal.forms.QuickSelect); the fixed ones escape their options once.
    level = forms.ChoiceField(
        label=_("Niveau"),
        required=False,
        choices=[("", _("Tous")), *TraineeLevel.choices],
        widget=QuickSelect(fixed_choices=True),
    )
    semester = forms.ChoiceField(label=_("Semestre"), required=False, widget=QuickSelect)
    commune = CommuneIdField(label=_("Commune"), required=False, widget=QuickSelect)
    site_kind = forms.ChoiceField(
        label=_("Type de lieu"),
        required=False,
        choices=[("", _("Tous")), *HostSiteKind.choices],
        widget=QuickSelect(fixed_choices=True),
    )

    def __init__(self, data: Any, *, territory: Territory) -> None:
        super().__init__(data)
        self.fields["semester"] = semester = self.copied_field(forms.ChoiceField, "semester")
        semester.choices = [("", _("Tous")), *semester_choices(around=timezone.localdate())]
        # Only the communes where the territory has host sites are offered (and accepted).
        communes = Commune.objects.filter(
            pk__in=HostSite.objects.for_territory(territory).filter(active=True).values("commune_id")
        ).values_list("pk", "name")
        rows = french.sorted_by_name(communes, name=lambda row: row[1])
        self.fields["commune"] = commune = self.copied_field(CommuneIdField, "commune")
        commune.choices = [("", _("Toutes")), *rows]
        commune.ids = frozenset(str(pk) for pk, _name in rows)

    def copied_field(self, kind: type[F], name: str) -> F:
        field = copy.copy(self.base_fields[name])  # type: ignore[attr-defined]
        assert isinstance(field, kind)
        field.widget = copy.copy(field.widget)
        return field


def filter_offers(offers: QuerySet[Offer], form: OfferFilterForm) -> QuerySet[Offer]:
    """The offers that match the form's valid values; a wrong value is refused next to its field and
    the other filters still apply (an unbound form filters nothing)."""
    if not form.is_bound:
        return offers
    form.is_valid()
    values = form.cleaned_data
    if values.get("level"):
        offers = offers.filter(level=values["level"])
    if values.get("semester"):
        offers = offers.filter(semester=values["semester"])
    # One EXISTS per site filter (an offer with a site in the commune and a site of that type, as the
    # joins did): no duplicate rows, so no DISTINCT and the page's window count stays right.
    if values.get("commune") is not None:
        sites = OfferSite.objects.filter(offer=OuterRef("pk"), host_site__commune_id=values["commune"])
        offers = offers.filter(Exists(sites))
    if values.get("site_kind"):
        offers = offers.filter(
            Exists(OfferSite.objects.filter(offer=OuterRef("pk"), host_site__kind=values["site_kind"]))
        )
    return offers
