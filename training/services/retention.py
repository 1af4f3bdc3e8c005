"""The retention rules training declares (TrainingConfig.hooks.retention), applied each night by
portal.privacy's purge job with `before = now - PERSONAL_DATA_RETENTION_DAYS[key]`.

Rows the annual report counts (applications, placements, bookings, kits) are anonymised: the
figures stay, nothing says who. Supporting documents go with their files, deleted from the storage
once the purge is committed."""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from portal.events.models import Registration
from portal.events.services import registrations_erase
from portal.models import Territory
from training.enums_programmes import ENDED_COMMITMENT_STATUSES, ApplicationStatus
from training.models import (
    ApplicationDocument,
    Booking,
    Commitment,
    Placement,
    ScholarshipApplication,
    TutorPair,
    WelcomeKit,
)


def _documents_delete(documents: QuerySet[ApplicationDocument]) -> None:
    for document in documents:
        if document.file.name:
            # From the storage only once the anonymisation is committed.
            transaction.on_commit(partial(document.file.storage.delete, document.file.name))
    documents.delete()


def _applications_anonymise(applications: QuerySet[ScholarshipApplication]) -> int:
    """Identity, free text and documents go; programme, studies, dates, decision and amounts stay
    for the annual report. An application without applicant is an anonymised one."""
    ids = list(applications.filter(applicant__isnull=False).values_list("pk", flat=True))
    if not ids:
        return 0
    _documents_delete(ApplicationDocument.objects.filter(application_id__in=ids))
    erased = _("(effacé)")
    ScholarshipApplication.objects.filter(pk__in=ids).update(
        applicant=None, study_year="", institution="", motivation=""
    )
    # A refusal keeps a reason (a database constraint): the reason written to the person goes.
    ScholarshipApplication.objects.filter(pk__in=ids).exclude(refusal_reason="").update(refusal_reason=erased)
    Commitment.objects.filter(application_id__in=ids).update(notes="", practice_place="")
    return len(ids)


@transaction.atomic
def refused_applications_anonymise(*, territory: Territory, before: datetime.datetime) -> int:
    return _applications_anonymise(
        ScholarshipApplication.objects.for_territory(territory).filter(
            status=ApplicationStatus.REFUSED, decided_at__lt=before
        )
    )


@transaction.atomic
def ended_commitments_anonymise(*, territory: Territory, before: datetime.datetime) -> int:
    return _applications_anonymise(
        ScholarshipApplication.objects.for_territory(territory).filter(
            commitment__status__in=ENDED_COMMITMENT_STATUSES, commitment__closed_on__lt=before.date()
        )
    )


@transaction.atomic
def placements_anonymise(*, territory: Territory, before: datetime.datetime) -> int:
    """Placements that ended before `before` lose the student (account, name, e-mail, what they
    wrote); the welcome kits handed before then lose their recipient."""
    day = before.date()
    label = _("Stagiaire (données effacées)")
    count = (
        Placement.objects.for_territory(territory)
        .filter(end_date__lt=day)
        .exclude(student_email="")
        .update(student=None, student_name=label, student_email="", note="")
    )
    count += (
        WelcomeKit.objects.for_territory(territory)
        .filter(handed_on__lt=day)
        .exclude(recipient__isnull=True, recipient_name=label)
        .update(recipient=None, recipient_name=label)
    )
    return count


@transaction.atomic
def housing_bookings_anonymise(*, territory: Territory, before: datetime.datetime) -> int:
    """Stays whose departure day is before `before`: who stayed, their e-mail, the note, the arrival
    and keys dates go; the room, the stay's dates and its origin stay for the occupancy figures."""
    label = _("Occupant (données effacées)")
    return (
        Booking.objects.for_territory(territory)
        .filter(end_date__lt=before.date())
        .exclude(Q(occupant__isnull=True) & Q(occupant_name=label))
        .update(
            occupant=None,
            occupant_name=label,
            occupant_email="",
            note="",
            installation_case_reference="",
            arrived_on=None,
            departed_on=None,
            keys_handed_on=None,
            keys_returned_on=None,
        )
    )


@transaction.atomic
def tutor_pairs_delete(*, territory: Territory, before: datetime.datetime) -> int:
    deleted, _by_model = TutorPair.objects.for_territory(territory).filter(ended_on__lt=before.date()).delete()
    return deleted


@transaction.atomic
def session_registrations_anonymise(*, territory: Territory, before: datetime.datetime) -> int:
    """Registrations with an account to a training session that ended before `before` (those without
    one go by portal/events' own rule): the person and their certificate go, attendance stays."""
    return registrations_erase(
        Registration.objects.for_territory(territory).filter(
            event__training_session__isnull=False, event__ends_at__lt=before, user__isnull=False
        )
    )
