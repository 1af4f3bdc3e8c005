from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portail et territoires")

    def ready(self):
        from django.core.checks import register

        from portal import checks

        register(checks.check_app_hooks)
        register(checks.check_periodic_tasks_scheduled)
