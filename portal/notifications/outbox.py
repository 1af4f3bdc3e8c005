"""The outbox: the notification rows themselves are the queue of e-mails to send.

Request side (`relay_soon`, called by `services.notify`): one `outbox_relay` queued after the
commit through portal.background, which never makes the request wait for the broker. When the
broker is down that publish fails, is logged, and nothing is lost: the rows are in PostgreSQL and
`outbox_sweep` (celery beat, every minute) relays them once the broker and the workers are back.

Worker side: every e-mail is sent AT MOST ONCE. A worker claims a row with a conditional UPDATE
(`pending` -> `sending`), committed before the mail server is contacted; a second worker's UPDATE
matches no row and it moves on. Failures go back to `pending` with an exponential delay, and after
`MAX_ATTEMPTS` become `failed` with the reason. A row left in `sending` by a worker that died is
never re-sent blindly (see `mark_stale`).
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from portal.background import enqueue_after_commit
from portal.notifications import emails
from portal.notifications.enums import EmailState
from portal.notifications.models import Notification

logger = logging.getLogger(__name__)


def _setting(name, default):
    return getattr(settings, f"NOTIFICATIONS_{name}", default)


def max_attempts() -> int:
    return _setting("MAX_ATTEMPTS", 5)


def retry_delay(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed ones: 1, 2, 4, 8… minutes (capped at 6 h)."""
    base = _setting("RETRY_BASE_SECONDS", 60)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def _due(now) -> Q:
    return Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now)


# --- request side --------------------------------------------------------------------------------


def relay_soon() -> None:
    """Get the pending rows to a worker once the notifying transaction commits (never blocks)."""
    from portal.notifications.tasks import outbox_relay

    enqueue_after_commit(outbox_relay)


# --- worker side ---------------------------------------------------------------------------------


def claim(notification_id: int, *, now=None) -> bool:
    """Atomically take a pending, due row for sending. Only one caller ever gets True."""
    now = now or timezone.now()
    claimed = (
        Notification.objects.filter(_due(now), pk=notification_id, email_state=EmailState.PENDING).update(
            email_state=EmailState.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1
        )
        == 1
    )
    return claimed


def _permanent(exc: Exception) -> bool:
    # The server refused the address itself: trying again cannot help.
    return isinstance(exc, smtplib.SMTPRecipientsRefused)


def _record_failure(ids, exc: Exception, *, back_to: str) -> None:
    now = timezone.now()
    reason = f"{exc.__class__.__name__}: {exc}"[:2000]
    for row in Notification.objects.filter(pk__in=ids, email_state=EmailState.SENDING).only("pk", "email_attempts"):
        changes: dict[str, Any]
        if row.email_attempts >= max_attempts() or _permanent(exc):
            changes = {"email_state": EmailState.FAILED, "email_next_attempt_at": None}
        else:
            changes = {"email_state": back_to, "email_next_attempt_at": now + retry_delay(row.email_attempts)}
        Notification.objects.filter(pk=row.pk, email_state=EmailState.SENDING).update(email_error=reason, **changes)
    logger.warning("Notification e-mail failed for %s: %s", list(ids), reason)


def _record_sent(ids) -> None:
    Notification.objects.filter(pk__in=ids, email_state=EmailState.SENDING).update(
        email_state=EmailState.SENT, email_sent_at=timezone.now(), email_error="", email_next_attempt_at=None
    )


def deliver(notification_id: int) -> bool:
    """Claim then send one notification's e-mail; False when another worker has it or it failed."""
    if not claim(notification_id):
        return False
    notification = Notification.objects.select_related("territory", "recipient").filter(pk=notification_id).first()
    if notification is None:  # deleted meanwhile (its recipient's account was removed)
        return False
    try:
        emails.send(emails.single_message(notification))
    except Exception as exc:
        _record_failure([notification_id], exc, back_to=EmailState.PENDING)
        return False
    _record_sent([notification_id])
    return True


def relay(*, limit: int = 200) -> tuple[int, bool]:
    """Send the pending, due e-mails (up to `limit`). Returns (sent, more rows may be waiting)."""
    ids = list(
        Notification.objects.filter(_due(timezone.now()), email_state=EmailState.PENDING)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    sent = sum(deliver(pk) for pk in ids)
    return sent, len(ids) == limit


def mark_stale(*, now=None) -> int:
    """Rows claimed long ago and never reported back become `unknown`, not `pending`.

    A worker that dies (OOM, deploy, lost host) between claiming and recording may already have
    handed the message to the mail server: re-sending would duplicate it (a second convocation,
    a second invitation, personal data sent twice). The portal promises at most once, so a person
    decides: coordinators see these rows in the admin and may re-queue them after checking.
    """
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=_setting("STALE_AFTER_SECONDS", 15 * 60))
    count = Notification.objects.filter(email_state=EmailState.SENDING, email_claimed_at__lt=stale_before).update(
        email_state=EmailState.UNKNOWN,
        email_error="Envoi interrompu : l'e-mail est peut-être parti. À vérifier avant de le remettre en file.",
    )
    if count:
        logger.error("%d notification e-mail(s) left in 'sending' marked unknown.", count)
    return count


# --- daily digest --------------------------------------------------------------------------------


def send_digests(*, now=None, retries_only: bool = False) -> int:
    """One e-mail per user grouping their notifications waiting for the digest. Returns e-mails sent.

    The daily run takes every due row; the sweep passes `retries_only` to retry failed digests
    with the same backoff as single e-mails, without sending anyone's digest early.
    """
    now = now or timezone.now()
    waiting = Notification.objects.filter(_due(now), email_state=EmailState.DIGEST)
    if retries_only:
        waiting = waiting.filter(email_attempts__gt=0)
    user_ids = list(waiting.order_by().values_list("recipient_id", flat=True).distinct())
    return sum(send_digest_for(user_id, now=now, retries_only=retries_only) for user_id in user_ids)


def send_digest_for(user_id: int, *, now=None, retries_only: bool = False) -> bool:
    now = now or timezone.now()
    # Already read in the portal: the person has seen it, the summary would only repeat it.
    Notification.objects.filter(recipient_id=user_id, email_state=EmailState.DIGEST, read_at__isnull=False).update(
        email_state=EmailState.SKIPPED, email_error="Lue dans le portail avant le résumé."
    )
    with transaction.atomic():
        rows = Notification.objects.select_for_update(skip_locked=True).filter(
            _due(now), recipient_id=user_id, email_state=EmailState.DIGEST
        )
        if retries_only:
            rows = rows.filter(email_attempts__gt=0)
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            return False
        Notification.objects.filter(pk__in=ids, email_state=EmailState.DIGEST).update(
            email_state=EmailState.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1
        )
    # Claimed and committed: from here on, the same at-most-once rules as single e-mails.
    notifications = list(
        Notification.objects.filter(pk__in=ids).select_related("territory", "recipient").order_by("created_at", "id")
    )
    try:
        emails.send(emails.digest_message(notifications[0].recipient, notifications, now=now))
    except Exception as exc:
        _record_failure(ids, exc, back_to=EmailState.DIGEST)
        return False
    _record_sent(ids)
    return True
