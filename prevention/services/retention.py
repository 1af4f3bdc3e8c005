"""The retention rules prevention declares (PreventionConfig.hooks.retention), applied each night by
portal.privacy's purge job with `before = now - PERSONAL_DATA_RETENTION_DAYS[key]`."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import Territory
from prevention.models import Ambassador, HealthStudent, StudentTeam


@transaction.atomic
def ambassadors_delete(*, territory: Territory, before: datetime.datetime) -> int:
    """Ambassadors who stopped before `before` (the annual report counts the active ones only)."""
    deleted, _by_model = Ambassador.objects.for_territory(territory).filter(left_on__lt=before.date()).delete()
    return deleted


def _academic_years_ended_before(before: datetime.datetime) -> int:
    """The last academic year (by its first year) that ended, on 31 August, before `before`."""
    day = before.date()
    return day.year - 2 if day < datetime.date(day.year, 9, 1) else day.year - 1


@transaction.atomic
def health_students_anonymise(*, territory: Territory, before: datetime.datetime) -> int:
    """Students of an academic year that ended before `before` lose their name and e-mail (the
    planning of past years still counts them per team), with their team's pedagogical referent."""
    last_year = _academic_years_ended_before(before)
    label = _("Étudiant (données effacées)")
    count = (
        HealthStudent.objects.for_territory(territory)
        .filter(academic_year__lte=last_year)
        .exclude(last_name=label, first_name="", email="")
        .update(first_name="", last_name=label, email="")
    )
    StudentTeam.objects.for_territory(territory).filter(academic_year__lte=last_year).exclude(referent="").update(
        referent=""
    )
    return count
