"""Writes of the notifications. `notify` is the API every app calls."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from portal.enums import EDITOR_ROLES
from portal.notifications import outbox
from portal.notifications.enums import REQUEUABLE_STATES, EmailMode, EmailState
from portal.notifications.models import Notification, NotificationPreference
from portal.tenancy.access import territory_ids_for

if TYPE_CHECKING:
    from portal.models import Territory, User

logger = logging.getLogger(__name__)

SUBJECT_MAX_LENGTH: int = Notification._meta.get_field("subject").max_length or 200


def _check_url(url: str) -> None:
    # A path of the portal only: the e-mail makes it absolute with PORTAL_BASE_URL, and the
    # in-app link must not lead elsewhere ("//host" would).
    if url and (not url.startswith("/") or url.startswith("//") or "\\" in url):
        raise ValueError(f"url must be an absolute path in the portal, not {url!r}")


def _check_attachments(attachments: Iterable[Sequence[str]] | None) -> list[list[str]]:
    checked: list[list[str]] = []
    for item in attachments or []:
        if len(item) != 3 or not all(isinstance(part, str) for part in item):
            raise ValueError("each attachment is (filename, text content, mimetype)")
        checked.append(list(item))
    return checked


@transaction.atomic(savepoint=False)
def notify(
    *,
    territory: Territory | None,
    recipients: Iterable[User | None],
    kind: str,
    subject: str,
    body: str,
    url: str = "",
    actor: User | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> list[Notification]:
    """Notify `recipients` (users) in `territory`: one row each, in the caller's transaction.

    Two queries (preferences, one INSERT) and no broker call: the e-mails are relayed after
    the commit by a background publish, and by the periodic sweep if that publish fails. If the
    caller's transaction rolls back, the notifications and their e-mails vanish with it. The
    `actor` is never notified of their own action.
    """
    if territory is None:
        raise ValueError("a notification belongs to a territory")
    _check_url(url)
    checked_attachments = _check_attachments(attachments)
    if len(subject) > SUBJECT_MAX_LENGTH:
        subject = subject[: SUBJECT_MAX_LENGTH - 1] + "…"

    users: dict[int, User] = {}
    for user in recipients:
        if user is not None and user.pk not in users and (actor is None or user.pk != actor.pk):
            users[user.pk] = user
    if not users:
        return []

    digest_ids = set(
        NotificationPreference.objects.filter(user_id__in=list(users), email_mode=EmailMode.DIGEST).values_list(
            "user_id", flat=True
        )
    )
    now = timezone.now()
    rows = []
    for user in users.values():
        if not user.is_active or not user.email:
            state = EmailState.SKIPPED
        elif user.pk in digest_ids:
            state = EmailState.DIGEST
        else:
            state = EmailState.PENDING
        rows.append(
            Notification(
                territory=territory,
                recipient=user,
                actor=actor,
                kind=kind,
                subject=subject,
                body=body,
                url=url,
                attachments=checked_attachments,
                created_at=now,
                email_state=state,
            )
        )
    created = Notification.objects.bulk_create(rows)
    if any(row.email_state == EmailState.PENDING for row in created):
        # After the commit, never blocking: whatever happens to the relay, the request has succeeded.
        outbox.relay_soon()
    return created


@transaction.atomic(savepoint=False)
def notify_address(
    *,
    territory: Territory,
    email_address: str,
    kind: str,
    subject: str,
    body: str,
    coalesce: bool = False,
) -> Notification | None:
    """E-mail an address that has no account behind it (an applicant before they sign up).

    Same outbox as `notify`: one row in the caller's transaction, sent after the commit at most
    once with retries, or by the sweep. `body` is the whole e-mail (no greeting, no portal link);
    the subject gets the territory's prefix. With `coalesce`, an identical e-mail to the same
    address still waiting to be sent is not queued twice (returns None).
    """
    if territory is None:
        raise ValueError("a notification belongs to a territory")
    email_address = (email_address or "").strip()
    if not email_address:
        raise ValueError("an e-mail address is required")
    if len(subject) > SUBJECT_MAX_LENGTH:
        subject = subject[: SUBJECT_MAX_LENGTH - 1] + "…"
    fields = {"territory": territory, "email_address": email_address, "kind": kind, "subject": subject, "body": body}
    if coalesce and Notification.objects.filter(email_state=EmailState.PENDING, **fields).exists():
        return None
    notification = Notification.objects.create(email_state=EmailState.PENDING, **fields)
    outbox.relay_soon()
    return notification


@transaction.atomic
def address_notifications_withdraw(
    *,
    territory: Territory,
    email_address: str,
    kinds: Iterable[str] | None = None,
    subjects: Iterable[str] | None = None,
    pending_only: bool = True,
) -> int:
    """Delete the e-mails to an account-less address in a territory (all of them, or those not sent
    yet): when the person's data is erased, or when their account takes over."""
    rows = Notification.objects.for_territory(territory).filter(recipient__isnull=True, email_address=email_address)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    if subjects is not None:
        rows = rows.filter(subject__in=list(subjects))
    if pending_only:
        rows = rows.filter(email_state=EmailState.PENDING)
    deleted, _by_model = rows.delete()
    return deleted


@transaction.atomic
def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preference_set(*, actor: User, email_mode: str) -> NotificationPreference:
    """A person chooses how they are e-mailed (only for themselves)."""
    if email_mode not in EmailMode.values:
        raise ValueError(f"unknown e-mail mode {email_mode!r}")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=actor, defaults={"email_mode": email_mode}
    )
    return preference


@transaction.atomic
def notification_requeue(*, actor: User, notifications: Iterable[Notification]) -> int:
    """A coordinator puts failed or uncertain e-mails of their territories back in the outbox.

    For an `unknown` row this is the human decision the outbox refuses to take alone: the
    coordinator has checked that the e-mail did not arrive (or accepts a duplicate).
    """
    rows = list(
        Notification.objects.select_for_update()
        .filter(pk__in=[n.pk for n in notifications], email_state__in=REQUEUABLE_STATES)
        .only("pk", "territory_id", "email_state")
    )
    if not actor.is_superuser:
        allowed = territory_ids_for(actor, roles=EDITOR_ROLES)
        if any(row.territory_id not in allowed for row in rows):
            raise PermissionDenied
    if not rows:
        return 0
    count = Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
        email_state=EmailState.PENDING,
        email_attempts=0,
        email_next_attempt_at=None,
        email_claimed_at=None,
        email_error=f"Remis en file par {actor.email} le {timezone.localtime():%d/%m/%Y %H:%M}.",
    )
    logger.info("%s re-queued notification e-mails %s", actor.email, [row.pk for row in rows])
    outbox.relay_soon()
    return count


def notifications_purge(*, territory: Territory, before: datetime.datetime) -> int:
    """Retention rule `notifications.messages`: notifications (and their e-mails) created before
    `before` are deleted, except those still waiting in the outbox."""
    deleted, _by_model = (
        Notification.objects.for_territory(territory)
        .filter(created_at__lt=before)
        .exclude(email_state__in=[EmailState.PENDING, EmailState.DIGEST, EmailState.SENDING])
        .delete()
    )
    return deleted
