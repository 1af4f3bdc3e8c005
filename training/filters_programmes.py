"""Filters (django-filter) of the public list of training sessions and welcome evenings."""

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.events.enums import EventAudience
from training.enums_programmes import SessionTheme
from training.models import Session


class SessionFilter(django_filters.FilterSet):
    audience = django_filters.ChoiceFilter(
        label=_("Public"), field_name="event__audience", choices=EventAudience.choices, empty_label=_("Tous")
    )
    theme = django_filters.ChoiceFilter(label=_("Thème"), choices=SessionTheme.choices, empty_label=_("Tous"))

    class Meta:
        model = Session
        fields = ["audience", "theme"]
