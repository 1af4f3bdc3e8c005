"""Pieces shared by the axis apps' public filters (django-filter), for pages reloaded all day."""

import django_filters

from portal.forms import CommuneSingleChoiceField


class CommuneChoiceFilter(django_filters.ModelChoiceFilter):
    """A commune among the filter's queryset: a <select> in French order written in Python, its
    options read as (id, name) rather than as a model each (portal.forms.CommuneSingleChoiceField)."""

    field_class = CommuneSingleChoiceField
