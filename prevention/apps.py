from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.hooks import AppHooks


class PreventionConfig(AppConfig):
    name = "prevention"
    verbose_name = _("Prévention")
    # Nothing offered yet; fill these in as the app grows (see portal/hooks.py for each field):
    # public_entry=PublicEntry(...), annual_report_section="prevention.selectors.annual_report_section",
    # demo_data="prevention.demo.build", document_member_check=..., periodic_tasks=(PeriodicTask(...),).
    hooks = AppHooks()
