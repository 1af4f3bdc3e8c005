"""The public offers' filters (django-filter): level, commune, semester, type of site."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.filtering import CommuneChoiceFilter
from portal.forms import QuickSelect
from portal.models import Commune
from training.enums import HostSiteKind, TraineeLevel
from training.models import HostSite, Offer
from training.semesters import semester_choices


class OfferFilter(django_filters.FilterSet):
    # Selects written in Python (portal.forms.QuickSelect): the public list is the axis' busiest page.
    level = django_filters.ChoiceFilter(
        label=_("Niveau"),
        choices=TraineeLevel.choices,
        empty_label=_("Tous"),
        widget=QuickSelect(fixed_choices=True),
    )
    semester = django_filters.ChoiceFilter(label=_("Semestre"), choices=[], empty_label=_("Tous"), widget=QuickSelect)
    commune = CommuneChoiceFilter(
        label=_("Commune"), queryset=Commune.objects.none(), empty_label=_("Toutes"), method="filter_commune"
    )
    site_kind = django_filters.ChoiceFilter(
        label=_("Type de lieu"),
        choices=HostSiteKind.choices,
        empty_label=_("Tous"),
        method="filter_site_kind",
        widget=QuickSelect(fixed_choices=True),
    )

    class Meta:
        model = Offer
        fields = ["level", "semester", "commune", "site_kind"]

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["semester"].extra["choices"] = semester_choices(around=timezone.localdate())
        # Only the communes where the territory has host sites are offered (and accepted).
        communes = Commune.objects.filter(
            pk__in=HostSite.objects.for_territory(territory).filter(active=True).values("commune_id")
        )
        self.filters["commune"].queryset = communes

    def filter_commune(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(sites__host_site__commune=value).distinct()

    def filter_site_kind(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(sites__host_site__kind=value).distinct()
