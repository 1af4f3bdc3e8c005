"""Filters (django-filter) of the public agenda and of the initiatives list. A wrong value is
refused next to its field, in French, and the other filters still apply; the iCalendar feed takes
the same filters and answers 400 with the same messages."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.events.models import Event
from portal.filtering import CommuneChoiceFilter
from portal.forms import QuickSelect
from portal.models import Commune
from prevention.enums import InitiativeStatus, Theme
from prevention.models import Initiative

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UPCOMING, PAST, ALL = "a-venir", "passes", "tous"


class CommuneByName(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AgendaForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("du"), data.get("au")
        if start and end and end < start:
            self.add_error("au", _("La date de fin doit être après la date de début."))
        return data


def _territory_communes(filterset, territory) -> None:
    # Only the territory's communes are offered (and accepted): a commune of another territory is
    # refused as an invalid choice, like garbage.
    filterset.filters["commune"].queryset = (
        territory.communes.all() if territory is not None else Commune.objects.none()
    )


class AgendaFilter(django_filters.FilterSet):
    # Selects written in Python (portal.forms.QuickSelect): the agenda is the axis' busiest page.
    theme = django_filters.ChoiceFilter(
        label=_("Thème"),
        choices=Theme.choices,
        empty_label=_("Tous"),
        field_name="prevention_details__theme",
        widget=QuickSelect(fixed_choices=True),
    )
    commune = CommuneChoiceFilter(label=_("Commune"), queryset=Commune.objects.none(), empty_label=_("Toutes"))
    du = django_filters.DateFilter(
        label=_("À partir du"), field_name="starts_at", lookup_expr="date__gte", widget=DATE_WIDGET
    )
    au = django_filters.DateFilter(
        label=_("Jusqu'au"), field_name="starts_at", lookup_expr="date__lte", widget=DATE_WIDGET
    )
    quand = django_filters.ChoiceFilter(
        label=_("Événements"),
        choices=[(UPCOMING, _("à venir")), (PAST, _("passés")), (ALL, _("tous"))],
        empty_label=None,
        method="filter_when",
        widget=QuickSelect(fixed_choices=True),
    )

    class Meta:
        model = Event
        fields = ["theme", "commune", "du", "au", "quand"]
        form = AgendaForm

    def __init__(self, data=None, *args, territory=None, **kwargs):
        if data is not None and not data.get("quand"):
            data = data.copy()
            data["quand"] = UPCOMING
        super().__init__(data, *args, **kwargs)
        _territory_communes(self, territory)

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == PAST:
            # The most recent first: what happened lately, with its attendance.
            return queryset.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
        if value == UPCOMING:
            return queryset.filter(ends_at__gte=now)
        return queryset

    @property
    def showing_past(self) -> bool:
        return self.form.cleaned_data.get("quand") == PAST if hasattr(self.form, "cleaned_data") else False


class InitiativeFilter(django_filters.FilterSet):
    theme = django_filters.ChoiceFilter(label=_("Thème"), choices=Theme.choices, empty_label=_("Tous"))
    commune = CommuneChoiceFilter(
        label=_("Commune"), queryset=Commune.objects.none(), empty_label=_("Toutes"), field_name="communes"
    )
    status = django_filters.ChoiceFilter(label=_("État"), choices=InitiativeStatus.choices, empty_label=_("Tous"))
    q = django_filters.CharFilter(label=_("Rechercher"), method="filter_search", max_length=100)

    class Meta:
        model = Initiative
        fields = ["theme", "commune", "status", "q"]

    def __init__(self, *args, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        _territory_communes(self, territory)

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))
