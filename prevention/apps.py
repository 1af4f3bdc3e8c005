from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.hooks import AppHooks, PublicEntry


class PreventionConfig(AppConfig):
    name = "prevention"
    verbose_name = _("Prévention")
    # What portal reads of this app (see portal/hooks.py). No periodic task: the agenda's reminders
    # are portal/events' (its events are of kind "prevention.agenda").
    hooks = AppHooks(
        public_entry=PublicEntry(
            title=_("Prévention santé"),
            text=_(
                "Mercredis de la santé, conférences, formations aux premiers secours : l'agenda de prévention, "
                "avec inscription en ligne sans compte, et les actions menées dans chaque commune."
            ),
            url_name="prevention:agenda",
        ),
        annual_report_section="prevention.selectors.annual_report_section",
        demo_data="prevention.demo.build",
    )
