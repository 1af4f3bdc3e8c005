"""Who hears of what happens on a case: the applicant (through their account, else by e-mail at
their address) and the team (the assigned coordinator, else the territory's coordinators)."""

from __future__ import annotations

from collections.abc import Iterable

from installations.models import Case
from installations.services.applicant_mail import queue_applicant_news
from installations.services.links import admin_case_url, applicant_case_url
from installations.services.timeline import Actor, actor_or_none
from portal.models import Territory, User
from portal.selectors import territory_coordinators


def notify(
    *,
    territory: Territory,
    recipients: Iterable[User | None],
    kind: str,
    subject: str,
    body: str,
    url: str = "",
    actor: User | None = None,
) -> None:
    """`portal.notifications.services.notify`: in-app notification and e-mail through the outbox."""
    from portal.notifications import services as notifications

    notifications.notify(
        territory=territory, recipients=recipients, kind=kind, subject=subject, body=body, url=url, actor=actor
    )


def notify_applicant(case: Case, *, actor: Actor, kind: str, subject: str, body: str) -> None:
    if case.applicant_id is None:
        queue_applicant_news(case)
        return
    if case.applicant_id != getattr(actor, "pk", None):
        notify(
            territory=case.territory,
            recipients=[case.applicant],
            kind=kind,
            subject=subject,
            body=body,
            url=applicant_case_url(case),
            actor=actor_or_none(actor),
        )


def notify_team(case: Case, *, actor: Actor, kind: str, subject: str, body: str) -> None:
    recipients = [case.assigned_to] if case.assigned_to_id else territory_coordinators(case.territory)
    notify(
        territory=case.territory,
        recipients=recipients,
        kind=kind,
        subject=subject,
        body=body,
        url=admin_case_url(case),
        actor=actor_or_none(actor),
    )
