"""The working groups' progress notes and the CLS action plan's indicator values."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from governance.models import (
    Indicator,
    IndicatorValue,
    ProgressNote,
    WorkingGroup,
)
from governance.services.common import (
    record_event,
    require_editor,
)


@transaction.atomic
def progress_note_add(*, actor, working_group: WorkingGroup, text: str, written_on: date | None = None):
    require_editor(actor, working_group.territory)
    note = ProgressNote.objects.create(
        territory=working_group.territory,
        working_group=working_group,
        text=text,
        written_on=written_on or timezone.localdate(),
        author=actor,
    )
    record_event(territory=working_group.territory, actor=actor, verb="progress_note_add", target=note)
    return note


@transaction.atomic
def indicator_value_set(*, actor, indicator: Indicator, year: int, target=None, measured=None) -> IndicatorValue:
    require_editor(actor, indicator.territory)
    value, _created = IndicatorValue.objects.update_or_create(
        territory=indicator.territory, indicator=indicator, year=year, defaults={"target": target, "measured": measured}
    )
    record_event(territory=indicator.territory, actor=actor, verb="indicator_value_set", target=value)
    return value
