"""The periodic reminders to the team (see `installations.tasks`)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from installations.enums import CaseStatus, EventKind
from installations.models import Case, FollowUp, no_answer_cutoff, waiting_applicant_days, without_answer_condition
from installations.services.follow_ups import answer_days
from installations.services.notify import notify_team
from installations.services.timeline import record
from portal.models import Territory


@transaction.atomic
def cases_remind_waiting(*, territory: Territory, now: datetime.datetime | None = None) -> int:
    """Reminds the coordinator (assigned, else all) of open cases whose applicant has waited for an
    answer for more than N days, and of cases left waiting for the applicant for more than M days
    (time to chase them up or close); at most one reminder per case every N (or M) days."""
    now = now or timezone.now()
    limit = no_answer_cutoff(now=now)
    applicant_limit = now - datetime.timedelta(days=waiting_applicant_days())
    # The same rule as the case list's "no answer" filter and highlight (installations.models).
    team_late = without_answer_condition(now=now) & ~Q(last_reminder_at__gte=limit)
    applicant_late = Q(status=CaseStatus.WAITING_APPLICANT, status_changed_at__lt=applicant_limit) & ~Q(
        last_reminder_at__gte=applicant_limit
    )
    cases = list(
        Case.objects.for_territory(territory)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("territory", "assigned_to")
        .filter(team_late | applicant_late)
    )
    for case in cases:
        if case.status == CaseStatus.WAITING_APPLICANT:
            assert case.status_changed_at is not None  # the filter above only selects dated rows
            waited = (now - case.status_changed_at).days
            notify_team(
                case,
                actor=None,
                kind="installations.case_applicant_silent_reminder",
                subject=_("Demande %(reference)s : le demandeur n'a pas répondu depuis %(days)s jours")
                % {"reference": case.reference, "days": waited},
                body=_("Relancez le demandeur, ou classez la demande sans suite si le projet est abandonné."),
            )
            record(
                case,
                actor=None,
                kind=EventKind.REMINDER,
                summary=_("Relance : en attente du demandeur depuis %(days)s jours") % {"days": waited},
            )
            continue
        assert case.awaiting_reply_since is not None  # the filter above only selects dated rows
        waited = (now - case.awaiting_reply_since).days
        notify_team(
            case,
            actor=None,
            kind="installations.case_waiting_reminder",
            subject=_("Demande %(reference)s sans réponse depuis %(days)s jours")
            % {"reference": case.reference, "days": waited},
            body=_("Le demandeur attend une réponse depuis %(days)s jours.") % {"days": waited},
        )
        record(
            case,
            actor=None,
            kind=EventKind.REMINDER,
            summary=_("Relance : sans réponse depuis %(days)s jours") % {"days": waited},
        )
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(last_reminder_at=now)
    return len(cases)


@transaction.atomic
def follow_ups_remind_due(*, territory: Territory, today: datetime.date | None = None) -> int:
    """Reminds the coordinator of the follow-ups (1, 3, 5 years after settlement) that fell due and
    that the professional did not answer within FOLLOW_UP_ANSWER_DAYS of being asked, or that nobody
    could be asked (no address): the professional is asked first (services/follow_ups.py)."""
    today = today or timezone.localdate()
    asked_long_ago = timezone.now() - datetime.timedelta(days=answer_days())
    follow_ups = list(
        FollowUp.objects.for_territory(territory)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("case__territory", "case__assigned_to")
        .filter(due_date__lte=today, done_at__isnull=True, reminded_at__isnull=True)
        .filter(Q(asked_at__lt=asked_long_ago) | Q(asked_at__isnull=True, case__applicant_email=""))
    )
    for follow_up in follow_ups:
        case = follow_up.case
        notify_team(
            case,
            actor=None,
            kind="installations.follow_up_due",
            subject=ngettext(
                "Suivi à %(years)s an de la demande %(reference)s",
                "Suivi à %(years)s ans de la demande %(reference)s",
                follow_up.years,
            )
            % {"years": follow_up.years, "reference": case.reference},
            body=_(
                "Le professionnel n'a pas répondu à la question envoyée par e-mail. Exerce-t-il toujours sur le "
                "territoire ? Appelez-le, puis enregistrez le suivi."
            ),
        )
    FollowUp.objects.filter(pk__in=[f.pk for f in follow_ups]).update(reminded_at=timezone.now())
    return len(follow_ups)
