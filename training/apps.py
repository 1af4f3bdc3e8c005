from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.hooks import AppHooks


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Formation et internes")
    # Nothing offered yet; fill these in as the app grows (see portal/hooks.py for each field):
    # public_entry=PublicEntry(...), annual_report_section="training.selectors.annual_report_section",
    # demo_data="training.demo.build", document_member_check=..., periodic_tasks=(PeriodicTask(...),).
    hooks = AppHooks()
