from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.enums import EDITOR_ROLES
from portal.notifications import services
from portal.notifications.models import Notification
from portal.tenancy.admin import ReadOnlyAdminMixin, TerritoryScopedAdmin


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, TerritoryScopedAdmin):
    """Read-only: coordinators follow their territory's outbox and re-queue failed e-mails."""

    list_display = [
        "subject",
        "recipient",
        "email_address",
        "kind",
        "territory",
        "created_at",
        "read_at",
        "email_state",
        "email_attempts",
    ]
    # No filter on `kind`: Django would list the values of every territory, not only the scoped ones.
    list_filter = ["email_state", "territory"]
    list_select_related = ["recipient", "territory"]
    search_fields = ["subject", "kind", "recipient__email", "recipient__last_name", "email_address"]
    ordering = ["-created_at", "-id"]
    actions = ["export_csv", "requeue"]
    export_fields = (
        "id",
        "territory",
        "recipient",
        "email_address",
        "kind",
        "subject",
        "created_at",
        "read_at",
        "email_state",
        "email_attempts",
        "email_sent_at",
        "email_error",
    )
    fields = readonly_fields = (
        "territory",
        "recipient",
        "email_address",
        "actor",
        "kind",
        "subject",
        "body",
        "url",
        "created_at",
        "read_at",
        "email_state",
        "email_attempts",
        "email_next_attempt_at",
        "email_claimed_at",
        "email_sent_at",
        "email_error",
    )

    def has_requeue_permission(self, request):
        return self._may(request, None, EDITOR_ROLES)

    @admin.action(description=_("Remettre en file d'envoi (échecs et envois incertains)"), permissions=["requeue"])
    def requeue(self, request, queryset):
        # `queryset` comes from the scoped get_queryset(); the service checks the territories again.
        count = services.notification_requeue(actor=request.user, notifications=queryset)
        self.message_user(
            request,
            ngettext("%(count)d e-mail remis en file.", "%(count)d e-mails remis en file.", count) % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
