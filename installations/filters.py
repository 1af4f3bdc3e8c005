"""Filters of the public list of opportunities (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.enums import Profession
from portal.models import Commune

from .enums import OpportunityKind
from .models import Opportunity


class OpportunityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=OpportunityKind.choices, empty_label=_("Tous"))
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune"), queryset=Commune.objects.none(), empty_label=_("Toutes")
    )
    profession = django_filters.ChoiceFilter(
        label=_("Profession"), choices=Profession.choices, empty_label=_("Toutes"), method="filter_profession"
    )

    class Meta:
        model = Opportunity
        fields = ["kind", "commune", "profession"]

    def __init__(self, *args, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the territory's communes are offered (and accepted).
        field = self.filters["commune"]
        field.queryset = territory.communes.order_by("name") if territory is not None else Commune.objects.none()
        self.form.fields["commune"].label_from_instance = lambda commune: commune.name

    def filter_profession(self, queryset, name, value):
        # No profession listed means "open to every profession".
        return queryset.filter(Q(professions__contains=[value]) | Q(professions=[]))
