"""The retention rules installations declares (InstallationsConfig.hooks.retention), applied each
night by portal.privacy's purge job with `before = now - PERSONAL_DATA_RETENTION_DAYS[key]`."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from installations.enums import FINAL_STATUSES, CaseStatus
from installations.models import Case
from installations.services.applicant_mail import applicant_mail_erase
from installations.services.personal_data import case_anonymise, household_purge_expired
from portal.models import Territory

__all__ = ["closed_cases_anonymise", "household_purge_expired", "unconfirmed_requests_delete"]


@transaction.atomic
def unconfirmed_requests_delete(*, territory: Territory, before: datetime.datetime) -> int:
    """Requests whose address was never confirmed (the team never took them up) are deleted with
    their e-mails."""
    cases = list(
        Case.objects.for_territory(territory)
        .filter(status=CaseStatus.UNCONFIRMED, submitted_at__lt=before)
        .select_related("territory")
    )
    for case in cases:
        applicant_mail_erase(case)
    Case.objects.filter(pk__in=[case.pk for case in cases]).delete()
    return len(cases)


def closed_cases_anonymise(*, territory: Territory, before: datetime.datetime) -> int:
    """Settled, withdrawn or closed cases, closed before `before`, are anonymised as on an erasure
    request: the statistics keep profession, communes, needs' kinds and dates. A settlement's
    follow-ups (1, 3 and 5 years on) need the person: the period then runs from the last one."""
    ids = list(
        Case.objects.for_territory(territory)
        .filter(status__in=FINAL_STATUSES, closed_at__lt=before, erased_at__isnull=True)
        .exclude(follow_ups__due_date__gte=before.date())
        .values_list("pk", flat=True)
        .distinct()
    )
    for pk in ids:
        # One transaction per case: a long purge holds no lock on the others.
        with transaction.atomic():
            case = Case.objects.select_for_update().select_related("territory").get(pk=pk)
            if case.erased_at is None:
                case_anonymise(
                    case, actor=None, summary=_("Données personnelles effacées : fin de la durée de conservation")
                )
    return len(ids)
