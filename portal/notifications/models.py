from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.notifications.enums import EmailMode, EmailState
from portal.tenancy.models import TerritoryScopedModel


class Notification(TerritoryScopedModel):
    """One message to one user, shown in the portal and e-mailed (the row is also the outbox).

    A row may instead be addressed to an e-mail address with no account behind it (an applicant
    before they sign up): `recipient` is empty, `email_address` is set, nothing is shown in the
    portal and the e-mail is the subject and body as the caller wrote them (`notify_address`).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    email_address = models.EmailField(_("adresse e-mail sans compte"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur de l'action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("type"), max_length=80)
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("lien"), max_length=500, blank=True)
    # [[filename, text content, mimetype], ...], e.g. an ICS invitation; e-mailed, not shown in the portal.
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    email_state = models.CharField(
        _("état de l'e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("tentatives d'envoi"), default=0)
    email_next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail envoyé le"), null=True, blank=True)
    email_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created"),
            # The header's unread count runs on every page.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread"),
            # What the relay, the digest and the sweep look for; sent rows (the vast majority) stay out.
            models.Index(
                fields=["email_state", "email_next_attempt_at"],
                condition=Q(email_state__in=["pending", "digest", "sending"]),
                name="notif_outbox",
            ),
        ]
        constraints = [
            # A user or an address, never both nor neither.
            models.CheckConstraint(
                condition=(Q(recipient__isnull=False) & Q(email_address=""))
                | (Q(recipient__isnull=True) & ~Q(email_address="")),
                name="notif_recipient_or_address",
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_read(self):
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How a person wants to be e-mailed. Global: a person has one mailbox for all their territories."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_mode = models.CharField(
        _("e-mails de notification"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self):
        return f"{self.user} — {self.get_email_mode_display()}"
