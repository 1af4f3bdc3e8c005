"""The retention rule governance declares (GovernanceConfig.hooks.retention), applied each night by
portal.privacy's purge job with `before = now - PERSONAL_DATA_RETENTION_DAYS[key]`.

What a body decided (deliberations, their votes, the minutes) is a public archive and stays. What
stays personal once a member has left is their seat: the name or account on the mandate, the
dates they were convened and answered, and their name in the governance journal."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext as _

from governance.models import GovernanceEvent, Mandate, Participation
from portal.models import Territory


def _former_member_label() -> str:
    return _("Ancien membre")


@transaction.atomic
def former_members_anonymise(*, territory: Territory, before: datetime.datetime) -> int:
    """Mandates that ended before `before`: the person goes (account unlinked, name replaced; an
    organisation's seat keeps the organisation), their attendance stays as a figure."""
    label = _former_member_label()
    anonymised = Q(user__isnull=True) & (Q(person_name="") | Q(person_name=label))
    mandates = list(
        Mandate.objects.for_territory(territory)
        .filter(end_date__lt=before.date())
        .exclude(anonymised)
        .select_related("user", "organisation")
        .select_for_update(of=("self",))
    )
    for mandate in mandates:
        old_name = mandate.display_name
        mandate.user = None
        mandate.person_name = "" if mandate.organisation_id else label
        mandate.save(update_fields=["user", "person_name"])
        # The journal names the seat as it was ("Mandat de …", "… — Séance du …").
        if old_name and old_name != mandate.display_name:
            GovernanceEvent.objects.for_territory(territory).filter(target__contains=old_name).update(
                target=Replace("target", Value(old_name), Value(mandate.display_name))
            )
    Participation.objects.filter(mandate__in=mandates).update(convened_at=None, replied_at=None, reminded_at=None)
    return len(mandates)
