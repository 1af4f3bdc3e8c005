from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Un e-mail à chaque notification")
    DIGEST = "digest", _("Un résumé par jour")


class EmailState(models.TextChoices):
    # Waiting for the relay (immediate mode), or for the daily digest.
    PENDING = "pending", _("En attente d'envoi")
    DIGEST = "digest", _("En attente du résumé quotidien")
    # Claimed by a worker: the e-mail may be on its way to the mail server.
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")
    # A worker claimed the row and never reported back: the e-mail may or may not have left.
    UNKNOWN = "unknown", _("Envoi incertain (à vérifier)")
    SKIPPED = "skipped", _("Non envoyé")


# States a coordinator may put back into the outbox from the admin.
REQUEUABLE_STATES = (EmailState.FAILED, EmailState.UNKNOWN)
