from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.hooks import AppHooks, PeriodicTask


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portail et territoires")
    hooks = AppHooks(
        # Shown on anonymous public pages: a change makes them stale (portal/public_cache.py).
        public_models=("Organisation",),
        periodic_tasks=(
            PeriodicTask(
                "sessions-clear-expired",
                task="portal.tasks.sessions_clear_expired",
                schedule=crontab(hour=3, minute=30),
            ),
        ),
    )

    def ready(self):
        from django.core.checks import register
        from django.db.models.signals import post_delete, post_save

        from portal import checks, public_cache
        from portal.models import Territory
        from portal.tenancy.hosts import forget_territory_domains

        post_save.connect(forget_territory_domains, sender=Territory, dispatch_uid="territory_domains_save")
        post_delete.connect(forget_territory_domains, sender=Territory, dispatch_uid="territory_domains_delete")
        public_cache.connect_receivers()
        register(checks.check_app_hooks)
        register(checks.check_periodic_tasks_scheduled)
