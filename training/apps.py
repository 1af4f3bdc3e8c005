from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.hooks import AppHooks, PublicEntry


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Formation et internes")
    # What portal reads of this app (see portal/hooks.py). The programmes' half (sessions, welcome
    # evenings, scholarships, outreach) declares its own report section and demo data here until the
    # host sites' half joins them.
    hooks = AppHooks(
        public_entry=PublicEntry(
            title=_("Formation, accueil des internes et bourses"),
            text=_(
                "Formations pour les professionnels et les maîtres de stage, soirées d'accueil des internes, "
                "bourses d'études et de stage : inscrivez-vous et candidatez en ligne."
            ),
            url_name="training:sessions",
        ),
        annual_report_section="training.reporting_programmes.annual_report_section",
        demo_data="training.demo_programmes.build",
    )
