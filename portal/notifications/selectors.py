from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from portal.notifications.enums import EmailMode
from portal.notifications.models import Notification, NotificationPreference


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's notifications of every territory, unread first, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient=user)
        .select_related("territory")
        .defer("attachments")
        .annotate(unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
        .order_by("-unread", "-created_at", "-id")
    )


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def email_mode_for(user: Any) -> str:
    preference = NotificationPreference.objects.filter(user=user).only("email_mode").first()
    return preference.email_mode if preference else EmailMode.IMMEDIATE
