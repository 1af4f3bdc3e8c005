"""The e-mails: French plain text, subject prefixed with the portal and the territory, links absolute."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal import french

DEFAULT_PORTAL_BASE_URL = "http://127.0.0.1:8000"
# A mail server that never answers must not hold a worker forever (Django's default is no timeout).
DEFAULT_SEND_TIMEOUT = 30


# The line before the link, when "voir le détail et répondre" does not say what the link does.
LINK_LABELS = {
    "documents.ready": gettext_lazy("Télécharger le PDF :"),
    "documents.failed": gettext_lazy("Voir le document et relancer sa préparation :"),
}


def absolute_url(path: str) -> str:
    if not path:
        return ""
    base = getattr(settings, "PORTAL_BASE_URL", DEFAULT_PORTAL_BASE_URL).rstrip("/")
    return f"{base}{path}"


def subject_prefix(territory=None) -> str:
    if territory is None:
        return _("[Guichet santé] ")
    return _("[Guichet santé · %(territory)s] ") % {"territory": territory.name}


def _preferences_url() -> str:
    try:
        return absolute_url(reverse("notifications:preferences"))
    except NoReverseMatch:  # the URLs are not mounted (a project without the personal space)
        return ""


def _attach_all(message: EmailMessage, notifications) -> None:
    for notification in notifications:
        for filename, content, mimetype in notification.attachments:
            message.attach(filename, content, mimetype)


def _headers() -> dict:
    # Tells auto-responders not to answer (RFC 3834).
    return {"Auto-Submitted": "auto-generated"}


def single_message(notification) -> EmailMessage:
    if notification.recipient_id is None:
        return address_message(notification)
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "notifications/email/notification.txt",
            {
                "notification": notification,
                "link": absolute_url(notification.url),
                "link_label": LINK_LABELS.get(notification.kind, ""),
                "preferences_link": _preferences_url(),
            },
        )
        subject = subject_prefix(notification.territory) + notification.subject
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[notification.recipient.email],
        reply_to=[notification.territory.contact_email] if notification.territory.contact_email else None,
        headers=_headers(),
    )
    _attach_all(message, [notification])
    return message


def address_message(notification) -> EmailMessage:
    """An e-mail to an address with no account: the caller wrote the whole body (no greeting by
    name, no portal link, no preferences: there is no account to sign in to yet)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = subject_prefix(notification.territory) + notification.subject
    message = EmailMessage(subject=subject, body=notification.body, to=[notification.email_address], headers=_headers())
    _attach_all(message, [notification])
    return message


def digest_message(user, notifications, *, now=None) -> EmailMessage:
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        day = french.date(timezone.localtime(now))
        count = len(notifications)
        subject = subject_prefix() + ngettext(
            "Votre résumé du %(day)s : %(count)d notification",
            "Votre résumé du %(day)s : %(count)d notifications",
            count,
        ) % {"day": day, "count": count}
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "user": user,
                "day": day,
                "items": [(n, absolute_url(n.url)) for n in notifications],
                "list_link": _list_url(),
                "preferences_link": _preferences_url(),
            },
        )
    message = EmailMessage(subject=subject, body=body, to=[user.email], headers=_headers())
    _attach_all(message, notifications)
    return message


def _list_url() -> str:
    try:
        return absolute_url(reverse("notifications:list"))
    except NoReverseMatch:
        return ""


def send(message: EmailMessage) -> None:
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_SEND_TIMEOUT
    # Built-in backends accept and ignore `timeout` unless they talk to a server.
    message.connection = get_connection(timeout=timeout)
    message.send()
