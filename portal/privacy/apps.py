from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.hooks import AppHooks, PeriodicTask, RetentionRule


class PrivacyConfig(AppConfig):
    """Personal data: each territory's legal pages, the log of staff reads of personal data, and the
    daily purge of every kind of data past its retention period (the rules the apps declare)."""

    name = "portal.privacy"
    label = "privacy"
    verbose_name = _("Données personnelles et mentions légales")
    hooks = AppHooks(
        # Shown on anonymous public pages: a change makes them stale (portal/public_cache.py).
        public_models=("LegalNotice",),
        periodic_tasks=(
            PeriodicTask(
                "privacy-retention-purge",
                task="portal.privacy.tasks.retention_purge",
                # At night, Europe/Paris (CELERY_TIMEZONE), away from the working day's load.
                schedule=crontab(hour=3, minute=15),
                options={"expires": 6 * 3600},
            ),
        ),
        retention=(
            RetentionRule(
                "privacy.access_log",
                label=_("Journal des consultations de données personnelles par l'équipe"),
                outcome=_("supprimé"),
                purge="portal.privacy.services.access_log_purge",
            ),
        ),
    )
